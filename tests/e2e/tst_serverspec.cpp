// Where ferryd contradicted docs/PROTOCOL.md (issue 8, "Server and spec agree"), against a real server on
// loopback: negative mtimes, reused ids, integers above 2^53, a byte-order mark, the mtime of a resumed put.

#include "LocalStorage.h"
#include "RawClient.h"
#include "WireTestHelpers.h"
#include "Sha256.h"
#include "TestServer.h"

#include <QDateTime>
#include <QtEndian>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace ferry;
using namespace ferry::test;


class TestServerSpec : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    QString home() const { return m_server->home(QStringLiteral("alice")); }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->addUser(QStringLiteral("alice"), Pw));
        QVERIFY(m_server->start());
    }
    void cleanup() { m_server.reset(); }

    // --- server and spec agree ---

    void fileOlderThan1970IsListedWithMtimeZero()
    {
        QVERIFY(writeFile(home() + QStringLiteral("/old"), "x"));
        const struct timespec times[2] = {{-315619200, 0}, {-315619200, 0}};   // 1960
        QVERIFY(::utimensat(AT_FDCWD, QFile::encodeName(home() + QStringLiteral("/old")).constData(), times, 0) == 0);
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        const Frame stat = c.request(op(QStringLiteral("stat"), {{QStringLiteral("path"), QStringLiteral("/old")}}));
        QCOMPARE(stat.header.value(QStringLiteral("entry")).toObject().value(QStringLiteral("mtime")).toInteger(-1), 0);
        const Frame listed = c.request(op(QStringLiteral("list"), {{QStringLiteral("path"), QStringLiteral("/")}}));
        QCOMPARE(listed.header.value(QStringLiteral("entries")).toArray().first().toObject().value(QStringLiteral("mtime")).toInteger(-1), 0);
    }

    void requestReusingAnOpenPutsIdIsBadRequestWithReNull()
    {
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        const qint64 id = c.nextId();
        c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/r")},
                                          {QStringLiteral("size"), 3}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        QCOMPARE(c.next()->op(), QStringLiteral("ok"));
        c.send(op(QStringLiteral("ping"), {{QStringLiteral("id"), id}}));
        const Frame reply = *c.next();
        QCOMPARE(code(reply), QStringLiteral("bad_request"));
        QVERIFY(reply.header.value(QStringLiteral("re")).isNull());
    }

    void integersAbove2To53AreWronglyTyped()
    {
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        c.sendRaw(rawFrame(R"({"op":"ping","id":9007199254740993})"));
        const Frame reply = *c.next();
        QCOMPARE(code(reply), QStringLiteral("bad_request"));
        QVERIFY(reply.header.value(QStringLiteral("re")).isNull());
        c.sendRaw(rawFrame(R"({"op":"put","id":5,"path":"/big","mode":"new","size":9007199254740993})"));
        QCOMPARE(code(*c.next()), QStringLiteral("bad_request"));
        c.sendRaw(rawFrame(R"({"op":"ping","id":9007199254740992})"));   // 2^53 itself is fine
        QCOMPARE(c.next()->op(), QStringLiteral("ok"));
    }

    void headerWithAByteOrderMarkIsAFramingError()
    {
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        c.sendRaw(rawFrame("\xEF\xBB\xBF{\"op\":\"ping\",\"id\":1}"));
        const std::optional<Frame> reply = c.next();
        QVERIFY(reply);
        QCOMPARE(code(*reply), QStringLiteral("protocol_error"));
        QVERIFY(c.waitClosed());
    }

    void resumedPutWithoutMtimeGetsTheTimeItWasStored()
    {
        QVERIFY(writeFile(home() + QStringLiteral("/.ferry-part-m"), "abc"));
        const struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};   // 2001
        QVERIFY(::utimensat(AT_FDCWD, QFile::encodeName(home() + QStringLiteral("/.ferry-part-m")).constData(), times, 0) == 0);
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const QList<Frame> frames = putFile(c, QStringLiteral("/m"), "abcdef", QStringLiteral("resume"), std::nullopt);
        QCOMPARE(integer(frames.first(), "offset"), 3);
        QCOMPARE(frames.last().op(), QStringLiteral("ok"));
        QVERIFY(integer(frames.last(), "mtime") >= before - 1000);
        QVERIFY(QFileInfo(home() + QStringLiteral("/m")).lastModified().toMSecsSinceEpoch() >= before - 1000);
    }
};

QTEST_GUILESS_MAIN(TestServerSpec)
#include "tst_serverspec.moc"
