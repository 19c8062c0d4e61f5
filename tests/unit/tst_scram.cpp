// SCRAM-SHA-256: the RFC 7677 test vector byte for byte, full exchanges, and everything a hostile or
// broken peer might send.

#include "Protocol.h"
#include "ScramPrimitives.h"
#include "ScramServer.h"

#include <QMessageAuthenticationCode>
#include <QTest>

#include <openssl/evp.h>

using namespace ferry;

namespace {

const QByteArray RfcClientNonce = "rOprNGfwEbeRWgbNEkqO";
const QByteArray RfcServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
const QByteArray RfcSalt = QByteArray::fromBase64("W22ZaJ0SNY7soEsUEjb6gQ==");
const QByteArray RfcClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
const QByteArray RfcServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
const QByteArray RfcClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
const QByteArray RfcServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

// A server that has sent its challenge for `credentials` to `client`.
struct Exchange {
    ScramServer server;
    QByteArray serverFirst;
};

void startExchange(Exchange &exchange, ScramClient &client, const ScramCredentials &credentials)
{
    const Result<QString> user = exchange.server.receiveClientFirst(client.clientFirstMessage());
    QVERIFY2(user.ok(), qPrintable(user.error().message));
    exchange.serverFirst = exchange.server.serverFirstMessage(credentials);
    QVERIFY(!exchange.serverFirst.isEmpty());
}

} // namespace

class TestScram : public QObject {
    Q_OBJECT

private slots:
    void clientMessagesMatchRfc7677TestVector()
    {
        ScramClient client(QStringLiteral("user"), QStringLiteral("pencil"), RfcClientNonce);
        QCOMPARE(client.clientFirstMessage(), RfcClientFirst);
        const Result<QByteArray> clientFinal = client.clientFinalMessage(RfcServerFirst);
        QVERIFY2(clientFinal.ok(), qPrintable(clientFinal.error().message));
        QCOMPARE(*clientFinal, RfcClientFinal);
        QVERIFY(client.verifyServerFinal(RfcServerFinal));
    }

    // A salted password derived ahead (SaltedPasswordGuess) is used when server-first names its salt and
    // iteration count, and only then. A guess made from another password shows which one was used: the proof
    // it gives is not the RFC's.
    void guessIsUsedOnlyForTheSaltTheServerNames_data()
    {
        QTest::addColumn<QString>("guessedFrom");
        QTest::addColumn<QByteArray>("guessSalt");
        QTest::addColumn<int>("guessIterations");
        QTest::addColumn<bool>("rfcProof");
        QTest::newRow("same salt, same password") << QStringLiteral("pencil") << RfcSalt << 4096 << true;
        QTest::newRow("same salt, other password") << QStringLiteral("pen") << RfcSalt << 4096 << false;
        QTest::newRow("other salt") << QStringLiteral("pen") << QByteArray("another salt") << 4096 << true;
        QTest::newRow("other iterations") << QStringLiteral("pen") << RfcSalt << 4097 << true;
    }
    void guessIsUsedOnlyForTheSaltTheServerNames()
    {
        QFETCH(QString, guessedFrom);
        QFETCH(QByteArray, guessSalt);
        QFETCH(int, guessIterations);
        QFETCH(bool, rfcProof);
        const ScramSalt expected{guessSalt, guessIterations};
        QVERIFY(expected.isValid());
        ScramClient client(QStringLiteral("user"), QStringLiteral("pencil"), RfcClientNonce);
        client.setGuess(SaltedPasswordGuess::start(guessedFrom, expected));
        QVERIFY(!client.serverSalt().isValid());
        const Result<QByteArray> clientFinal = client.clientFinalMessage(RfcServerFirst);
        QVERIFY2(clientFinal.ok(), qPrintable(clientFinal.error().message));
        QCOMPARE(*clientFinal == RfcClientFinal, rfcProof);
        QCOMPARE(client.verifyServerFinal(RfcServerFinal), rfcProof);
        QCOMPARE(client.serverSalt(), (ScramSalt{RfcSalt, 4096}));
    }

    // What a guess may be started for: the bounds a server's challenge has, so that a tampered salts file
    // cannot start hours of PBKDF2.
    void saltValidityFollowsTheChallengeBounds()
    {
        QVERIFY((ScramSalt{RfcSalt, Limits::MinScramIterations}.isValid()));
        QVERIFY((ScramSalt{RfcSalt, ScramSalt::MaxIterations}.isValid()));
        QVERIFY(!(ScramSalt{RfcSalt, Limits::MinScramIterations - 1}.isValid()));
        QVERIFY(!(ScramSalt{RfcSalt, ScramSalt::MaxIterations + 1}.isValid()));
        QVERIFY(!(ScramSalt{QByteArray(), 4096}.isValid()));
        ScramClient client(QStringLiteral("user"), QStringLiteral("pencil"), RfcClientNonce);
        QVERIFY(!client.clientFinalMessage("r=rOprNGfwEbeRWgbNEkqOab,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000001").ok());
        QVERIFY(!client.serverSalt().isValid());
    }

    // The salted password (PBKDF2-HMAC-SHA256, from Nettle) against OpenSSL's, where HMAC's key handling
    // changes: passwords shorter than, as long as and longer than a SHA-256 block, non-ASCII ones, and the
    // iteration counts around the first one and WIRE.md's.
    void saltedPasswordAgreesWithOpenSsl_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QByteArray>("salt");
        QTest::addColumn<int>("iterations");
        QTest::newRow("empty") << QString() << QByteArray("salt") << 2;
        QTest::newRow("one iteration") << QStringLiteral("pencil") << RfcSalt << 1;
        QTest::newRow("64 bytes") << QString(64, QLatin1Char('p')) << RfcSalt << 3;
        QTest::newRow("65 bytes") << QString(65, QLatin1Char('p')) << RfcSalt << 3;
        QTest::newRow("non-ASCII, long salt") << QStringLiteral("pässwört 密码") << QByteArray(100, 's') << 7;
        QTest::newRow("new passwords' count") << QStringLiteral("wonderland") << RfcSalt << 100000;
    }

    void saltedPasswordAgreesWithOpenSsl()
    {
        QFETCH(QString, password);
        QFETCH(QByteArray, salt);
        QFETCH(int, iterations);
        const QByteArray utf8 = password.toUtf8();
        QByteArray expected(32, Qt::Uninitialized);
        QVERIFY(PKCS5_PBKDF2_HMAC(utf8.constData(), int(utf8.size()), reinterpret_cast<const unsigned char *>(salt.constData()),
                                  int(salt.size()), iterations, EVP_sha256(), 32,
                                  reinterpret_cast<unsigned char *>(expected.data())) == 1);
        QCOMPARE(scram::saltedPassword(password, salt, iterations).toHex(), expected.toHex());
        QCOMPARE(scram::saltedPassword(password, salt, 0), QByteArray());
    }

    void serverMessagesMatchRfc7677TestVector()
    {
        ScramServer server(RfcServerNonce);
        const Result<QString> user = server.receiveClientFirst(RfcClientFirst);
        QVERIFY(user.ok());
        QCOMPARE(*user, QStringLiteral("user"));
        QCOMPARE(server.user(), QStringLiteral("user"));
        const ScramCredentials credentials = ScramCredentials::derive(QStringLiteral("pencil"), RfcSalt, 4096);
        QCOMPARE(server.serverFirstMessage(credentials), RfcServerFirst);
        const Result<QByteArray> serverFinal = server.receiveClientFinal(RfcClientFinal);
        QVERIFY2(serverFinal.ok(), qPrintable(serverFinal.error().message));
        QCOMPARE(*serverFinal, RfcServerFinal);
    }

    void createdCredentialsHaveRandomSaltAndDefaultIterations()
    {
        const ScramCredentials a = ScramCredentials::create(QStringLiteral("pw"));
        const ScramCredentials b = ScramCredentials::create(QStringLiteral("pw"));
        QCOMPARE(a.salt.size(), 16);
        QCOMPARE(a.iterations, ScramCredentials::DefaultIterations);
        QVERIFY(a.iterations >= Limits::MinScramIterations);
        QCOMPARE(a.storedKey.size(), 32);
        QCOMPARE(a.serverKey.size(), 32);
        QVERIFY(a.salt != b.salt);
        QVERIFY(a.storedKey != b.storedKey);
        const ScramCredentials again = ScramCredentials::derive(QStringLiteral("pw"), a.salt, a.iterations);
        QCOMPARE(again.storedKey, a.storedKey);
        QCOMPARE(again.serverKey, a.serverKey);
    }

    void fullExchangeWithRandomNoncesAuthenticatesBothSides_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("iterations");
        QTest::newRow("ascii") << QStringLiteral("alice") << QStringLiteral("correct horse") << 4096;
        QTest::newRow("unicode") << QString::fromUtf8("张伟") << QString::fromUtf8("密码 ünïcödé") << 4096;
        QTest::newRow("more iterations") << QStringLiteral("bob") << QStringLiteral("pw") << 10000;
        QTest::newRow("comma and equals in name") << QStringLiteral("we,ird=name") << QStringLiteral("x,y=z") << 4096;
    }
    void fullExchangeWithRandomNoncesAuthenticatesBothSides()
    {
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(int, iterations);
        const ScramCredentials stored = ScramCredentials::derive(password, QByteArray("0123456789abcdef"), iterations);
        ScramClient client(user, password);
        Exchange exchange;
        startExchange(exchange, client, stored);
        QCOMPARE(exchange.server.user(), user);
        const Result<QByteArray> clientFinal = client.clientFinalMessage(exchange.serverFirst);
        QVERIFY(clientFinal.ok());
        const Result<QByteArray> serverFinal = exchange.server.receiveClientFinal(*clientFinal);
        QVERIFY2(serverFinal.ok(), qPrintable(serverFinal.error().message));
        QVERIFY(client.verifyServerFinal(*serverFinal));
    }

    void randomNoncesArePrintableAndDiffer()
    {
        ScramClient a(QStringLiteral("u"), QStringLiteral("p"));
        ScramClient b(QStringLiteral("u"), QStringLiteral("p"));
        QVERIFY(a.clientFirstMessage() != b.clientFirstMessage());
        const QByteArray nonce = a.clientFirstMessage().mid(QByteArray("n,,n=u,r=").size());
        QVERIFY(nonce.size() >= 24);
        for (const char c : nonce)
            QVERIFY2(c >= 0x21 && c <= 0x7e && c != ',', nonce.constData());
    }

    void wrongPasswordIsAuthFailed()
    {
        const ScramCredentials stored = ScramCredentials::create(QStringLiteral("right"));
        ScramClient client(QStringLiteral("alice"), QStringLiteral("wrong"));
        Exchange exchange;
        startExchange(exchange, client, stored);
        const Result<QByteArray> serverFinal = exchange.server.receiveClientFinal(*client.clientFinalMessage(exchange.serverFirst));
        QVERIFY(!serverFinal.ok());
        QCOMPARE(serverFinal.error().code, QString(ErrorCode::AuthFailed));
    }

    void unknownUserWithFakeCredentialsFailsLikeAWrongPassword()
    {
        const QByteArray secret(32, 's');
        ScramClient client(QStringLiteral("ghost"), QStringLiteral("anything"));
        Exchange exchange;
        startExchange(exchange, client, fakeScramCredentials(secret, QStringLiteral("ghost")));
        const Result<QByteArray> serverFinal = exchange.server.receiveClientFinal(*client.clientFinalMessage(exchange.serverFirst));
        QVERIFY(!serverFinal.ok());
        QCOMPARE(serverFinal.error().code, QString(ErrorCode::AuthFailed));

        ScramClient real(QStringLiteral("alice"), QStringLiteral("wrong"));
        Exchange other;
        startExchange(other, real, ScramCredentials::create(QStringLiteral("right")));
        const Result<QByteArray> wrong = other.server.receiveClientFinal(*real.clientFinalMessage(other.serverFirst));
        QCOMPARE(serverFinal.error().message, wrong.error().message);
    }

    void oneExchangeAcceptsOnlyOneClientFinal()
    {
        ScramServer server(RfcServerNonce);
        QVERIFY(server.receiveClientFirst(RfcClientFirst).ok());
        server.serverFirstMessage(ScramCredentials::derive(QStringLiteral("pencil"), RfcSalt, 4096));
        QVERIFY(!server.receiveClientFinal(RfcClientFinal.left(RfcClientFinal.size() - 4) + "AAA=").ok());
        const Result<QByteArray> retry = server.receiveClientFinal(RfcClientFinal);
        QVERIFY(!retry.ok());
        QCOMPARE(retry.error().code, QString(ErrorCode::AuthFailed));
    }

    void clientFinalBeforeChallengeIsAuthFailed()
    {
        ScramServer server(RfcServerNonce);
        const Result<QByteArray> result = server.receiveClientFinal(RfcClientFinal);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QString(ErrorCode::AuthFailed));
        QVERIFY(server.serverFirstMessage(ScramCredentials::create(QStringLiteral("x"))).isEmpty());
    }

    void forgedServerFinalIsRejectedByClient_data()
    {
        QTest::addColumn<QByteArray>("serverFinal");
        QByteArray flipped = QByteArray::fromBase64(RfcServerFinal.mid(2));
        flipped[0] = char(flipped.at(0) ^ 1);
        QTest::newRow("one bit flipped") << QByteArray("v=" + flipped.toBase64());
        QTest::newRow("truncated") << RfcServerFinal.left(RfcServerFinal.size() - 4);
        QTest::newRow("empty signature") << QByteArray("v=");
        QTest::newRow("server error") << QByteArray("e=other-error");
        QTest::newRow("signature under other name") << QByteArray("x=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        QTest::newRow("not base64") << QByteArray("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4*");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("\xff\x00garbage", 9);
    }
    void forgedServerFinalIsRejectedByClient()
    {
        QFETCH(QByteArray, serverFinal);
        ScramClient client(QStringLiteral("user"), QStringLiteral("pencil"), RfcClientNonce);
        QVERIFY(client.clientFinalMessage(RfcServerFirst).ok());
        QVERIFY(!client.verifyServerFinal(serverFinal));
        QVERIFY(client.verifyServerFinal(RfcServerFinal));   // the genuine one still passes
    }

    void serverFinalOfAnImpostorWithoutTheKeysIsRejected()
    {
        // An impostor server that does not know the user's keys answers with keys of its own.
        ScramClient client(QStringLiteral("alice"), QStringLiteral("pw"));
        Exchange exchange;
        startExchange(exchange, client, fakeScramCredentials(QByteArray(32, 'x'), QStringLiteral("alice")));
        QVERIFY(client.clientFinalMessage(exchange.serverFirst).ok());
        const QByteArray impostorSignature =
            QMessageAuthenticationCode::hash("anything", QByteArray(32, 'k'), QCryptographicHash::Sha256);
        QVERIFY(!client.verifyServerFinal("v=" + impostorSignature.toBase64()));
    }

    void serverFinalBeforeClientFinalIsRejected()
    {
        ScramClient client(QStringLiteral("user"), QStringLiteral("pencil"), RfcClientNonce);
        QVERIFY(!client.verifyServerFinal(RfcServerFinal));
    }

    void fakeSaltIsStablePerNameAndSecret()
    {
        const QByteArray secret(32, 'a');
        const ScramCredentials first = fakeScramCredentials(secret, QStringLiteral("ghost"));
        const ScramCredentials second = fakeScramCredentials(secret, QStringLiteral("ghost"));
        QCOMPARE(first.salt, second.salt);
        QCOMPARE(first.salt.size(), 16);
        QCOMPARE(first.iterations, ScramCredentials::DefaultIterations);
        QCOMPARE(first.salt, QMessageAuthenticationCode::hash("salt:ghost", secret, QCryptographicHash::Sha256).left(16));
        QVERIFY(fakeScramCredentials(secret, QStringLiteral("ghost2")).salt != first.salt);
        QVERIFY(fakeScramCredentials(QByteArray(32, 'b'), QStringLiteral("ghost")).salt != first.salt);
        QCOMPARE(first.storedKey.size(), 32);
        QCOMPARE(first.serverKey.size(), 32);
    }

    void namesAreEscaped_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("escaped");
        QTest::newRow("plain") << QStringLiteral("alice") << QByteArray("alice");
        QTest::newRow("comma") << QStringLiteral("a,b") << QByteArray("a=2Cb");
        QTest::newRow("equals") << QStringLiteral("a=b") << QByteArray("a=3Db");
        QTest::newRow("both, repeated") << QStringLiteral("=,=,") << QByteArray("=3D=2C=3D=2C");
        QTest::newRow("escape-like text") << QStringLiteral("=2C") << QByteArray("=3D2C");
        QTest::newRow("utf-8") << QString::fromUtf8("名字") << QByteArray("\xe5\x90\x8d\xe5\xad\x97");
    }
    void namesAreEscaped()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, escaped);
        QCOMPARE(scramEscapeName(name), escaped);
        const std::optional<QString> unescaped = scramUnescapeName(escaped);
        QVERIFY(unescaped.has_value());
        QCOMPARE(*unescaped, name);
        ScramClient client(name, QStringLiteral("pw"), "nonce");
        QCOMPARE(client.clientFirstMessage(), QByteArray("n,,n=" + escaped + ",r=nonce"));
        ScramServer server;
        QCOMPARE(server.receiveClientFirst(client.clientFirstMessage()).value(), name);
    }

    void badEscapesAreRejected_data()
    {
        QTest::addColumn<QByteArray>("escaped");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("lone equals") << QByteArray("a=");
        QTest::newRow("short escape") << QByteArray("a=2");
        QTest::newRow("lowercase escape") << QByteArray("a=2c");
        QTest::newRow("other escape") << QByteArray("a=41");
        QTest::newRow("raw comma") << QByteArray("a,b");
        QTest::newRow("NUL") << QByteArray("a\0b", 3);
        QTest::newRow("invalid utf-8") << QByteArray("a\xff");
        QTest::newRow("truncated utf-8") << QByteArray("\xe5\x90");
    }
    void badEscapesAreRejected()
    {
        QFETCH(QByteArray, escaped);
        QVERIFY(!scramUnescapeName(escaped).has_value());
    }

    void malformedClientFirstIsBadRequest_data()
    {
        QTest::addColumn<QByteArray>("clientFirst");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("hello");
        QTest::newRow("header only") << QByteArray("n,,");
        QTest::newRow("channel binding requested") << QByteArray("p=tls-unique,,n=user,r=abc");
        QTest::newRow("client supports binding") << QByteArray("y,,n=user,r=abc");
        QTest::newRow("authzid") << QByteArray("n,a=admin,n=user,r=abc");
        QTest::newRow("mandatory extension") << QByteArray("n,,m=ext,n=user,r=abc");
        QTest::newRow("swapped attributes") << QByteArray("n,,r=abc,n=user");
        QTest::newRow("no nonce") << QByteArray("n,,n=user");
        QTest::newRow("empty name") << QByteArray("n,,n=,r=abc");
        QTest::newRow("empty nonce") << QByteArray("n,,n=user,r=");
        QTest::newRow("nonce with space") << QByteArray("n,,n=user,r=a b");
        QTest::newRow("nonce with control") << QByteArray("n,,n=user,r=a\x01");
        QTest::newRow("bad escape in name") << QByteArray("n,,n=us=er,r=abc");
        QTest::newRow("attribute without value") << QByteArray("n,,n=user,r=abc,x");
        QTest::newRow("long attribute name") << QByteArray("n,,nn=user,r=abc");
        QTest::newRow("trailing comma") << QByteArray("n,,n=user,r=abc,");
    }
    void malformedClientFirstIsBadRequest()
    {
        QFETCH(QByteArray, clientFirst);
        ScramServer server;
        const Result<QString> result = server.receiveClientFirst(clientFirst);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QString(ErrorCode::BadRequest));
        QVERIFY(!result.error().message.isEmpty());
    }

    void clientFirstWithExtensionsIsAccepted()
    {
        ScramServer server;
        const Result<QString> result = server.receiveClientFirst("n,,n=user,r=abc,x=future");
        QVERIFY(result.ok());
        QCOMPARE(*result, QStringLiteral("user"));
    }

    void malformedServerFirstIsRejectedByClient_data()
    {
        QTest::addColumn<QByteArray>("serverFirst");
        const QByteArray salt = ",s=W22ZaJ0SNY7soEsUEjb6gQ==";
        QTest::newRow("nonce not extending client's") << QByteArray("r=XXprNGfwEbeRWgbNEkqO%hvY" + salt + ",i=4096");
        QTest::newRow("nonce equal to client's") << QByteArray("r=rOprNGfwEbeRWgbNEkqO" + salt + ",i=4096");
        QTest::newRow("nonce prefix only") << QByteArray("r=rOprNG" + salt + ",i=4096");
        QTest::newRow("nonce not printable") << QByteArray("r=rOprNGfwEbeRWgbNEkqO ab" + salt + ",i=4096");
        QTest::newRow("iterations 4095") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab" + salt + ",i=4095");
        QTest::newRow("iterations 1") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab" + salt + ",i=1");
        QTest::newRow("iterations negative") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab" + salt + ",i=-4096");
        QTest::newRow("iterations not a number") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab" + salt + ",i=4096x");
        QTest::newRow("iterations with sign") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab" + salt + ",i=+4096");
        QTest::newRow("iterations overflow") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab" + salt + ",i=99999999999");
        QTest::newRow("iterations absurd") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab" + salt + ",i=2000000000");
        QTest::newRow("iterations empty") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab" + salt + ",i=");
        QTest::newRow("no iterations") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab" + salt);
        QTest::newRow("no salt") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab,i=4096");
        QTest::newRow("empty salt") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab,s=,i=4096");
        QTest::newRow("salt not base64") << QByteArray("r=rOprNGfwEbeRWgbNEkqOab,s=!!!!,i=4096");
        QTest::newRow("mandatory extension") << QByteArray("m=x,r=rOprNGfwEbeRWgbNEkqOab" + salt + ",i=4096");
        QTest::newRow("swapped") << QByteArray("s=W22ZaJ0SNY7soEsUEjb6gQ==,r=rOprNGfwEbeRWgbNEkqOab,i=4096");
        QTest::newRow("server error") << QByteArray("e=invalid-proof");
        QTest::newRow("empty") << QByteArray();
    }
    void malformedServerFirstIsRejectedByClient()
    {
        QFETCH(QByteArray, serverFirst);
        ScramClient client(QStringLiteral("user"), QStringLiteral("pencil"), RfcClientNonce);
        const Result<QByteArray> result = client.clientFinalMessage(serverFirst);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QString(ErrorCode::AuthFailed));
        QVERIFY(!client.verifyServerFinal(RfcServerFinal));
    }

    void malformedClientFinalIsAuthFailed_data()
    {
        QTest::addColumn<QByteArray>("clientFinal");
        const QByteArray nonce = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        const QByteArray proof = ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("no proof") << QByteArray("c=biws," + nonce);
        QTest::newRow("channel binding data") << QByteArray("c=eSws," + nonce + proof);
        QTest::newRow("no channel binding attribute") << QByteArray(nonce + proof);
        QTest::newRow("client nonce only") << QByteArray("c=biws,r=rOprNGfwEbeRWgbNEkqO" + proof);
        QTest::newRow("other server nonce") << QByteArray("c=biws,r=rOprNGfwEbeRWgbNEkqOXXXX" + proof);
        QTest::newRow("proof not base64") << QByteArray("c=biws," + nonce + ",p=****");
        QTest::newRow("proof too short") << QByteArray("c=biws," + nonce + ",p=dHzbZapWIk4jUhN+");
        QTest::newRow("proof not last") << QByteArray("c=biws," + nonce + proof + ",x=1");
        QTest::newRow("garbage") << QByteArray("\x00\xff,,,p=", 7);
    }
    void malformedClientFinalIsAuthFailed()
    {
        QFETCH(QByteArray, clientFinal);
        ScramServer server(RfcServerNonce);
        QVERIFY(server.receiveClientFirst(RfcClientFirst).ok());
        server.serverFirstMessage(ScramCredentials::derive(QStringLiteral("pencil"), RfcSalt, 4096));
        const Result<QByteArray> result = server.receiveClientFinal(clientFinal);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QString(ErrorCode::AuthFailed));
    }
};

QTEST_GUILESS_MAIN(TestScram)
#include "tst_scram.moc"
