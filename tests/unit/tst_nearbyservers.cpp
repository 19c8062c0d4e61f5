// NearbyServers merges broadcast and mDNS results: one entry per server (same identity, or same host:port
// while an identity is missing), each entry knowing every way it was found.

#include "NearbyServers.h"

#include <QSignalSpy>
#include <QtTest>

using namespace ferry;

namespace {

DiscoveredServer make(const char *address, quint16 port, int foundBy, const char *identity = "")
{
    DiscoveredServer server;
    server.name = QStringLiteral("Office");
    server.address = QHostAddress(QString::fromLatin1(address));
    server.port = port;
    server.foundBy = foundBy;
    server.identity = QString::fromLatin1(identity);
    return server;
}

} // namespace

class TestNearbyServers : public QObject {
    Q_OBJECT
private slots:
    void sameHostAndPortFromBothSourcesIsOneEntry()
    {
        NearbyServers nearby;
        QSignalSpy found(&nearby, &NearbyServers::serverFound);
        QSignalSpy changed(&nearby, &NearbyServers::serverChanged);
        nearby.merge(make("10.0.0.5", 7420, DiscoveredServer::Broadcast));
        nearby.merge(make("10.0.0.5", 7420, DiscoveredServer::Mdns));
        nearby.merge(make("10.0.0.5", 7420, DiscoveredServer::Mdns));   // repeated: nothing new
        QCOMPARE(nearby.servers().size(), 1);
        QCOMPARE(nearby.servers()[0].foundBy, int(DiscoveredServer::Broadcast | DiscoveredServer::Mdns));
        QCOMPARE(found.size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(NearbyServers::foundByText(nearby.servers()[0].foundBy), QStringLiteral("mDNS, broadcast"));
    }

    void sameIdentityOnTwoAddressesIsOneEntry()
    {
        NearbyServers nearby;
        nearby.merge(make("10.0.0.5", 7420, DiscoveredServer::Broadcast, "ABCD-EFGH-JKMN-PQRS"));
        nearby.merge(make("192.168.1.5", 7420, DiscoveredServer::Mdns, "ABCD-EFGH-JKMN-PQRS"));
        QCOMPARE(nearby.servers().size(), 1);
        QCOMPARE(nearby.servers()[0].address, QHostAddress(QStringLiteral("10.0.0.5")));
    }

    void differentIdentitiesAreDifferentServersEvenOnOneAddress()
    {
        NearbyServers nearby;
        nearby.merge(make("10.0.0.5", 7420, DiscoveredServer::Broadcast, "AAAA-AAAA-AAAA-AAAA"));
        nearby.merge(make("10.0.0.5", 7420, DiscoveredServer::Mdns, "BBBB-BBBB-BBBB-BBBB"));
        QCOMPARE(nearby.servers().size(), 2);
    }

    void anIdentityLearnedLaterIsKept()
    {
        NearbyServers nearby;
        nearby.merge(make("10.0.0.5", 7420, DiscoveredServer::Broadcast));
        nearby.merge(make("10.0.0.5", 7420, DiscoveredServer::Mdns, "ABCD-EFGH-JKMN-PQRS"));
        QCOMPARE(nearby.servers().size(), 1);
        QCOMPARE(nearby.servers()[0].identity, QStringLiteral("ABCD-EFGH-JKMN-PQRS"));
    }

    void otherPortIsAnotherServer()
    {
        NearbyServers nearby;
        nearby.merge(make("10.0.0.5", 7420, DiscoveredServer::Broadcast));
        nearby.merge(make("10.0.0.5", 7421, DiscoveredServer::Broadcast));
        QCOMPARE(nearby.servers().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestNearbyServers)
#include "tst_nearbyservers.moc"
