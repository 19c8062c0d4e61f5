// The client engine against a real in-process ferryd (login, pipelining, paged listings, browsing ops and
// their error codes) and against scripted fake servers (forged SCRAM signature, silence, dropped links).

#include "ClientSession.h"
#include "FrameConnection.h"
#include "Protocol.h"
#include "ScramServer.h"
#include "ServerIdentity.h"
#include "TestServer.h"
#include "TestTiming.h"
#include "TlsListener.h"

#include <QDir>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

using namespace ferry;
using ferry::test::TestServer;
using ferry::test::TlsSocketListener;

namespace {

const QString Host = QStringLiteral("127.0.0.1");
const QString Alice = QStringLiteral("alice");
const QString AlicePassword = QStringLiteral("alice-pw");
constexpr qint64 AliceQuota = 10 * 1024 * 1024;

// A scripted peer: what a real ferryd never does, done on purpose.
class FakeServer : public QObject {
public:
    enum class Behaviour {
        Silent,                    // accepts, never says hello
        ForgedSignature,           // runs SCRAM without knowing the password, then claims success
        DropOnFirstRequest,        // hello, then closes when the first request arrives
        OtherProtocol,             // hello with "proto": 3
    };

    explicit FakeServer(Behaviour behaviour) : m_behaviour(behaviour)
    {
        m_listener.listenLocal();
        connect(&m_listener, &TlsSocketListener::encryptedConnection, this, &FakeServer::accept);
    }
    quint16 port() const { return m_listener.serverPort(); }
    bool peerClosed() const { return m_peerClosed; }
    int authRequests() const { return m_authRequests; }
    int connections() const { return m_connections; }

private:
    void accept(TlsSocket *socket)
    {
        auto *connection = new FrameConnection(socket, this);
        ++m_connections;
        connect(connection, &FrameConnection::closed, this, [this] { m_peerClosed = true; });
        connect(connection, &FrameConnection::frameReceived, this,
                [this, connection](const Frame &frame) { answer(connection, frame); });
        if (m_behaviour != Behaviour::Silent) {
            connection->send(QJsonObject{{QStringLiteral("op"), QStringLiteral("hello")},
                                         {QStringLiteral("proto"), m_behaviour == Behaviour::OtherProtocol ? 3 : 2},
                                         {QStringLiteral("server"), QStringLiteral("fake/0")},
                                         {QStringLiteral("name"), QStringLiteral("fake")},
                                         {QStringLiteral("auth"), QJsonArray{QString(ScramMechanism)}},
                                         {QStringLiteral("tls"), true}});
        }
    }

    void answer(FrameConnection *connection, const Frame &frame)
    {
        const QJsonValue id = frame.header.value(QStringLiteral("id"));
        if (m_behaviour == Behaviour::DropOnFirstRequest) {
            connection->socket()->abort();
            return;
        }
        if (frame.op() != Op::Auth)
            return;
        ++m_authRequests;
        const QByteArray data = frame.header.value(QStringLiteral("data")).toString().toUtf8();
        if (frame.header.contains(QStringLiteral("mech"))) {
            m_scram = std::make_unique<ScramServer>(QByteArray(), tlsServerEndPoint(m_listener.tls().certificate));
            m_scram->receiveClientFirst(data);
            const QByteArray serverFirst = m_scram->serverFirstMessage(
                ScramCredentials::derive(QStringLiteral("not the password"), QByteArray(16, 's'), 4096));
            connection->send(QJsonObject{{QStringLiteral("op"), QStringLiteral("challenge")},
                                         {QStringLiteral("re"), id},
                                         {QStringLiteral("data"), QString::fromUtf8(serverFirst)}});
        } else {
            connection->send(QJsonObject{{QStringLiteral("op"), QStringLiteral("ok")},
                                         {QStringLiteral("re"), id},
                                         {QStringLiteral("data"),
                                          QString::fromLatin1("v=" + QByteArray(32, 'B').toBase64())},
                                         {QStringLiteral("user"), Alice},
                                         {QStringLiteral("used"), 0},
                                         {QStringLiteral("limit"), QJsonValue::Null}});
        }
    }

    Behaviour m_behaviour;
    TlsSocketListener m_listener;
    std::unique_ptr<ScramServer> m_scram;
    bool m_peerClosed = false;
    int m_authRequests = 0;
    int m_connections = 0;
};

quint16 unusedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();   // closed again when probe goes
}

Error errorOf(const QSignalSpy &spy, int index = 0)
{
    return spy.at(index).at(0).value<Error>();
}

} // namespace

class TestClientSession : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void helloIsReceivedOnConnect();
    void loginSucceedsAndReportsQuota();
    void wrongPasswordFailsAndTheSessionStaysUsableForARetry();
    void fiveFailuresThrottleEvenTheRightPassword();
    void requestsBeforeLoginAreNotAuthenticated();
    void requestIdsArePositiveAndIncreasing();
    void hundredPipelinedStatsAreMatchedToTheirRequests();
    void folderOf2500EntriesArrivesInPagesThatGrow();
    void browsingOperationsReportWireErrorCodes_data();
    void browsingOperationsReportWireErrorCodes();
    void quotaRepliesUpdateQuotaChanged();
    void unlimitedQuotaHasNoLimit();
    void abandonedRequestGetsNoCallback();

    void forgedServerSignatureIsRejectedAndTheConnectionDropped();
    void connectionRefusedReportsConnectionFailed();
    void serverWithoutHelloTimesOut();
    void cancellingAConnectReportsNoFailure();
    void droppedConnectionFailsEveryPendingRequestOnce();
    void callbacksNeverRunInsideTheRequestingCall();
    void disconnectFromServerFailsOpenRequestsAndReportsNoError();
    void closingInsideAReplyHandlerDoesNotCallItAgain();
    void handlerExpectingMoreLearnsOfACloseInsideIt();
    void serverOfAnotherProtocolVersionIsRefused();
    void receiveBufferStaysAtItsFixedSizeThroughADownload();

private:
    // Connects (and logs in as alice) or fails the test.
    bool connectSession(ClientSession &session);
    bool logIn(ClientSession &session, const QString &user = Alice, const QString &password = AlicePassword);
    QString home() const { return m_server->home(Alice); }

    std::unique_ptr<TestServer> m_server;
};

void TestClientSession::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY(m_server->addUser(Alice, AlicePassword, AliceQuota));
    QVERIFY(m_server->addUser(QStringLiteral("bob"), QStringLiteral("bob-pw")));
    // Made before the server starts, so that its quota ledger counts them: 1000 + 10 bytes.
    QVERIFY(test::writeFile(home() + QStringLiteral("/hello.txt"), QByteArray(1000, 'h')));
    QVERIFY(test::writeFile(home() + QStringLiteral("/docs/inner.txt"), QByteArray(10, 'i')));
    QVERIFY(m_server->start());
}

void TestClientSession::cleanup()
{
    m_server.reset();
}

bool TestClientSession::connectSession(ClientSession &session)
{
    QSignalSpy connected(&session, &ClientSession::connected);
    session.connectToServer(Host, m_server->port());
    return connected.wait(10000) && session.state() == ClientSession::State::Authenticating;
}

bool TestClientSession::logIn(ClientSession &session, const QString &user, const QString &password)
{
    if (session.state() != ClientSession::State::Authenticating && !connectSession(session))
        return false;
    QSignalSpy loggedIn(&session, &ClientSession::loggedIn);
    session.login(user, password);
    return loggedIn.wait(10000) && session.state() == ClientSession::State::Ready;
}

void TestClientSession::helloIsReceivedOnConnect()
{
    ClientSession session;
    QSignalSpy states(&session, &ClientSession::stateChanged);
    QVERIFY(connectSession(session));
    QCOMPARE(session.hello().proto, 2);
    QVERIFY2(session.hello().server.startsWith(QLatin1String("ferryd/")), qPrintable(session.hello().server));
    QCOMPARE(session.hello().name, QStringLiteral("test"));
    QVERIFY(session.hello().auth.contains(QStringLiteral("SCRAM-SHA-256-PLUS")));
    QCOMPARE(session.hello().identity, m_server->identity().code());
    QCOMPARE(session.identity(), m_server->identity());
    QCOMPARE(states.size(), 2);
    QCOMPARE(states.at(0).at(0).value<ClientSession::State>(), ClientSession::State::Connecting);
    QCOMPARE(states.at(1).at(0).value<ClientSession::State>(), ClientSession::State::Authenticating);
}

void TestClientSession::loginSucceedsAndReportsQuota()
{
    ClientSession session;
    QVERIFY(connectSession(session));
    QSignalSpy loggedIn(&session, &ClientSession::loggedIn);
    QSignalSpy quotaChanged(&session, &ClientSession::quotaChanged);
    session.login(Alice, AlicePassword);
    QVERIFY(loggedIn.wait());
    QCOMPARE(session.state(), ClientSession::State::Ready);
    QCOMPARE(session.user(), Alice);
    QCOMPARE(loggedIn.at(0).at(0).toString(), Alice);
    const QuotaInfo quota = loggedIn.at(0).at(1).value<QuotaInfo>();
    QCOMPARE(quota.used, 1010);
    QCOMPARE(quota.limit, std::optional<qint64>(AliceQuota));
    QCOMPARE(quotaChanged.size(), 1);
}

void TestClientSession::wrongPasswordFailsAndTheSessionStaysUsableForARetry()
{
    ClientSession session;
    QVERIFY(connectSession(session));
    QSignalSpy failed(&session, &ClientSession::loginFailed);
    QSignalSpy disconnected(&session, &ClientSession::disconnected);
    session.login(Alice, QStringLiteral("wrong"));
    QVERIFY(failed.wait());
    QCOMPARE(errorOf(failed).code, QString(ErrorCode::AuthFailed));
    QCOMPARE(session.state(), ClientSession::State::Authenticating);

    QVERIFY(logIn(session));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(disconnected.size(), 0);
}

void TestClientSession::fiveFailuresThrottleEvenTheRightPassword()
{
    ClientSession session;
    QVERIFY(connectSession(session));
    QSignalSpy failed(&session, &ClientSession::loginFailed);
    for (int attempt = 1; attempt <= 5; ++attempt) {
        session.login(Alice, QStringLiteral("wrong"));
        QVERIFY(failed.wait());
        QCOMPARE(errorOf(failed, attempt - 1).code, QString(ErrorCode::AuthFailed));
    }
    session.login(Alice, AlicePassword);
    QVERIFY(failed.wait());
    const Error throttled = errorOf(failed, 5);
    QCOMPARE(throttled.code, QString(ErrorCode::Throttled));
    QVERIFY(throttled.extra.value(QStringLiteral("retry_after")).toInteger() > 0);
    QCOMPARE(session.state(), ClientSession::State::Authenticating);
}

void TestClientSession::requestsBeforeLoginAreNotAuthenticated()
{
    ClientSession session;
    QVERIFY(connectSession(session));
    std::optional<Result<RemoteEntry>> reply;
    session.stat(QStringLiteral("/"), [&](const Result<RemoteEntry> &result) { reply = result; });
    QTRY_VERIFY(reply.has_value());
    QVERIFY(!reply->ok());
    QCOMPARE(reply->error().code, QString(ErrorCode::NotAuthenticated));
}

void TestClientSession::requestIdsArePositiveAndIncreasing()
{
    ClientSession session;
    QVERIFY(logIn(session));
    int replies = 0;
    const auto countReply = [&](const Frame &frame) {
        replies += frame.op() == Op::Ok;
        return false;
    };
    const qint64 first = session.request(QJsonObject{{QStringLiteral("op"), QStringLiteral("ping")}}, countReply);
    const qint64 second = session.request(QJsonObject{{QStringLiteral("op"), QStringLiteral("ping")}}, countReply);
    QVERIFY(first > 0);
    QVERIFY(second > first);
    QTRY_COMPARE(replies, 2);
}

void TestClientSession::hundredPipelinedStatsAreMatchedToTheirRequests()
{
    constexpr int Count = 100;
    for (int i = 0; i < Count; ++i)
        QVERIFY(test::writeFile(home() + QStringLiteral("/many/f%1").arg(i, 3, 10, QLatin1Char('0')), QByteArray(i, 'x')));
    ClientSession session;
    QVERIFY(logIn(session));

    QHash<int, Result<RemoteEntry>> replies;
    for (int i = 0; i < Count; ++i) {
        session.stat(QStringLiteral("/many/f%1").arg(i, 3, 10, QLatin1Char('0')),
                     [&replies, i](const Result<RemoteEntry> &result) { replies.insert(i, result); });
    }
    QCOMPARE(replies.size(), 0);   // all 100 are in flight: none was answered inside the loop
    QTRY_COMPARE(replies.size(), Count);
    for (int i = 0; i < Count; ++i) {
        const Result<RemoteEntry> &reply = replies.value(i, Error{});
        QVERIFY2(reply.ok(), qPrintable(reply.error().message));
        QCOMPARE(reply->name, QStringLiteral("f%1").arg(i, 3, 10, QLatin1Char('0')));
        QCOMPARE(reply->size, i);
        QVERIFY(!reply->isDir);
    }
}

void TestClientSession::folderOf2500EntriesArrivesInPagesThatGrow()
{
    constexpr int Count = 2500;
    QSet<QString> expected;
    for (int i = 0; i < Count; ++i) {
        const QString name = QString::number(i);
        expected.insert(name);
        QVERIFY(test::writeFile(home() + QStringLiteral("/big/") + name, {}));
    }
    ClientSession session;
    QVERIFY(logIn(session));

    QList<int> pageSizes;
    QList<bool> lastFlags;
    session.listPaged(QStringLiteral("/big"), [&](const Result<QList<RemoteEntry>> &page, bool last) {
        QVERIFY(page.ok());
        pageSizes.append(int(page->size()));
        lastFlags.append(last);
    });
    QTRY_VERIFY(!lastFlags.isEmpty() && lastFlags.last());
    // Small first (a folder download starts on it at once), then growing (page i at most 32 x 2^i) up to the
    // protocol's 1 000; a page also ends after ~2 ms of reading on the server, so how many there are varies.
    QCOMPARE(pageSizes.first(), 32);
    int listed = 0;
    for (int i = 0; i < pageSizes.size(); ++i) {
        QVERIFY2(pageSizes[i] > 0 && pageSizes[i] <= qMin(32 << qMin(i, 5), 1000), qPrintable(QString::number(i)));
        QCOMPARE(lastFlags[i], i + 1 == pageSizes.size());
        listed += pageSizes[i];
    }
    QCOMPARE(listed, Count);

    std::optional<Result<QList<RemoteEntry>>> listing;
    session.list(QStringLiteral("/big"), [&](const Result<QList<RemoteEntry>> &result) { listing = result; });
    QTRY_VERIFY(listing.has_value());
    QVERIFY(listing->ok());
    QSet<QString> names;
    for (const RemoteEntry &entry : listing->value())
        names.insert(entry.name);
    QCOMPARE(names, expected);
}

void TestClientSession::browsingOperationsReportWireErrorCodes_data()
{
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("to");
    QTest::addColumn<bool>("flag");   // parents / overwrite / recursive
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("existsAfter");   // a path that must exist on disk afterwards
    QTest::addColumn<QString>("goneAfter");     // and one that must not

    QTest::newRow("mkdir") << "mkdir" << "/new" << "" << false << "" << "/new" << "";
    QTest::newRow("mkdir existing") << "mkdir" << "/docs" << "" << false << "exists" << "/docs" << "";
    QTest::newRow("mkdir missing parent") << "mkdir" << "/x/y" << "" << false << "not_found" << "" << "/x";
    QTest::newRow("mkdir parents") << "mkdir" << "/x/y" << "" << true << "" << "/x/y" << "";
    QTest::newRow("mkdir parents existing") << "mkdir" << "/docs" << "" << true << "" << "/docs/inner.txt" << "";
    QTest::newRow("mkdir under a file") << "mkdir" << "/hello.txt/x" << "" << true << "not_a_directory" << ""
                                        << "";
    QTest::newRow("mkdir dot dot") << "mkdir" << "/../x" << "" << true << "invalid_path" << "" << "";
    QTest::newRow("mkdir trailing slash") << "mkdir" << "/new/" << "" << false << "invalid_path" << "" << "/new";
    QTest::newRow("mkdir non-ascii") << "mkdir" << QStringLiteral("/Ünïcødé 文件") << "" << false << ""
                                     << QStringLiteral("/Ünïcødé 文件") << "";
    QTest::newRow("rename") << "rename" << "/hello.txt" << "/docs/hi.txt" << false << "" << "/docs/hi.txt"
                            << "/hello.txt";
    QTest::newRow("rename onto existing") << "rename" << "/hello.txt" << "/docs/inner.txt" << false << "exists"
                                          << "/hello.txt" << "";
    QTest::newRow("rename overwrite") << "rename" << "/hello.txt" << "/docs/inner.txt" << true << ""
                                      << "/docs/inner.txt" << "/hello.txt";
    QTest::newRow("rename missing") << "rename" << "/nope" << "/x" << false << "not_found" << "" << "/x";
    QTest::newRow("remove file") << "remove" << "/hello.txt" << "" << false << "" << "" << "/hello.txt";
    QTest::newRow("remove non-empty") << "remove" << "/docs" << "" << false << "not_empty" << "/docs/inner.txt"
                                      << "";
    QTest::newRow("remove recursive") << "remove" << "/docs" << "" << true << "" << "" << "/docs";
    QTest::newRow("remove missing") << "remove" << "/nope" << "" << false << "not_found" << "" << "";
    QTest::newRow("remove dot dot") << "remove" << "/../../etc" << "" << true << "invalid_path" << "" << "";
    QTest::newRow("list a file") << "list" << "/hello.txt" << "" << false << "not_a_directory" << "" << "";
    QTest::newRow("list missing") << "list" << "/nope" << "" << false << "not_found" << "" << "";
    QTest::newRow("stat dot dot") << "stat" << "/../../etc" << "" << false << "invalid_path" << "" << "";
}

void TestClientSession::browsingOperationsReportWireErrorCodes()
{
    QFETCH(QString, op);
    QFETCH(QString, path);
    QFETCH(QString, to);
    QFETCH(bool, flag);
    QFETCH(QString, code);
    QFETCH(QString, existsAfter);
    QFETCH(QString, goneAfter);

    ClientSession session;
    QVERIFY(logIn(session));
    std::optional<Error> outcome;
    const auto onStatus = [&](const Status &status) { outcome = status.error(); };
    if (op == QLatin1String("mkdir"))
        session.mkdir(path, flag, onStatus);
    else if (op == QLatin1String("rename"))
        session.rename(path, to, flag, onStatus);
    else if (op == QLatin1String("remove"))
        session.remove(path, flag, onStatus);
    else if (op == QLatin1String("list"))
        session.list(path, [&](const Result<QList<RemoteEntry>> &result) { outcome = result.error(); });
    else
        session.stat(path, [&](const Result<RemoteEntry> &result) { outcome = result.error(); });
    QTRY_VERIFY(outcome.has_value());
    QCOMPARE(outcome->code, code);
    if (outcome->isError())
        QVERIFY2(!outcome->message.isEmpty(), "every error carries a sentence");
    if (!existsAfter.isEmpty())
        QVERIFY(QFileInfo::exists(home() + existsAfter));
    if (!goneAfter.isEmpty())
        QVERIFY(!QFileInfo::exists(home() + goneAfter));
}

void TestClientSession::quotaRepliesUpdateQuotaChanged()
{
    ClientSession session;
    QVERIFY(logIn(session));
    QSignalSpy quotaChanged(&session, &ClientSession::quotaChanged);

    std::optional<Result<QuotaInfo>> quota;
    session.quota([&](const Result<QuotaInfo> &result) { quota = result; });
    QTRY_VERIFY(quota.has_value());
    QVERIFY(quota->ok());
    QCOMPARE(quota->value().used, 1010);
    QCOMPARE(quota->value().limit, std::optional<qint64>(AliceQuota));
    QCOMPARE(quotaChanged.size(), 1);

    std::optional<Status> removed;
    session.remove(QStringLiteral("/hello.txt"), false, [&](const Status &status) { removed = status; });
    QTRY_VERIFY(removed.has_value());
    QVERIFY(removed->ok());
    quota.reset();
    session.quota([&](const Result<QuotaInfo> &result) { quota = result; });
    QTRY_VERIFY(quota.has_value());
    QCOMPARE(quota->value().used, 10);
    // The quota reply updated it (and the remove's ok too, if the server put used/limit on it).
    QVERIFY(quotaChanged.size() >= 2);
    QCOMPARE(quotaChanged.last().at(0).value<QuotaInfo>().used, 10);
}

void TestClientSession::unlimitedQuotaHasNoLimit()
{
    ClientSession session;
    QVERIFY(logIn(session, QStringLiteral("bob"), QStringLiteral("bob-pw")));
    std::optional<Result<QuotaInfo>> quota;
    session.quota([&](const Result<QuotaInfo> &result) { quota = result; });
    QTRY_VERIFY(quota.has_value());
    QVERIFY(quota->ok());
    QVERIFY(!quota->value().limit.has_value());
}

void TestClientSession::abandonedRequestGetsNoCallback()
{
    ClientSession session;
    QVERIFY(logIn(session));
    bool abandonedCalled = false;
    const qint64 id = session.request(QJsonObject{{QStringLiteral("op"), QStringLiteral("ping")}},
                                      [&](const Frame &) {
                                          abandonedCalled = true;
                                          return false;
                                      });
    session.abandon(id);
    std::optional<Status> later;
    session.ping([&](const Status &status) { later = status; });
    QTRY_VERIFY(later.has_value());   // the server answers in order: the abandoned reply came first
    QVERIFY(later->ok());
    QVERIFY(!abandonedCalled);
}

void TestClientSession::forgedServerSignatureIsRejectedAndTheConnectionDropped()
{
    FakeServer fake(FakeServer::Behaviour::ForgedSignature);
    ClientSession session;
    QSignalSpy connected(&session, &ClientSession::connected);
    QSignalSpy loggedIn(&session, &ClientSession::loggedIn);
    QSignalSpy failed(&session, &ClientSession::loginFailed);
    QSignalSpy disconnected(&session, &ClientSession::disconnected);
    session.connectToServer(Host, fake.port());
    QVERIFY(connected.wait());
    session.login(Alice, AlicePassword);
    QVERIFY(failed.wait());
    QCOMPARE(fake.authRequests(), 2);   // the whole exchange ran: only the signature gave it away
    const Error error = errorOf(failed);
    QCOMPARE(error.code, QString(ErrorCode::AuthFailed));
    QCOMPARE(error.message, QStringLiteral("server signature invalid"));
    QVERIFY(error.extra.contains(ClientSession::ServerSignatureKey));
    QCOMPARE(loggedIn.size(), 0);
    QCOMPARE(session.state(), ClientSession::State::Disconnected);
    QTRY_COMPARE(disconnected.size(), 1);
    QTRY_VERIFY(fake.peerClosed());
}

void TestClientSession::connectionRefusedReportsConnectionFailed()
{
    const quint16 port = unusedPort();
    ClientSession session;
    QSignalSpy failed(&session, &ClientSession::connectionFailed);
    QSignalSpy connected(&session, &ClientSession::connected);
    QSignalSpy disconnected(&session, &ClientSession::disconnected);
    session.connectToServer(Host, port);
    QVERIFY(failed.wait());
    const Error error = errorOf(failed);
    QCOMPARE(error.code, QString(ErrorCode::ConnectionLost));
    QVERIFY2(error.message.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(error.message));
    QVERIFY2(error.message.contains(QLatin1String("refused")), qPrintable(error.message));
    QCOMPARE(session.state(), ClientSession::State::Disconnected);
    QCOMPARE(connected.size(), 0);
    QCOMPARE(disconnected.size(), 0);
}

void TestClientSession::serverWithoutHelloTimesOut()
{
    FakeServer fake(FakeServer::Behaviour::Silent);
    ClientSession session;
    session.setTimeouts(10000, 300);
    QSignalSpy failed(&session, &ClientSession::connectionFailed);
    session.connectToServer(Host, fake.port());
    QVERIFY(failed.wait(5000));
    QCOMPARE(errorOf(failed).code, QString(ErrorCode::ConnectionLost));
    QVERIFY2(errorOf(failed).message.contains(QLatin1String("hello")), qPrintable(errorOf(failed).message));
    QCOMPARE(session.state(), ClientSession::State::Disconnected);
    QTRY_VERIFY(fake.peerClosed());
}

void TestClientSession::cancellingAConnectReportsNoFailure()
{
    FakeServer fake(FakeServer::Behaviour::Silent);
    ClientSession session;
    QSignalSpy failed(&session, &ClientSession::connectionFailed);
    QSignalSpy disconnected(&session, &ClientSession::disconnected);
    session.connectToServer(Host, fake.port());
    QTRY_VERIFY(fake.connections() == 1);
    session.disconnectFromServer();
    QCOMPARE(session.state(), ClientSession::State::Disconnected);
    QTRY_VERIFY(fake.peerClosed());
    QVERIFY(test::runPostedEvents());
    QCOMPARE(failed.size(), 0);
    QCOMPARE(disconnected.size(), 0);
}

void TestClientSession::droppedConnectionFailsEveryPendingRequestOnce()
{
    FakeServer fake(FakeServer::Behaviour::DropOnFirstRequest);
    ClientSession session;
    QSignalSpy connected(&session, &ClientSession::connected);
    QSignalSpy disconnected(&session, &ClientSession::disconnected);
    session.connectToServer(Host, fake.port());
    QVERIFY(connected.wait());

    QList<Status> replies;
    for (int i = 0; i < 3; ++i)
        session.ping([&](const Status &status) { replies.append(status); });
    QVERIFY(disconnected.wait());
    QCOMPARE(errorOf(disconnected).code, QString(ErrorCode::ConnectionLost));
    QVERIFY2(errorOf(disconnected).message.contains(QStringLiteral("127.0.0.1:%1").arg(fake.port())),
             qPrintable(errorOf(disconnected).message));
    QCOMPARE(replies.size(), 3);   // failed before disconnected() was emitted
    for (const Status &status : replies)
        QCOMPARE(status.error().code, QString(ErrorCode::ConnectionLost));
    QCOMPARE(session.state(), ClientSession::State::Disconnected);
    QVERIFY(test::runPostedEvents());   // nothing more may arrive
    QCOMPARE(replies.size(), 3);
    QCOMPARE(disconnected.size(), 1);
}

void TestClientSession::callbacksNeverRunInsideTheRequestingCall()
{
    ClientSession session;   // never connected: every request fails at once, but not inside the call
    bool called = false;
    Error error;
    session.ping([&](const Status &status) {
        called = true;
        error = status.error();
    });
    QVERIFY(!called);
    QTRY_VERIFY(called);
    QCOMPARE(error.code, QString(ErrorCode::ConnectionLost));

    QSignalSpy failed(&session, &ClientSession::loginFailed);
    session.login(Alice, AlicePassword);
    QCOMPARE(failed.size(), 0);
    QVERIFY(failed.wait());
    QCOMPARE(errorOf(failed).code, QString(ErrorCode::ConnectionLost));
}

void TestClientSession::disconnectFromServerFailsOpenRequestsAndReportsNoError()
{
    ClientSession session;
    QVERIFY(logIn(session));
    QSignalSpy disconnected(&session, &ClientSession::disconnected);
    std::optional<Status> reply;
    session.ping([&](const Status &status) { reply = status; });
    session.disconnectFromServer();
    QVERIFY(!reply.has_value());
    QCOMPARE(session.state(), ClientSession::State::Disconnected);
    QVERIFY(disconnected.wait());
    QVERIFY(!errorOf(disconnected).isError());
    QVERIFY(reply.has_value());
    QCOMPARE(reply->error().code, QString(ErrorCode::ConnectionLost));
}

void TestClientSession::closingInsideAReplyHandlerDoesNotCallItAgain()
{
    ClientSession session;
    QVERIFY(logIn(session));
    QSignalSpy disconnected(&session, &ClientSession::disconnected);
    QList<Status> replies;
    session.ping([&](const Status &status) {
        replies.append(status);
        session.disconnectFromServer();   // as ferry-cli does once its command is done
    });
    QVERIFY(disconnected.wait());
    QVERIFY(test::runPostedEvents());
    QCOMPARE(replies.size(), 1);
    QVERIFY(replies.first().ok());
}

void TestClientSession::handlerExpectingMoreLearnsOfACloseInsideIt()
{
    for (int i = 0; i < 1500; ++i)
        QVERIFY(test::writeFile(home() + QStringLiteral("/big/") + QString::number(i), {}));
    ClientSession session;
    QVERIFY(logIn(session));
    QStringList frames;
    session.request(QJsonObject{{QStringLiteral("op"), QStringLiteral("list")}, {QStringLiteral("path"), QStringLiteral("/big")}},
                    [&](const Frame &frame) {
                        frames.append(frame.op() + QLatin1Char(' ')
                                      + frame.header.value(QStringLiteral("code")).toString());
                        if (frames.size() == 1)
                            session.disconnectFromServer();
                        return frame.op() == Op::Entries && frame.header.value(QStringLiteral("more")).toBool();
                    });
    QTRY_COMPARE(frames.size(), 2);
    QCOMPARE(frames.at(0), QStringLiteral("entries "));
    QCOMPARE(frames.at(1), QStringLiteral("error connection_lost"));
    QVERIFY(test::runPostedEvents());
    QCOMPARE(frames.size(), 2);
}

void TestClientSession::serverOfAnotherProtocolVersionIsRefused()
{
    FakeServer fake(FakeServer::Behaviour::OtherProtocol);
    ClientSession session;
    QSignalSpy failed(&session, &ClientSession::connectionFailed);
    QSignalSpy connected(&session, &ClientSession::connected);
    session.connectToServer(Host, fake.port());
    QVERIFY(failed.wait());
    QCOMPARE(errorOf(failed).code, QString(ErrorCode::Unsupported));
    QVERIFY2(errorOf(failed).message.contains(QLatin1String("version 3")), qPrintable(errorOf(failed).message));
    QCOMPARE(connected.size(), 0);
    QCOMPARE(session.state(), ClientSession::State::Disconnected);
}

// What the kernel holds for a client that is killed must be fetched again by a resume: the buffer must not
// grow with a fast download (left to itself it grew to ~4.9 MB on a 1 GiB one here).
void TestClientSession::receiveBufferStaysAtItsFixedSizeThroughADownload()
{
    constexpr qint64 Size = 64 * 1024 * 1024;
    QVERIFY(test::writeFile(home() + QStringLiteral("/big.bin"), QByteArray(Size, 'b')));
    ClientSession session;
    QVERIFY(logIn(session));
    qint64 received = 0;
    bool ended = false;
    session.request(QJsonObject{{QStringLiteral("op"), QStringLiteral("get")},
                                {QStringLiteral("path"), QStringLiteral("/big.bin")},
                                {QStringLiteral("offset"), 0}},
                    [&](const Frame &frame) {
                        received += frame.payload.size();
                        ended = frame.op() == QLatin1String("end") || frame.op() == QLatin1String("error");
                        return !ended;
                    });
    QTRY_VERIFY_WITH_TIMEOUT(ended, 30000);
    QCOMPARE(received, Size);

    // The client's end of the connection: the socket of this process whose peer is the server's port.
    int receiveBuffer = -1;
    const QStringList descriptors = QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System);
    for (const QString &name : descriptors) {
        sockaddr_in peer{};
        socklen_t length = sizeof peer;
        const int fd = name.toInt();
        if (getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &length) != 0 || peer.sin_family != AF_INET
            || ntohs(peer.sin_port) != m_server->port())
            continue;
        socklen_t size = sizeof receiveBuffer;
        QCOMPARE(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, &size), 0);
    }
    // Linux allocates twice what was asked for (socket(7)).
    QCOMPARE(receiveBuffer, 2 * ClientSession::ReceiveBufferBytes);
}

QTEST_GUILESS_MAIN(TestClientSession)
#include "tst_clientsession.moc"
