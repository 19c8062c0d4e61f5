// TlsSocket (common/protocol) on loopback against Qt's own TLS stack and against peers that are not TLS:
// the server's certificate reaches the client whole; a TLS 1.2 client is refused with a handshake failure; a
// peer that connects and leaves is a plain close, not a TLS failure (ferryd logs only the latter); a write to
// a peer that is gone ends the connection, not the process (no SIGPIPE).

#include "TlsListener.h"
#include "TlsSocket.h"

#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

using namespace ferry;
using ferry::test::TlsSocketListener;

namespace {

// Connects `client` to `listener` (listening from now on); the accepted end once both are encrypted, or null.
TlsSocket *connectTo(TlsSocketListener &listener, TlsSocket &client)
{
    if (!listener.listenLocal())
        return nullptr;
    TlsSocket *accepted = nullptr;
    QObject::connect(&listener, &TlsSocketListener::encryptedConnection, &listener,
                     [&accepted](TlsSocket *socket) { accepted = socket; });
    client.connectToHost(QStringLiteral("127.0.0.1"), listener.serverPort());
    const bool encrypted = QTest::qWaitFor([&] { return accepted && client.isEncrypted(); }, 10000);
    QObject::disconnect(&listener, &TlsSocketListener::encryptedConnection, &listener, nullptr);
    return encrypted ? accepted : nullptr;
}

} // namespace

class TestTlsSocket : public QObject {
    Q_OBJECT

private slots:
    void clientSeesTheServersCertificate()
    {
        TlsSocketListener listener;
        TlsSocket client(TlsContext::client());
        QSignalSpy connected(&client, &TlsSocket::connected);
        TlsSocket *accepted = connectTo(listener, client);
        QVERIFY(accepted);
        QCOMPARE(connected.count(), 1);
        QCOMPARE(client.peerCertificate(), listener.tls().certificate);
        QCOMPARE(client.peerCertificateDer(), listener.tls().certificate.toDer());
        QVERIFY(accepted->peerCertificate().isNull());   // clients have none
        QVERIFY(accepted->peerCertificateDer().isEmpty());
        QCOMPARE(client.peerAddressText(), QStringLiteral("127.0.0.1"));
        QCOMPARE(accepted->peerAddressText(), QStringLiteral("127.0.0.1"));
    }

    void tls12ClientIsRefused()
    {
        TlsSocketListener listener;
        QVERIFY(listener.listenLocal());
        QStringList failures;
        int closedAtServer = 0;
        auto watch = [&](TlsSocket *socket) {
            connect(socket, &TlsSocket::handshakeFailed, this, [&](const QString &message) { failures << message; });
            connect(socket, &TlsSocket::disconnected, this, [&] { ++closedAtServer; });
        };
        connect(&listener, &TlsSocketListener::newConnectionSocket, this, watch);
        QSslSocket old;
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setProtocol(QSsl::TlsV1_2);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        old.setSslConfiguration(configuration);
        QSignalSpy encrypted(&old, &QSslSocket::encrypted);
        old.connectToHostEncrypted(QStringLiteral("127.0.0.1"), listener.serverPort());
        QTRY_COMPARE_WITH_TIMEOUT(closedAtServer, 1, 10000);
        QCOMPARE(failures.size(), 1);
        QVERIFY2(failures.at(0).contains(QLatin1String("TLS handshake failed")), qPrintable(failures.at(0)));
        QCOMPARE(encrypted.count(), 0);
    }

    void aPeerThatLeavesBeforeTheHandshakeIsNoTlsFailure()
    {
        TlsSocketListener listener;
        QVERIFY(listener.listenLocal());
        int failures = 0;
        int closedAtServer = 0;
        connect(&listener, &TlsSocketListener::newConnectionSocket, this, [&](TlsSocket *socket) {
            connect(socket, &TlsSocket::handshakeFailed, this, [&] { ++failures; });
            connect(socket, &TlsSocket::disconnected, this, [&] { ++closedAtServer; });
        });
        QTcpSocket probe;
        probe.connectToHost(QStringLiteral("127.0.0.1"), listener.serverPort());
        QVERIFY(probe.waitForConnected(10000));
        probe.disconnectFromHost();
        QTRY_COMPARE_WITH_TIMEOUT(closedAtServer, 1, 10000);
        QCOMPARE(failures, 0);
    }

    void writingToAPeerThatIsGoneEndsTheConnectionOnly()
    {
        TlsSocketListener listener;
        TlsSocket client(TlsContext::client());
        TlsSocket *accepted = connectTo(listener, client);
        QVERIFY(accepted);
        QSignalSpy disconnected(&client, &TlsSocket::disconnected);
        accepted->disconnectFromHost();   // close_notify, then the descriptor closes
        const QByteArray chunk(1024 * 1024, 'x');
        // The first writes may still be taken by the kernel; later ones meet the closed peer (EPIPE, which
        // would raise SIGPIPE and end this process without MSG_NOSIGNAL).
        for (int i = 0; i < 64 && client.state() != TlsSocket::State::Unconnected; ++i) {
            client.write(chunk);
            client.flush();
            QCoreApplication::processEvents();
        }
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, 10000);
        QCOMPARE(client.state(), TlsSocket::State::Unconnected);
    }
};

QTEST_MAIN(TestTlsSocket)
#include "tst_tlssocket.moc"
