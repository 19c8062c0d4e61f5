// The server identity and the channel binding data from a fixed certificate, against values computed
// independently (openssl CLI for the hashes, a few lines of Python for the base32 code), and the
// known-servers store: first use, match, change, forget.

#include "KnownServers.h"
#include "Protocol.h"
#include "ScramServer.h"
#include "ServerIdentity.h"

#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;

namespace {

// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 … -subj "/CN=ferry-example"
const QByteArray ExampleCertificate =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBhjCCAS2gAwIBAgIUUMwH6zICePFaiInaVza0tQwipeAwCgYIKoZIzj0EAwIw\n"
    "GDEWMBQGA1UEAwwNZmVycnktZXhhbXBsZTAgFw0yNjEyMDMxNjQ4MDJaGA8yMTI2\n"
    "MTEwOTE2NDgwMlowGDEWMBQGA1UEAwwNZmVycnktZXhhbXBsZTBZMBMGByqGSM49\n"
    "AgEGCCqGSM49AwEHA0IABMGq+txYjnWnSHDf6RW5Y84LfZI9+vzQmlImXl3awvCS\n"
    "QTiJIuIJ7KniX3e7j1yOmulChh6Vyo4wiUNwekYUuDCjUzBRMB0GA1UdDgQWBBTG\n"
    "zU/hi3RCVr45MuvO3xzfyOUTATAfBgNVHSMEGDAWgBTGzU/hi3RCVr45MuvO3xzf\n"
    "yOUTATAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIEasvNfN7uzT\n"
    "sPq2QIOfQAXTCG66uhP59XNjejD9QCrzAiA+cYE0OTALT+dVzTCz+ljxvNY+firz\n"
    "eox2wYgjATltdw==\n"
    "-----END CERTIFICATE-----\n";
// openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum
const QString ExampleFingerprint = QStringLiteral("a681d04c4ad22f4cc659778e5d1943c69c5c82aef047c7631cabb4d76e244561");
const QString ExampleCode = QStringLiteral("MT0X-0K2A-T8QM-SHJS");
// openssl x509 -outform DER | sha256sum
const QByteArray ExampleEndPoint = QByteArray::fromHex("2c123293898a40e2909734307b9abe4b768429914c1607ba6b52706d122fa9e7");
const QByteArray ExampleBindingAttribute = "cD10bHMtc2VydmVyLWVuZC1wb2ludCwsLBIyk4mKQOKQlzQwe5q+S3aEKZFMFge6a1JwbRIvqec=";

} // namespace

class TestServerIdentity : public QObject {
    Q_OBJECT
private slots:
    void fingerprintAndCodeOfAFixedCertificate()
    {
        const QSslCertificate certificate(ExampleCertificate, QSsl::Pem);
        QVERIFY(!certificate.isNull());
        const ServerIdentity identity = ServerIdentity::fromCertificate(certificate);
        QVERIFY(identity.isValid());
        QCOMPARE(identity.fingerprint(), ExampleFingerprint);
        QCOMPARE(identity.code(), ExampleCode);
        QCOMPARE(ServerIdentity::fromFingerprint(ExampleFingerprint), identity);
        // What the engine computes from the handshake's DER, without Qt's TLS classes: the same.
        QCOMPARE(ServerIdentity::fromCertificateDer(certificate.toDer()), identity);
        QVERIFY(!ServerIdentity::fromCertificateDer(certificate.toDer().chopped(1)).isValid());
    }

    void codeTakesTheFirst80BitsMostSignificantFirst()
    {
        QCOMPARE(ServerIdentity::fromDigest(QByteArray(32, '\0')).code(), QStringLiteral("0000-0000-0000-0000"));
        QCOMPARE(ServerIdentity::fromDigest(QByteArray(32, '\xff')).code(), QStringLiteral("ZZZZ-ZZZZ-ZZZZ-ZZZZ"));
        // Only the first 10 bytes count: a change after them keeps the code, one in them does not.
        QByteArray digest(32, '\0');
        digest[10] = '\xff';
        QCOMPARE(ServerIdentity::fromDigest(digest).code(), QStringLiteral("0000-0000-0000-0000"));
        digest[9] = '\x01';   // the very last bit of the code
        QCOMPARE(ServerIdentity::fromDigest(digest).code(), QStringLiteral("0000-0000-0000-0001"));
    }

    void channelBindingDataHashesTheWholeCertificate()
    {
        const QSslCertificate certificate(ExampleCertificate, QSsl::Pem);
        QCOMPARE(tlsServerEndPoint(certificate), ExampleEndPoint);
        QCOMPARE(tlsServerEndPointFromDer(certificate.toDer()), ExampleEndPoint);
        // The c= attribute of a bound client-final message (PROTOCOL.md's worked example).
        ScramClient client(QStringLiteral("user"), QStringLiteral("pencil"), "rOprNGfwEbeRWgbNEkqO", ExampleEndPoint);
        QVERIFY(client.clientFirstMessage().startsWith("p=tls-server-end-point,,n=user,r="));
        const Result<QByteArray> final = client.clientFinalMessage(
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        QVERIFY(final.ok());
        QVERIFY2(final->startsWith(QByteArray("c=" + ExampleBindingAttribute + ",r=")), final->constData());
    }

    void serverRefusesUnboundOrOtherwiseBoundLogins()
    {
        const ScramCredentials credentials = ScramCredentials::derive(QStringLiteral("pencil"), "salt-salt", 4096);
        // No binding at all: refused at the first message, as a binding failure.
        ScramServer unbound(QByteArray(), ExampleEndPoint);
        const Result<QString> first = unbound.receiveClientFirst("n,,n=user,r=abc");
        QVERIFY(!first.ok());
        QCOMPARE(first.error().code, QString(ErrorCode::AuthFailed));
        QVERIFY(unbound.bindingFailed());
        // Bound to another certificate (a relay's): refused at the proof, right password or not.
        ScramClient client(QStringLiteral("user"), QStringLiteral("pencil"), QByteArray(), QByteArray(32, 'x'));
        ScramServer server(QByteArray(), ExampleEndPoint);
        QVERIFY(server.receiveClientFirst(client.clientFirstMessage()).ok());
        const Result<QByteArray> final = client.clientFinalMessage(server.serverFirstMessage(credentials));
        QVERIFY(final.ok());
        const Result<QByteArray> verdict = server.receiveClientFinal(*final);
        QVERIFY(!verdict.ok());
        QCOMPARE(verdict.error().code, QString(ErrorCode::AuthFailed));
        QVERIFY(server.bindingFailed());
        // Bound to the right one: accepted.
        ScramClient good(QStringLiteral("user"), QStringLiteral("pencil"), QByteArray(), ExampleEndPoint);
        ScramServer again(QByteArray(), ExampleEndPoint);
        QVERIFY(again.receiveClientFirst(good.clientFirstMessage()).ok());
        const Result<QByteArray> goodFinal = good.clientFinalMessage(again.serverFirstMessage(credentials));
        const Result<QByteArray> accepted = again.receiveClientFinal(*goodFinal);
        QVERIFY2(accepted.ok(), qPrintable(accepted.error().message));
        QVERIFY(good.verifyServerFinal(*accepted));
        QVERIFY(!again.bindingFailed());
    }

    void typedCodesAreNormalised()
    {
        QCOMPARE(ServerIdentity::normalizeCode(QStringLiteral("mt0x 0k2a t8qm shjs")), ExampleCode);
        QCOMPARE(ServerIdentity::normalizeCode(QStringLiteral("MTOX-OK2A-T8QM-SHJS")), ExampleCode);   // O read as 0
        QCOMPARE(ServerIdentity::normalizeCode(QStringLiteral("MT0X-0K2A-T8QM")), QString());
        QCOMPARE(ServerIdentity::normalizeCode(QStringLiteral("MT0X-0K2A-T8QM-SHJU")), QString());   // U is not in it
    }

    void knownServersFirstUseMatchChangeForget()
    {
        QTemporaryDir folder;
        KnownServers store(folder.filePath(QStringLiteral("sub/known_servers.json")));
        const ServerIdentity a = ServerIdentity::fromFingerprint(ExampleFingerprint);
        const ServerIdentity b = ServerIdentity::fromDigest(QByteArray(32, '\x11'));
        const IdentityCheck check{QStringLiteral("Example.LAN"), 7420, a, {}};
        int asked = 0;
        // First use: asked; a "no" is identity_unknown and remembers nothing.
        Status status = store.verify(check, [&](const IdentityCheck &c) { ++asked; return !c.known.isValid() && false; });
        QCOMPARE(status.error().code, QString(ErrorCode::IdentityUnknown));
        QVERIFY(!store.find(QStringLiteral("example.lan"), 7420).isValid());
        // No prompt at all (no terminal, no --trust): refused.
        QCOMPARE(store.verify(check, {}).error().code, QString(ErrorCode::IdentityUnknown));
        // "yes": remembered, per host:port (case-insensitive host).
        QVERIFY(store.verify(check, [&](const IdentityCheck &) { ++asked; return true; }).ok());
        QCOMPARE(asked, 2);
        QCOMPARE(store.find(QStringLiteral("example.lan"), 7420), a);
        QVERIFY(!store.find(QStringLiteral("example.lan"), 7421).isValid());
        // Match: not asked again.
        QVERIFY(store.verify(check, [&](const IdentityCheck &) { ++asked; return false; }).ok());
        QCOMPARE(asked, 2);
        // Change: refused without asking, naming both codes and how to forget.
        const Status changed = store.verify(IdentityCheck{QStringLiteral("example.lan"), 7420, b, {}},
                                            [&](const IdentityCheck &) { ++asked; return true; });
        QCOMPARE(changed.error().code, QString(ErrorCode::IdentityChanged));
        QCOMPARE(asked, 2);
        QVERIFY2(changed.error().message.contains(a.code()) && changed.error().message.contains(b.code())
                     && changed.error().message.contains(QLatin1String("forget")),
                 qPrintable(changed.error().message));
        QCOMPARE(store.find(QStringLiteral("example.lan"), 7420), a);   // the old one stays until forgotten
        // Forget, then first use again.
        QCOMPARE(*store.forget(QStringLiteral("example.lan"), 7420), true);
        QCOMPARE(*store.forget(QStringLiteral("example.lan"), 7420), false);
        QVERIFY(store.verify(IdentityCheck{QStringLiteral("example.lan"), 7420, b, {}}, [](const IdentityCheck &) { return true; }).ok());
        QCOMPARE(KnownServers(store.path()).find(QStringLiteral("example.lan"), 7420), b);
        QCOMPARE(KnownServers::key(QStringLiteral("::1"), 7420), QStringLiteral("[::1]:7420"));
    }
};

QTEST_GUILESS_MAIN(TestServerIdentity)
#include "tst_serveridentity.moc"
