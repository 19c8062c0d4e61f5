// ferryd under attack (issue 8): each test is one finding of the attack run, against a real server on
// loopback. Planted part-file symlinks, stalled transfers, pipelined lists, quota races with a second
// session, special files, and the places where the server contradicted docs/PROTOCOL.md.

#include "FailingStorage.h"
#include "LocalStorage.h"
#include "RawClient.h"
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

namespace {
const QString Pw = QStringLiteral("pw");

QJsonObject op(const QString &name, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("op"), name);
    return fields;
}
QString code(const Frame &frame)
{
    return frame.header.value(QStringLiteral("code")).toString();
}
qint64 integer(const Frame &frame, const char *key)
{
    return frame.header.value(QLatin1String(key)).toInteger(-1);
}
// A frame around header bytes as they are (encodeFrame() would re-serialise them).
QByteArray rawFrame(const QByteArray &json)
{
    QByteArray frame(4, Qt::Uninitialized);
    qToBigEndian(quint32(json.size()), frame.data());
    return frame + json;
}
int openFds()
{
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System).size());
}

// put + data + end pipelined; every frame answering the put.
QList<Frame> putFile(RawClient &client, const QString &path, const QByteArray &content, const QString &mode,
                     std::optional<qint64> mtime = 1700000000123LL)
{
    const qint64 id = client.nextId();
    QJsonObject put{{QStringLiteral("id"), id}, {QStringLiteral("path"), path},
                    {QStringLiteral("size"), content.size()}, {QStringLiteral("mode"), mode}};
    if (mtime)
        put.insert(QStringLiteral("mtime"), *mtime);
    client.send(op(QStringLiteral("put"), put));
    const std::optional<Frame> ready = client.next();
    if (!ready || ready->op() != QLatin1String("ok"))
        return ready ? QList<Frame>{*ready} : QList<Frame>{};
    for (qint64 at = integer(*ready, "offset"); at < content.size(); at += 1024 * 1024)
        client.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.mid(at, 1024 * 1024));
    client.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id}, {QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex(content))}}));
    QList<Frame> frames{*ready};
    frames += client.untilFinal(id, 60000);
    return frames;
}
} // namespace

class TestServerHardening : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    QTemporaryDir m_outside;
    QString home() const { return m_server->home(QStringLiteral("alice")); }
    qint64 used(RawClient &c) { return integer(c.request(op(QStringLiteral("quota"))), "used"); }

    void startServer(ServerConfig config = {}, std::optional<qint64> quota = std::nullopt)
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->addUser(QStringLiteral("alice"), Pw, quota));
        QVERIFY(m_server->start(config));
    }

private slots:
    void init() { startServer(); }
    void cleanup() { m_server.reset(); }

    // --- part-file symlink ---

    void plantedPartFileSymlinkIsNeverFollowed_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("resume") << QStringLiteral("resume");
        QTest::newRow("new") << QStringLiteral("new");
    }
    void plantedPartFileSymlinkIsNeverFollowed()
    {
        QFETCH(QString, mode);
        const QString victim = m_outside.path() + QStringLiteral("/victim");
        QVERIFY(writeFile(victim, "precious outside data"));
        QVERIFY(::symlink(QFile::encodeName(victim).constData(), QFile::encodeName(home() + QStringLiteral("/.ferry-part-x")).constData()) == 0);

        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        const QByteArray content = "uploaded content";
        const QList<Frame> frames = putFile(c, QStringLiteral("/x"), content, mode);
        QCOMPARE(integer(frames.first(), "offset"), 0);   // the link is not a part file to resume
        QCOMPARE(frames.last().op(), QStringLiteral("ok"));
        QCOMPARE(readFile(victim), QByteArray("precious outside data"));
        const QFileInfo stored(home() + QStringLiteral("/x"));
        QVERIFY(!stored.isSymLink());
        QCOMPARE(readFile(stored.filePath()), content);
    }

    // --- stalled transfers ---

    void stalledPutEndsTheSessionAndReleasesLockAndReservation()
    {
        cleanup();
        ServerConfig config;
        config.idleTimeoutMs = 1000;
        startServer(config, 10 * 1024 * 1024);
        RawClient stalled;
        QVERIFY(stalled.login(m_server->port(), QStringLiteral("alice"), Pw));
        const qint64 id = stalled.nextId();
        stalled.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/s.bin")},
                                                {QStringLiteral("size"), 9 * 1024 * 1024}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        QCOMPARE(stalled.next()->op(), QStringLiteral("ok"));
        stalled.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), QByteArray(1000, 'a'));
        QElapsedTimer timer;
        timer.start();
        QVERIFY(stalled.waitClosed(15000));   // before: the open put kept the session alive forever
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));

        RawClient other;
        QVERIFY(other.login(m_server->port(), QStringLiteral("alice"), Pw));
        // The lock and the 9 MiB reservation are gone: the same target takes a full-size upload again.
        const QList<Frame> again = putFile(other, QStringLiteral("/s.bin"), QByteArray(9 * 1024 * 1024, 'a'), QStringLiteral("resume"));
        QCOMPARE(integer(again.first(), "offset"), 1000);   // its part file stayed for the resume
        QCOMPARE(again.last().op(), QStringLiteral("ok"));
    }

    void getWhoseClientReadsNothingEndsTheSession()
    {
        cleanup();
        ServerConfig config;
        config.idleTimeoutMs = 1000;
        startServer(config);
        QFile big(home() + QStringLiteral("/big.bin"));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(256 * 1024 * 1024));   // sparse: cheap to make, far more than the socket buffers
        big.close();

        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        c.socket().setReadBufferSize(64 * 1024);   // stop reading: the kernel buffers fill, the server stalls
        c.send(op(QStringLiteral("get"), {{QStringLiteral("id"), c.nextId()}, {QStringLiteral("path"), QStringLiteral("/big.bin")}}));
        QTRY_COMPARE(m_server->server()->sessionCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->server()->sessionCount(), 0, 15000);
    }

    // --- file descriptors ---

    void pipelinedListsHoldFewFolderDescriptors()
    {
        // Enough entries that the replies to all the lists fill the socket buffers we do not read.
        QVERIFY(QDir().mkpath(home() + QStringLiteral("/d0")));
        for (int i = 0; i < 100; ++i)
            QVERIFY(writeFile(home() + QStringLiteral("/d0/file-with-a-long-name-%1").arg(i, 5, 10, QLatin1Char('0')), "x"));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        c.socket().setReadBufferSize(64 * 1024);
        const int before = openFds();
        constexpr int Lists = 1000;
        QByteArray burst;
        for (int i = 1; i <= Lists; ++i) {
            burst += encodeFrame(op(QStringLiteral("list"), {{QStringLiteral("id"), 1000 + i},
                                                                                 {QStringLiteral("path"), QStringLiteral("/d0")}}))
;
        }
        c.sendRaw(burst);
        // Give the server time to take in every request while we read nothing.
        QTest::qWait(1500);
        const int during = openFds();
        QVERIFY2(during - before < 40, qPrintable(QStringLiteral("%1 -> %2 fds").arg(before).arg(during)));
        // Every list is answered in full once the client reads.
        c.socket().setReadBufferSize(0);
        int finished = 0;
        QSet<qint64> done;
        while (done.size() < Lists) {
            const std::optional<Frame> frame = c.next(30000);
            QVERIFY(frame);
            QCOMPARE(frame->op(), QStringLiteral("entries"));
            if (!frame->header.value(QStringLiteral("more")).toBool())
                done.insert(integer(*frame, "re"));
            ++finished;
        }
        QTRY_VERIFY(openFds() - before < 10);
    }

    void failedListIsAnErrorNeverAnEmptySuccess()
    {
        cleanup();
        ServerConfig config;
        m_server = std::make_unique<TestServer>();
        auto storage = std::make_shared<FailingStorage>(m_server->dataDir() + QStringLiteral("/homes"));
        config.storage = storage;
        QVERIFY(m_server->addUser(QStringLiteral("alice"), Pw));
        QVERIFY(m_server->start(config));
        for (int i = 0; i < 3; ++i)
            QVERIFY(writeFile(home() + QStringLiteral("/f%1").arg(i), "x"));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));

        storage->failWith(QStringLiteral("list"), EMFILE);
        Frame reply = c.request(op(QStringLiteral("list"), {{QStringLiteral("path"), QStringLiteral("/")}}));
        QCOMPARE(reply.op(), QStringLiteral("error"));
        QCOMPARE(code(reply), QStringLiteral("io_error"));

        storage->clear();
        storage->failWith(QStringLiteral("list-read"), EIO);
        const qint64 id = c.nextId();
        c.send(op(QStringLiteral("list"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/")}}));
        const QList<Frame> frames = c.untilFinal(id);
        QCOMPARE(frames.last().op(), QStringLiteral("error"));   // not "entries" with more:false
        QCOMPARE(code(frames.last()), QStringLiteral("io_error"));
        storage->clear();
        QCOMPARE(c.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
    }

    void failingDiskDrivesUploadAndDownloadErrors_data()
    {
        QTest::addColumn<QString>("call");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("expected");
        QTest::newRow("append ENOSPC") << QStringLiteral("append") << int(ENOSPC) << QStringLiteral("io_error");
        QTest::newRow("sync EIO") << QStringLiteral("sync") << int(EIO) << QStringLiteral("io_error");
        QTest::newRow("openPart EACCES") << QStringLiteral("openPart") << int(EACCES) << QStringLiteral("permission_denied");
        QTest::newRow("commit EIO") << QStringLiteral("commit") << int(EIO) << QStringLiteral("io_error");
    }
    void failingDiskDrivesUploadAndDownloadErrors()
    {
        QFETCH(QString, call);
        QFETCH(int, error);
        QFETCH(QString, expected);
        cleanup();
        m_server = std::make_unique<TestServer>();
        auto storage = std::make_shared<FailingStorage>(m_server->dataDir() + QStringLiteral("/homes"));
        ServerConfig config;
        config.storage = storage;
        QVERIFY(m_server->addUser(QStringLiteral("alice"), Pw, 100 * 1024 * 1024));
        QVERIFY(m_server->start(config));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        QVERIFY(putFile(c, QStringLiteral("/keep"), "old", QStringLiteral("new")).last().op() == QLatin1String("ok"));

        storage->failWith(call, error);
        const QList<Frame> frames = putFile(c, QStringLiteral("/keep"), QByteArray(3 * 1024 * 1024, 'n'), QStringLiteral("overwrite"));
        QCOMPARE(frames.last().op(), QStringLiteral("error"));
        QCOMPARE(code(frames.last()), expected);
        storage->clear();
        QCOMPARE(readFile(home() + QStringLiteral("/keep")), QByteArray("old"));   // nothing half-written
        QCOMPARE(used(c), LocalHome(home()).usage());                              // and the ledger agrees

        storage->failWith(QStringLiteral("read"), EIO);
        const qint64 id = c.nextId();
        c.send(op(QStringLiteral("get"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/keep")}}));
        const QList<Frame> got = c.untilFinal(id);
        QCOMPARE(code(got.last()), QStringLiteral("io_error"));
        storage->clear();
    }

    // --- quota bypass ---

    void renameOrRemoveOfAFolderWithAnOpenUploadIsBusy()
    {
        cleanup();
        startServer({}, 8 * 1024 * 1024);
        QVERIFY(QDir().mkpath(home() + QStringLiteral("/d")));
        RawClient a, b;
        QVERIFY(a.login(m_server->port(), QStringLiteral("alice"), Pw));
        QVERIFY(b.login(m_server->port(), QStringLiteral("alice"), Pw));
        const qint64 id = a.nextId();
        const QByteArray content(6 * 1024 * 1024, 'q');
        a.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/d/f")},
                                          {QStringLiteral("size"), content.size()}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        QCOMPARE(a.next()->op(), QStringLiteral("ok"));
        a.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.left(3 * 1024 * 1024));
        QTRY_COMPARE(QFileInfo(home() + QStringLiteral("/d/.ferry-part-f")).size(), 3 * 1024 * 1024);

        QCOMPARE(code(b.request(op(QStringLiteral("rename"), {{QStringLiteral("from"), QStringLiteral("/d")}, {QStringLiteral("to"), QStringLiteral("/e")}}))),
                 QStringLiteral("busy"));
        QCOMPARE(code(b.request(op(QStringLiteral("remove"), {{QStringLiteral("path"), QStringLiteral("/d")}, {QStringLiteral("recursive"), true}}))),
                 QStringLiteral("busy"));
        QCOMPARE(code(b.request(op(QStringLiteral("rename"), {{QStringLiteral("from"), QStringLiteral("/d/f")}, {QStringLiteral("to"), QStringLiteral("/g")}}))),
                 QStringLiteral("busy"));

        a.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.mid(3 * 1024 * 1024));
        a.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id}, {QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex(content))}}));
        QCOMPARE(a.untilFinal(id).last().op(), QStringLiteral("ok"));
        // Now the folder is free again, and the ledger equals the disk.
        QCOMPARE(b.request(op(QStringLiteral("rename"), {{QStringLiteral("from"), QStringLiteral("/d")}, {QStringLiteral("to"), QStringLiteral("/e")}})).op(),
                 QStringLiteral("ok"));
        QCOMPARE(used(b), LocalHome(home()).usage());
        QCOMPARE(used(b), content.size());
        // A second 6 MiB file no longer fits under 8 MiB.
        QCOMPARE(code(putFile(b, QStringLiteral("/h"), content, QStringLiteral("new")).last()), QStringLiteral("quota_exceeded"));
    }

    void randomInterleavingKeepsLedgerEqualToDisk()
    {
        cleanup();
        startServer({}, 64 * 1024 * 1024);
        QVERIFY(QDir().mkpath(home() + QStringLiteral("/d")));
        RawClient sessions[2];
        for (RawClient &s : sessions)
            QVERIFY(s.login(m_server->port(), QStringLiteral("alice"), Pw));
        QRandomGenerator random(8);
        const QStringList names{QStringLiteral("/a"), QStringLiteral("/d/b"), QStringLiteral("/d/c"), QStringLiteral("/e")};
        struct Open {
            qint64 id = 0;
            QByteArray content;
            qint64 sent = 0;
        };
        std::optional<Open> open[2];
        for (int step = 0; step < 300; ++step) {
            const int who = random.bounded(2);
            RawClient &c = sessions[who];
            const QString name = names[random.bounded(names.size())];
            const QString other = names[random.bounded(names.size())];
            switch (random.bounded(7)) {
            case 0:   // start a put (new/overwrite/resume)
                if (!open[who]) {
                    const QStringList modes{QStringLiteral("new"), QStringLiteral("overwrite"), QStringLiteral("resume")};
                    Open put{c.nextId(), QByteArray(int(random.bounded(1, 300000)), char('a' + step % 26)), 0};
                    c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), put.id}, {QStringLiteral("path"), name},
                                                      {QStringLiteral("size"), put.content.size()},
                                                      {QStringLiteral("mode"), modes[random.bounded(3)]}}));
                    const Frame reply = *c.next();
                    if (reply.op() == QLatin1String("ok")) {
                        put.sent = integer(reply, "offset");
                        open[who] = put;
                    }
                }
                break;
            case 1:   // data
            case 2:
                if (open[who] && open[who]->sent < open[who]->content.size()) {
                    const qint64 length = qMin<qint64>(random.bounded(1, 100000), open[who]->content.size() - open[who]->sent);
                    c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), open[who]->id}}), open[who]->content.mid(open[who]->sent, length));
                    open[who]->sent += length;
                }
                break;
            case 3:   // end (sometimes early, sometimes with a wrong hash) or cancel
                if (open[who]) {
                    const qint64 id = open[who]->id;
                    const int how = random.bounded(3);
                    if (how == 2) {
                        c.send(op(QStringLiteral("cancel"), {{QStringLiteral("id"), c.nextId()}, {QStringLiteral("target"), id},
                                                             {QStringLiteral("discard"), random.bounded(2) == 1}}));
                    } else {
                        const QByteArray hash = how == 0 ? Sha256::hex(open[who]->content) : QByteArray(64, '0');
                        c.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id}, {QStringLiteral("sha256"), QString::fromLatin1(hash)}}));
                    }
                    QVERIFY(!c.untilFinal(id, 30000).isEmpty());
                    open[who].reset();
                }
                break;
            case 4:
                c.request(op(QStringLiteral("rename"), {{QStringLiteral("from"), name}, {QStringLiteral("to"), other},
                                                        {QStringLiteral("overwrite"), random.bounded(2) == 1}}));
                break;
            case 5:
                c.request(op(QStringLiteral("remove"), {{QStringLiteral("path"), name.startsWith(QLatin1String("/d/")) && random.bounded(3) == 0 ? QStringLiteral("/d") : name},
                                                        {QStringLiteral("recursive"), true}}));
                c.request(op(QStringLiteral("mkdir"), {{QStringLiteral("path"), QStringLiteral("/d")}, {QStringLiteral("parents"), true}}));
                break;
            default:
                QCOMPARE(c.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
            }
        }
        for (int who = 0; who < 2; ++who) {
            if (open[who]) {
                sessions[who].send(op(QStringLiteral("cancel"), {{QStringLiteral("id"), sessions[who].nextId()}, {QStringLiteral("target"), open[who]->id}}));
                sessions[who].untilFinal(open[who]->id);
            }
        }
        QCOMPARE(used(sessions[0]), LocalHome(home()).usage());
    }

    void cancelWithDiscardDeletesThePartFileAndFreesItsQuota()
    {
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        const qint64 id = c.nextId();
        c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/p")},
                                          {QStringLiteral("size"), 5000}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        QCOMPARE(c.next()->op(), QStringLiteral("ok"));
        c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), QByteArray(3000, 'p'));
        QTRY_COMPARE(QFileInfo(home() + QStringLiteral("/.ferry-part-p")).size(), 3000);
        const qint64 cancelId = c.nextId();
        c.send(op(QStringLiteral("cancel"), {{QStringLiteral("id"), cancelId}, {QStringLiteral("target"), id}, {QStringLiteral("discard"), true}}));
        QHash<qint64, Frame> replies;   // the two replies may come in either order
        for (int i = 0; i < 2; ++i) {
            const std::optional<Frame> frame = c.next();
            QVERIFY(frame);
            replies.insert(integer(*frame, "re"), *frame);
        }
        QCOMPARE(replies.value(cancelId).op(), QStringLiteral("ok"));
        QCOMPARE(code(replies.value(id)), QStringLiteral("cancelled"));
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/.ferry-part-p")));
        QCOMPARE(used(c), 0);
    }

    void stalePartFilesAreDeletedAndLeaveTheUsage()
    {
        QVERIFY(writeFile(home() + QStringLiteral("/.ferry-part-old"), QByteArray(4000, 'o')));
        QVERIFY(writeFile(home() + QStringLiteral("/.ferry-part-fresh"), QByteArray(100, 'f')));
        const qint64 hourAgo = QDateTime::currentSecsSinceEpoch() - 3600;
        const struct timespec times[2] = {{hourAgo, 0}, {hourAgo, 0}};
        QVERIFY(::utimensat(AT_FDCWD, QFile::encodeName(home() + QStringLiteral("/.ferry-part-old")).constData(), times, 0) == 0);
        m_server->stop();
        ServerConfig config;
        config.partFileLifetimeMs = 60 * 1000;
        QVERIFY(m_server->start(config));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/.ferry-part-old")));
        QVERIFY(QFileInfo::exists(home() + QStringLiteral("/.ferry-part-fresh")));
        QCOMPARE(used(c), 100);
    }

    // --- special files ---

    void namedPipeIsNeverOpened()
    {
        QVERIFY(::mkfifo(QFile::encodeName(home() + QStringLiteral("/pipe")).constData(), 0600) == 0);
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        for (int i = 0; i < 3; ++i) {
            const Frame got = c.request(op(QStringLiteral("get"), {{QStringLiteral("path"), QStringLiteral("/pipe")}}), 5000);
            QCOMPARE(code(got), QStringLiteral("permission_denied"));
        }
        QCOMPARE(code(c.request(op(QStringLiteral("stat"), {{QStringLiteral("path"), QStringLiteral("/pipe")}}))), QStringLiteral("permission_denied"));
        const Frame listed = c.request(op(QStringLiteral("list"), {{QStringLiteral("path"), QStringLiteral("/")}}));
        QVERIFY(listed.header.value(QStringLiteral("entries")).toArray().isEmpty());
        QCOMPARE(code(putFile(c, QStringLiteral("/pipe"), "x", QStringLiteral("overwrite")).last()), QStringLiteral("permission_denied"));
        QCOMPARE(c.request(op(QStringLiteral("ping")), 2000).op(), QStringLiteral("ok"));
        RawClient fresh;
        QVERIFY(fresh.login(m_server->port(), QStringLiteral("alice"), Pw));
    }

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

QTEST_GUILESS_MAIN(TestServerHardening)
#include "tst_serverhardening.moc"
