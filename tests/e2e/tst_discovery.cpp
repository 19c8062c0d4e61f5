// LAN discovery: the server answers discover datagrams with its name and port, unicast to the sender,
// ignores anything else and anything over 1 KiB, and answers a flooding sender only a few times a second.

#include "Discovery.h"
#include "ServerIdentity.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkDatagram>
#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>

using namespace ferry;

class TestDiscovery : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Discovery> m_discovery;
    QUdpSocket m_client;

    void query(const QByteArray &datagram)
    {
        m_client.writeDatagram(datagram, QHostAddress::LocalHost, m_discovery->udpPort());
    }
    QList<QJsonObject> answersWithin(int timeoutMs)
    {
        QList<QJsonObject> answers;
        QSignalSpy spy(&m_client, &QUdpSocket::readyRead);
        do {
            while (m_client.hasPendingDatagrams())
                answers.append(QJsonDocument::fromJson(m_client.receiveDatagram().data()).object());
        } while (spy.wait(timeoutMs));
        return answers;
    }

private slots:
    void init()
    {
        m_discovery = std::make_unique<Discovery>(QStringLiteral("office"), 7555, nullptr, 0);
        m_discovery->setIdentity(ServerIdentity::fromDigest(QByteArray(32, '\x5a')));
        QString error;
        QVERIFY2(m_discovery->start(&error), qPrintable(error));
        QVERIFY(m_client.bind(QHostAddress::LocalHost, 0));
    }
    void cleanup()
    {
        m_discovery.reset();
        m_client.close();
    }

    void answersADiscoverQuery()
    {
        query("{\"op\":\"discover\",\"proto\":2}");
        const QList<QJsonObject> answers = answersWithin(2000);
        QCOMPARE(answers.size(), 1);
        QCOMPARE(answers[0].value(QStringLiteral("op")).toString(), QStringLiteral("here"));
        QCOMPARE(answers[0].value(QStringLiteral("proto")).toInt(), 2);
        QCOMPARE(answers[0].value(QStringLiteral("name")).toString(), QStringLiteral("office"));
        QCOMPARE(answers[0].value(QStringLiteral("port")).toInt(), 7555);
        QCOMPARE(answers[0].value(QStringLiteral("tls")).toBool(false), true);
        // 0x5a5a… = 01011 01001 01101 … in five-bit groups: B 9 D …
        QCOMPARE(answers[0].value(QStringLiteral("identity")).toString(), QStringLiteral("B9D5-MPJT-B9D5-MPJT"));
        QCOMPARE(answers[0].value(QStringLiteral("fingerprint")).toString(), QString::fromLatin1(QByteArray(32, '\x5a').toHex()));
    }

    // A reload (SIGHUP) renames a running server: the next answers carry the new name.
    void answersWithTheNameSetWhileRunning()
    {
        m_discovery->setName(QStringLiteral("renamed office"));
        query("{\"op\":\"discover\",\"proto\":2}");
        const QList<QJsonObject> answers = answersWithin(2000);
        QCOMPARE(answers.size(), 1);
        QCOMPARE(answers[0].value(QStringLiteral("name")).toString(), QStringLiteral("renamed office"));
    }

    void ignoresOtherAndOversizedDatagrams()
    {
        query("{\"op\":\"hello\"}");
        query("not json at all");
        QByteArray big = "{\"op\":\"discover\",\"proto\":2,\"pad\":\"";
        big += QByteArray(1100, 'x') + "\"}";
        query(big);
        QVERIFY(answersWithin(500).isEmpty());
        query("{\"op\":\"discover\",\"proto\":2}");   // still alive
        QCOMPARE(answersWithin(2000).size(), 1);
    }

    void answersAFloodingSenderOnlyAFewTimes()
    {
        for (int i = 0; i < 50; ++i)
            query("{\"op\":\"discover\",\"proto\":2}");
        const int answered = int(answersWithin(500).size());
        QVERIFY2(answered >= 1 && answered <= 3, qPrintable(QString::number(answered)));
    }

    // Issue 11 finding 8: `--listen 127.0.0.2` must not be announced where that address is not reachable,
    // and the answer comes from the listening address (the one clients connect to).
    void specificListenAddressAnswersOnlyThereAndFromThere()
    {
        m_discovery = std::make_unique<Discovery>(QStringLiteral("office"), 7555, nullptr, 0);
        m_discovery->setListenAddress(QHostAddress(QStringLiteral("127.0.0.2")));
        QString error;
        QVERIFY2(m_discovery->start(&error), qPrintable(error));
        const QByteArray discover("{\"op\":\"discover\",\"proto\":2}");
        m_client.writeDatagram(discover, QHostAddress(QStringLiteral("127.0.0.3")), m_discovery->udpPort());
        QSignalSpy spy(&m_client, &QUdpSocket::readyRead);
        QVERIFY(!spy.wait(1000));   // not the listener's address: no answer

        m_client.writeDatagram(discover, QHostAddress(QStringLiteral("127.0.0.2")), m_discovery->udpPort());
        QVERIFY(spy.wait(2000));
        const QNetworkDatagram answer = m_client.receiveDatagram();
        QCOMPARE(answer.senderAddress(), QHostAddress(QStringLiteral("127.0.0.2")));
        QCOMPARE(QJsonDocument::fromJson(answer.data()).object().value(QStringLiteral("port")).toInt(), 7555);
    }
};

QTEST_GUILESS_MAIN(TestDiscovery)
#include "tst_discovery.moc"
