#include "DiscoverCommand.h"

#include "NearbyServers.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTextStream>

namespace ferry::cli {

namespace {
struct Translate {
    Q_DECLARE_TR_FUNCTIONS(ferry::cli::DiscoverCommand)
};
} // namespace

int runDiscover(QTextStream &out, QTextStream &err, int durationMs)
{
    NearbyServers nearby;
    QEventLoop loop;
    QObject::connect(&nearby, &NearbyServers::finished, &loop, &QEventLoop::quit);
    nearby.start(durationMs);
    loop.exec();
    if (!nearby.mdnsProblem().isEmpty())
        err << Translate::tr("ferry-cli: %1 (searched by broadcast only)").arg(nearby.mdnsProblem()) << Qt::endl;
    const QList<DiscoveredServer> servers = nearby.servers();
    if (servers.isEmpty()) {
        err << Translate::tr("ferry-cli: no Ferry server answered on the local network") << Qt::endl;
        return 1;
    }
    for (const DiscoveredServer &server : servers) {
        const QString address = server.address.protocol() == QAbstractSocket::IPv6Protocol
                                    ? QStringLiteral("[%1]").arg(server.address.toString()) : server.address.toString();
        QString line = QStringLiteral("%1\tferry://%2:%3\t%4").arg(server.name, address).arg(server.port)
                           .arg(Translate::tr("found by %1").arg(NearbyServers::foundByText(server.foundBy)));
        if (!server.identity.isEmpty())
            line += QLatin1Char('\t') + Translate::tr("identity %1").arg(server.identity);
        out << line << Qt::endl;
    }
    return 0;
}

} // namespace ferry::cli
