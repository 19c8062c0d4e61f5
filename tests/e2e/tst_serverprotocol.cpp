// ferryd at the wire level: hello, SCRAM login, the browsing ops, their error codes, and hostile input
// (malformed frames, hostile paths, throttling) — through raw frames on a real socket.

#include "CheapLogin.h"
#include "RawClient.h"
#include "ServerIdentity.h"
#include "TestServer.h"
#include "TestTiming.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QtEndian>

using namespace ferry;
using namespace ferry::test;

namespace {
QJsonObject op(const QString &name, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("op"), name);
    return fields;
}
QString code(const Frame &frame)
{
    return frame.header.value(QStringLiteral("code")).toString();
}
QByteArray lengthPrefixed(const QByteArray &header)
{
    char prefix[4];
    qToBigEndian<quint32>(quint32(header.size()), prefix);
    return QByteArray(prefix, 4) + header;
}
} // namespace

class TestServerProtocol : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<TestServer> m_server;

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->addUser(QStringLiteral("alice"), QStringLiteral("wonderland"), 1024 * 1024));
        QVERIFY(m_server->addUser(QStringLiteral("bob"), QStringLiteral("builder")));
        // The default 30 s limit before login: a short one would race every login of these tests (a login's
        // 100 000 PBKDF2 rounds on a loaded or sanitized run); the test of that limit starts its own server.
        QVERIFY(m_server->start());
    }
    void cleanup() { m_server.reset(); }

    void helloAnnouncesProtocolAndLimits()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->port()));
        const std::optional<Frame> hello = client.next();
        QVERIFY(hello);
        QCOMPARE(hello->op(), QStringLiteral("hello"));
        QCOMPARE(hello->header.value(QStringLiteral("proto")).toInt(), 2);
        QVERIFY(hello->header.value(QStringLiteral("server")).toString().startsWith(QStringLiteral("ferryd/")));
        QCOMPARE(hello->header.value(QStringLiteral("auth")).toArray(), QJsonArray{QStringLiteral("SCRAM-SHA-256-PLUS")});
        QCOMPARE(hello->header.value(QStringLiteral("tls")).toBool(false), true);
        QCOMPARE(hello->header.value(QStringLiteral("identity")).toString(), m_server->identity().code());
        QCOMPARE(hello->header.value(QStringLiteral("fingerprint")).toString(), m_server->identity().fingerprint());
        QCOMPARE(ServerIdentity::fromCertificate(client.socket().peerCertificate()), m_server->identity());
        QCOMPARE(client.socket().sessionProtocol(), QSsl::TlsV1_3);
        QCOMPARE(hello->header.value(QStringLiteral("max_header")).toInt(), 65536);
        QCOMPARE(hello->header.value(QStringLiteral("max_payload")).toInt(), 4194304);
    }

    void onlyAuthPingAndByeWorkBeforeLogin()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->port()));
        QVERIFY(client.next());
        QCOMPARE(client.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
        const Frame list = client.request(op(QStringLiteral("list"), {{QStringLiteral("path"), QStringLiteral("/")}}));
        QCOMPARE(code(list), QStringLiteral("not_authenticated"));
        QCOMPARE(code(client.request(op(QStringLiteral("quota")))), QStringLiteral("not_authenticated"));
        QCOMPARE(client.request(op(QStringLiteral("bye"))).op(), QStringLiteral("ok"));
        QVERIFY(client.waitClosed());
    }

    void wrongPasswordFailsAndTheSessionMayRetry()
    {
        RawClient client;
        QVERIFY(!client.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("wrong")));
        QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
        RawClient good;
        QVERIFY(good.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("wonderland")));
        const Frame quota = good.request(op(QStringLiteral("quota")));
        QCOMPARE(quota.op(), QStringLiteral("ok"));
        QCOMPARE(quota.header.value(QStringLiteral("limit")).toInteger(), 1024 * 1024);
        QCOMPARE(good.request(op(QStringLiteral("quota"))).header.value(QStringLiteral("used")).toInteger(), 0);
        RawClient unlimited;
        QVERIFY(unlimited.login(m_server->port(), QStringLiteral("bob"), QStringLiteral("builder")));
        QVERIFY(unlimited.request(op(QStringLiteral("quota"))).header.value(QStringLiteral("limit")).isNull());
    }

    void unknownUserGetsAStableChallenge()
    {
        auto challengeSalt = [this](const QString &user) {
            RawClient client;
            if (!client.connectTo(m_server->port()) || !client.next())
                return QString();
            client.send(op(QStringLiteral("auth"), {{QStringLiteral("id"), 1}, {QStringLiteral("mech"), QStringLiteral("SCRAM-SHA-256-PLUS")},
                                                    {QStringLiteral("data"), QStringLiteral("p=tls-server-end-point,,n=%1,r=abcdefgh").arg(user)}}));
            const std::optional<Frame> challenge = client.next();
            if (!challenge || challenge->op() != QLatin1String("challenge"))
                return QString();
            const QStringList parts = challenge->header.value(QStringLiteral("data")).toString().split(u',');
            return parts.size() == 3 ? parts[1] : QString();
        };
        const QString ghost = challengeSalt(QStringLiteral("ghost"));
        QVERIFY(ghost.startsWith(QStringLiteral("s=")));
        QCOMPARE(challengeSalt(QStringLiteral("ghost")), ghost);
        QVERIFY(challengeSalt(QStringLiteral("casper")) != ghost);
        QVERIFY(challengeSalt(QStringLiteral("alice")).startsWith(QStringLiteral("s=")));
    }

    void repeatedFailuresAreThrottledEvenWithTheRightPassword()
    {
        for (int i = 0; i < 5; ++i) {
            RawClient client;
            QVERIFY(!client.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("guess%1").arg(i)));
        }
        RawClient client;
        QVERIFY(client.connectTo(m_server->port()));
        QVERIFY(client.next());
        const Frame reply = client.request(op(QStringLiteral("auth"), {{QStringLiteral("mech"), QStringLiteral("SCRAM-SHA-256")},
                                                                      {QStringLiteral("data"), QStringLiteral("n,,n=alice,r=abcdefgh")}}));
        QCOMPARE(code(reply), QStringLiteral("throttled"));
        QVERIFY(reply.header.value(QStringLiteral("retry_after")).toInt() > 0);
        RawClient right;
        QVERIFY(!right.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("wonderland")));
    }

    void requestsWithoutValidIdGetBadRequestWithNullRe()
    {
        RawClient client;
        QVERIFY(client.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("wonderland")));
        for (const QJsonValue &id : {QJsonValue(), QJsonValue(0), QJsonValue(-3), QJsonValue(QStringLiteral("7")), QJsonValue(1.5)}) {
            QJsonObject request = op(QStringLiteral("stat"), {{QStringLiteral("path"), QStringLiteral("/")}});
            if (!id.isUndefined())
                request.insert(QStringLiteral("id"), id);
            client.send(request);
            const std::optional<Frame> reply = client.next();
            QVERIFY(reply);
            QCOMPARE(code(*reply), QStringLiteral("bad_request"));
            QVERIFY(reply->header.value(QStringLiteral("re")).isNull());
        }
        QCOMPARE(code(client.request(op(QStringLiteral("teleport")))), QStringLiteral("unsupported"));
        QCOMPARE(code(client.request(op(QStringLiteral("stat")))), QStringLiteral("bad_request"));
        QCOMPARE(code(client.request(op(QStringLiteral("mkdir"), {{QStringLiteral("path"), QStringLiteral("/x")},
                                                                   {QStringLiteral("parents"), QStringLiteral("yes")}}))),
                 QStringLiteral("bad_request"));
        // Large ids are echoed exactly.
        client.send(op(QStringLiteral("ping"), {{QStringLiteral("id"), 9007199254740992LL}}));
        const std::optional<Frame> pong = client.next();
        QVERIFY(pong);
        QCOMPARE(jsonInteger(pong->header, QLatin1String("re")), std::optional<qint64>(9007199254740992LL));
    }

    void browsingOpsReplyAsTheContractSays()
    {
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("wonderland")));
        auto path = [](const QString &p) { return QJsonObject{{QStringLiteral("path"), p}}; };
        QCOMPARE(c.request(op(QStringLiteral("mkdir"), path(QStringLiteral("/docs")))).op(), QStringLiteral("ok"));
        QCOMPARE(code(c.request(op(QStringLiteral("mkdir"), path(QStringLiteral("/docs"))))), QStringLiteral("exists"));
        QJsonObject parents = path(QStringLiteral("/docs"));
        parents.insert(QStringLiteral("parents"), true);
        QCOMPARE(c.request(op(QStringLiteral("mkdir"), parents)).op(), QStringLiteral("ok"));
        QCOMPARE(code(c.request(op(QStringLiteral("mkdir"), path(QStringLiteral("/a/b/c"))))), QStringLiteral("not_found"));
        QJsonObject deep = path(QStringLiteral("/a/b/c"));
        deep.insert(QStringLiteral("parents"), true);
        QCOMPARE(c.request(op(QStringLiteral("mkdir"), deep)).op(), QStringLiteral("ok"));
        QVERIFY(writeFile(m_server->home(QStringLiteral("alice")) + QStringLiteral("/docs/note.txt"), "12345"));

        const Frame stat = c.request(op(QStringLiteral("stat"), path(QStringLiteral("/docs/note.txt"))));
        const QJsonObject entry = stat.header.value(QStringLiteral("entry")).toObject();
        QCOMPARE(entry.value(QStringLiteral("name")).toString(), QStringLiteral("note.txt"));
        QCOMPARE(entry.value(QStringLiteral("type")).toString(), QStringLiteral("file"));
        QCOMPARE(entry.value(QStringLiteral("size")).toInteger(), 5);
        QVERIFY(entry.value(QStringLiteral("mtime")).toInteger() > 1600000000000LL);
        QCOMPARE(c.request(op(QStringLiteral("stat"), path(QStringLiteral("/")))).header.value(QStringLiteral("entry"))
                     .toObject().value(QStringLiteral("name")).toString(), QStringLiteral("/"));
        QCOMPARE(code(c.request(op(QStringLiteral("stat"), path(QStringLiteral("/nope"))))), QStringLiteral("not_found"));
        QCOMPARE(code(c.request(op(QStringLiteral("list"), path(QStringLiteral("/docs/note.txt"))))), QStringLiteral("not_a_directory"));

        QJsonObject rename{{QStringLiteral("from"), QStringLiteral("/docs/note.txt")}, {QStringLiteral("to"), QStringLiteral("/a/note.txt")}};
        QCOMPARE(c.request(op(QStringLiteral("rename"), rename)).op(), QStringLiteral("ok"));
        QVERIFY(QFile::exists(m_server->home(QStringLiteral("alice")) + QStringLiteral("/a/note.txt")));
        QCOMPARE(code(c.request(op(QStringLiteral("remove"), path(QStringLiteral("/a"))))), QStringLiteral("not_empty"));
        QJsonObject recursive = path(QStringLiteral("/a"));
        recursive.insert(QStringLiteral("recursive"), true);
        QCOMPARE(c.request(op(QStringLiteral("remove"), recursive)).op(), QStringLiteral("ok"));
        QVERIFY(!QFile::exists(m_server->home(QStringLiteral("alice")) + QStringLiteral("/a")));
        QCOMPARE(code(c.request(op(QStringLiteral("remove"), path(QStringLiteral("/"))))), QStringLiteral("permission_denied"));
    }

    void listStreamsPagesOfAtMostAThousand()
    {
        const QString dir = m_server->home(QStringLiteral("bob")) + QStringLiteral("/many");
        QVERIFY(QDir().mkpath(dir));
        for (int i = 0; i < 2500; ++i)
            QVERIFY(writeFile(dir + QStringLiteral("/file-%1.txt").arg(i, 5, 10, QLatin1Char('0')), {}));
        QVERIFY(writeFile(dir + QStringLiteral("/.ferry-part-hidden"), "x"));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("bob"), QStringLiteral("builder")));
        const qint64 id = c.nextId();
        c.send(op(QStringLiteral("list"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/many")}}));
        const QList<Frame> pages = c.untilFinal(id);
        QVERIFY(pages.size() >= 3);
        QSet<QString> names;
        for (int i = 0; i < pages.size(); ++i) {
            QCOMPARE(pages[i].op(), QStringLiteral("entries"));
            const QJsonArray entries = pages[i].header.value(QStringLiteral("entries")).toArray();
            QVERIFY(entries.size() <= 1000);
            QCOMPARE(pages[i].header.value(QStringLiteral("more")).toBool(), i + 1 < pages.size());
            for (const QJsonValue &entry : entries)
                names.insert(entry.toObject().value(QStringLiteral("name")).toString());
        }
        QCOMPARE(names.size(), 2500);
        QVERIFY(!names.contains(QStringLiteral(".ferry-part-hidden")));
        // The first page is small, so a folder download can start on it at once.
        const qsizetype first = pages[0].header.value(QStringLiteral("entries")).toArray().size();
        QVERIFY2(first > 0 && first <= 32, qPrintable(QString::number(first)));

        // Long names that JSON escapes: every page stays within the header limit, and nothing is lost.
        const QString longDir = m_server->home(QStringLiteral("bob")) + QStringLiteral("/long");
        QVERIFY(QDir().mkpath(longDir));
        for (int i = 0; i < 600; ++i)
            QVERIFY(writeFile(longDir + QStringLiteral("/%1 \"q\" \\ ").arg(i, 4, 10, QLatin1Char('0')) + QString(30, QChar(0x4E2D)) + QString(140, QLatin1Char('x')), {}));
        const qint64 longId = c.nextId();
        c.send(op(QStringLiteral("list"), {{QStringLiteral("id"), longId}, {QStringLiteral("path"), QStringLiteral("/long")}}));
        const QList<Frame> longPages = c.untilFinal(longId);
        qsizetype listed = 0;
        for (const Frame &page : longPages) {
            QCOMPARE(page.op(), QStringLiteral("entries"));
            QVERIFY(QJsonDocument(page.header).toJson(QJsonDocument::Compact).size() <= Limits::MaxHeaderBytes);
            listed += page.header.value(QStringLiteral("entries")).toArray().size();
        }
        QCOMPARE(listed, 600);
        QVERIFY(longPages.size() >= 3);   // 600 names of ~290 bytes: the header limit cuts the pages
    }

    void requestsAreAnsweredBetweenAListingsPages()
    {
        // A large folder's listing is read a page per turn of the event loop: a request sent after the list is
        // answered before the listing ends (the server read all pages in one turn before, ~12 µs per entry, and
        // the files a folder download asked for, or any other session on the thread, waited for the rest).
        const QString dir = m_server->home(QStringLiteral("bob")) + QStringLiteral("/big");
        QVERIFY(QDir().mkpath(dir));
        for (int i = 0; i < 6000; ++i)
            QVERIFY(writeFile(dir + QStringLiteral("/file-%1.txt").arg(i, 5, 10, QLatin1Char('0')), {}));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("bob"), QStringLiteral("builder")));
        const qint64 listId = c.nextId();
        const qint64 statId = c.nextId();
        c.send(op(QStringLiteral("list"),
                  {{QStringLiteral("id"), listId}, {QStringLiteral("path"), QStringLiteral("/big")}}));
        c.send(op(QStringLiteral("stat"),
                  {{QStringLiteral("id"), statId}, {QStringLiteral("path"), QStringLiteral("/")}}));
        int pagesBeforeStat = -1;
        int pages = 0;
        qsizetype listed = 0;
        bool listingDone = false;
        while (!listingDone || pagesBeforeStat < 0) {
            const std::optional<Frame> frame = c.next();
            QVERIFY(frame);
            const qint64 re = frame->header.value(QStringLiteral("re")).toInteger();
            if (re == statId) {
                QCOMPARE(frame->op(), QStringLiteral("ok"));
                pagesBeforeStat = pages;
                continue;
            }
            QCOMPARE(re, listId);
            QCOMPARE(frame->op(), QStringLiteral("entries"));
            ++pages;
            listed += frame->header.value(QStringLiteral("entries")).toArray().size();
            listingDone = !frame->header.value(QStringLiteral("more")).toBool();
        }
        QCOMPARE(listed, 6000);
        QVERIFY2(pagesBeforeStat < pages,
                 qPrintable(QStringLiteral("stat answered after page %1 of %2").arg(pagesBeforeStat).arg(pages)));
    }

    void hostilePathsAreRefused_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        QTest::newRow("dotdot") << QStringLiteral("/../../etc") << QStringLiteral("invalid_path");
        QTest::newRow("relative") << QStringLiteral("../etc") << QStringLiteral("invalid_path");
        QTest::newRow("inner dotdot") << QStringLiteral("/docs/../../etc/passwd") << QStringLiteral("invalid_path");
        QTest::newRow("double slash") << QStringLiteral("//etc") << QStringLiteral("invalid_path");
        QTest::newRow("nul") << QStringLiteral("/a\u0000b") << QStringLiteral("invalid_path");
        QTest::newRow("reserved") << QStringLiteral("/.ferry-part-x") << QStringLiteral("invalid_path");
        QTest::newRow("symlink out") << QStringLiteral("/etc-link/passwd") << QStringLiteral("permission_denied");
        QTest::newRow("symlink itself") << QStringLiteral("/etc-link") << QStringLiteral("permission_denied");
        QTest::newRow("sibling home") << QStringLiteral("/bob-link") << QStringLiteral("permission_denied");
    }

    void hostilePathsAreRefused()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        const QString home = m_server->home(QStringLiteral("alice"));
        QFile::link(QStringLiteral("/etc"), home + QStringLiteral("/etc-link"));
        QFile::link(m_server->home(QStringLiteral("bob")), home + QStringLiteral("/bob-link"));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("wonderland")));
        for (const QString &name : {QStringLiteral("stat"), QStringLiteral("list"), QStringLiteral("remove")})
            QCOMPARE(code(c.request(op(name, {{QStringLiteral("path"), path}}))), expected);
        QCOMPARE(code(c.request(op(QStringLiteral("mkdir"), {{QStringLiteral("path"), QString(path + QStringLiteral("/x"))},
                                                             {QStringLiteral("parents"), true}}))), expected);
        // Links that lead outside are not listed, and /etc is untouched.
        const qint64 id = c.nextId();
        c.send(op(QStringLiteral("list"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/")}}));
        const QList<Frame> pages = c.untilFinal(id);
        QVERIFY(!pages.isEmpty());
        QVERIFY(pages.last().header.value(QStringLiteral("entries")).toArray().isEmpty());
        QVERIFY(QFile::exists(QStringLiteral("/etc/passwd")));
    }

    void framingErrorsCloseOnlyThatSession_data()
    {
        QTest::addColumn<QByteArray>("garbage");
        QTest::newRow("zero length") << QByteArray(4, '\0');
        QTest::newRow("huge length") << QByteArray("\xff\xff\xff\xff", 4);
        QTest::newRow("http request") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QTest::newRow("not json") << lengthPrefixed("nonsense");
        QTest::newRow("not object") << lengthPrefixed("[1,2,3]");
        QTest::newRow("no op") << lengthPrefixed("{\"id\":1}");
        QTest::newRow("bytes string") << lengthPrefixed("{\"op\":\"data\",\"id\":1,\"bytes\":\"9\"}");
        QTest::newRow("payload too large") << lengthPrefixed("{\"op\":\"data\",\"id\":1,\"bytes\":4194305}");
    }

    void framingErrorsCloseOnlyThatSession()
    {
        QFETCH(QByteArray, garbage);
        RawClient bystander;
        QVERIFY(bystander.login(m_server->port(), QStringLiteral("bob"), QStringLiteral("builder")));
        for (bool loggedIn : {false, true}) {
            RawClient attacker;
            if (loggedIn)
                QVERIFY(attacker.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("wonderland")));
            else {
                QVERIFY(attacker.connectTo(m_server->port()));
                QVERIFY(attacker.next());
            }
            attacker.sendRaw(garbage);
            const std::optional<Frame> error = attacker.next();
            QVERIFY(error);
            QCOMPARE(error->op(), QStringLiteral("error"));
            QCOMPARE(code(*error), QStringLiteral("protocol_error"));
            QVERIFY(!error->header.value(QStringLiteral("message")).toString().isEmpty());
            QVERIFY(attacker.waitClosed());
        }
        QCOMPARE(bystander.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
        QCOMPARE(bystander.request(op(QStringLiteral("stat"), {{QStringLiteral("path"), QStringLiteral("/")}})).op(),
                 QStringLiteral("ok"));
    }

    void randomGarbageNeverTakesTheServerDown()
    {
        for (quint32 seed = 1; seed <= 40; ++seed) {
            RawClient attacker;
            QVERIFY(attacker.connectTo(m_server->port()));
            attacker.sendRaw(randomBytes(1 + seed * 97, seed));
            attacker.waitClosed(200);   // closed or not: the server must simply survive
        }
        RawClient client;
        QVERIFY(client.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("wonderland")));
        QCOMPARE(client.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
    }

    void unauthenticatedSessionsAreClosedAfterTheTimeout()
    {
        // The login below must fit in the limit: a cheap one, and the limit scales with the build's speed.
        const int limitMs = scaledMs(1500);
        TestServer server;
        QVERIFY(addCheapLoginUser(server, QStringLiteral("alice"), QStringLiteral("wonderland")));
        ServerConfig config;
        config.unauthenticatedTimeoutMs = limitMs;
        QVERIFY(server.start(config));
        RawClient idle;
        QVERIFY(idle.connectTo(server.port()));
        QVERIFY(idle.next());
        QVERIFY(idle.waitClosed(limitMs * 6));
        RawClient active;
        QVERIFY(active.login(server.port(), QStringLiteral("alice"), QStringLiteral("wonderland")));
        QVERIFY(!active.waitClosed(limitMs + limitMs / 2));   // logged in: the long idle timeout applies
    }

    void idleLoggedInSessionsCloseWhilePingKeepsOthersAlive()
    {
        // The idle one's login must fit in the idle time (the pinging one waits through it): cheap logins,
        // and the time scales with the build's speed.
        const int idleMs = scaledMs(1500);
        TestServer server;
        QVERIFY(addCheapLoginUser(server, QStringLiteral("carol"), QStringLiteral("pw")));
        ServerConfig config;
        config.idleTimeoutMs = idleMs;
        QVERIFY(server.start(config));
        RawClient idle, pinging;
        // The pinging one first: its login must not eat the idle one's time.
        QVERIFY(pinging.login(server.port(), QStringLiteral("carol"), QStringLiteral("pw")));
        QVERIFY(idle.login(server.port(), QStringLiteral("carol"), QStringLiteral("pw")));
        // The server started the idle one's timer before its last reply: what this measures is at most its life.
        QElapsedTimer lived;
        lived.start();
        int pings = 0;
        while (!idle.waitClosed(250)) {
            QCOMPARE(pinging.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
            QVERIFY(++pings < 200);
        }
        // The idle one lasted about its timeout, not less (a third of it allowed for the login reply's way);
        // counted in time, not in pings, which take longer on a slow run.
        QVERIFY2(lived.elapsed() >= idleMs * 2 / 3,
                 qPrintable(QStringLiteral("closed after %1 ms of %2").arg(lived.elapsed()).arg(idleMs)));
        // Logged in before the idle one, the pinging one would have been closed before it without its pings.
        QCOMPARE(pinging.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestServerProtocol)
#include "tst_serverprotocol.moc"
