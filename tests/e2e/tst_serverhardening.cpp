// ferryd under attack (issue 8): each test is one finding of the attack run, against a real server on
// loopback. Planted part-file symlinks, stalled transfers, pipelined lists, a failing disk, special files.
// (Quota races: tst_serverquota; the spec disagreements: tst_serverspec.)

#include "FailingStorage.h"
#include "LocalStorage.h"
#include "RawClient.h"
#include "WireTestHelpers.h"
#include "Sha256.h"
#include "TestServer.h"
#include "TestTiming.h"
#include "UploadService.h"

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

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace ferry;
using namespace ferry::test;


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
        // Enough lists that their replies (~7 KB each) fill the socket buffers we do not read and the server's
        // output watermark (5-9 MB here), so that the lists queue up on the server and it stops reading.
        QVERIFY(QDir().mkpath(home() + QStringLiteral("/d0")));
        for (int i = 0; i < 100; ++i)
            QVERIFY(writeFile(home() + QStringLiteral("/d0/file-with-a-long-name-%1").arg(i, 5, 10, QLatin1Char('0')), "x"));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        c.socket().setReadBufferSize(64 * 1024);
        const int before = openFds();
        constexpr int Lists = 3000;   // ~21 MB of replies: 1 000 lists' were all taken in by the buffers
        QByteArray burst;
        for (int i = 1; i <= Lists; ++i) {
            burst += encodeFrame(op(QStringLiteral("list"), {{QStringLiteral("id"), 1000 + i},
                                                             {QStringLiteral("path"), QStringLiteral("/d0")}}));
        }
        c.sendRaw(burst);
        // The server takes in requests until its queue of lists is full, then stops reading (~5 s sanitized).
        QTRY_COMPARE_WITH_TIMEOUT(m_server->server()->services().sessionsNotReading.load(), 1, scaledMs(20000));
        const int during = openFds();
        QVERIFY2(during - before < 40, qPrintable(QStringLiteral("%1 -> %2 fds").arg(before).arg(during)));
        // Every list is answered in full once the client reads.
        c.socket().setReadBufferSize(0);
        int finished = 0;
        QSet<qint64> done;
        while (done.size() < Lists) {
            const std::optional<Frame> frame = c.next(30000);
            QVERIFY2(frame, qPrintable(QStringLiteral("no frame after %1 (%2 lists complete), socket %3, %4 bytes in")
                                           .arg(finished).arg(done.size()).arg(int(c.socket().state())).arg(c.receivedBytes())));
            QCOMPARE(frame->op(), QStringLiteral("entries"));
            if (!frame->header.value(QStringLiteral("more")).toBool())
                done.insert(integer(*frame, "re"));
            ++finished;
        }
        QTRY_VERIFY(openFds() - before < 10);
        QCOMPARE(m_server->server()->services().sessionsNotReading.load(), 0);
    }

    // Puts sent without their data each held a part file and its folder open, with no limit: one session took
    // 6 000 descriptors with 3 000 of them, and a few such sessions would leave none for the other users.
    void openPutsOfOneSessionAreBounded()
    {
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        const int before = openFds();
        constexpr int Allowed = UploadService::MaxUploadsOpen;
        constexpr int Beyond = 20;
        QByteArray burst;
        for (int i = 1; i <= Allowed + Beyond; ++i) {
            burst += encodeFrame(op(QStringLiteral("put"), {{QStringLiteral("id"), i},
                                                             {QStringLiteral("path"), QStringLiteral("/p%1.bin").arg(i)},
                                                             {QStringLiteral("size"), 3},
                                                             {QStringLiteral("mode"), QStringLiteral("new")}}));
        }
        c.sendRaw(burst);
        QSet<qint64> accepted;
        QSet<qint64> refused;
        while (accepted.size() + refused.size() < Allowed + Beyond) {
            const std::optional<Frame> frame = c.next(30000);
            QVERIFY2(frame, qPrintable(QStringLiteral("%1 accepted, %2 refused").arg(accepted.size()).arg(refused.size())));
            if (frame->op() == QStringLiteral("ok")) {
                accepted.insert(integer(*frame, "re"));
                continue;
            }
            QCOMPARE(frame->op(), QStringLiteral("error"));
            QCOMPARE(frame->header.value(QStringLiteral("code")).toString(), QStringLiteral("throttled"));
            QVERIFY(integer(*frame, "retry_after") > 0);
            refused.insert(integer(*frame, "re"));
        }
        QCOMPARE(accepted.size(), Allowed);
        for (qint64 id = Allowed + 1; id <= Allowed + Beyond; ++id)
            QVERIFY2(refused.contains(id), qPrintable(QString::number(id)));
        QVERIFY2(openFds() - before <= 2 * Allowed + 16, qPrintable(QStringLiteral("%1 -> %2 fds").arg(before).arg(openFds())));
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/p%1.bin").arg(Allowed + 1)));

        // Finishing one makes room for one more.
        c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), 1}}), QByteArray("abc"), true);
        c.send(op(QStringLiteral("end"), {{QStringLiteral("id"), 1}, {QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex("abc"))}}));
        QCOMPARE(c.untilFinal(1).last().op(), QStringLiteral("ok"));
        QCOMPARE(readFile(home() + QStringLiteral("/p1.bin")), QByteArray("abc"));
        constexpr qint64 LaterId = 100000;   // past the burst's ids, which are still open
        c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), LaterId}, {QStringLiteral("path"), QStringLiteral("/later.bin")},
                                          {QStringLiteral("size"), 3}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        const std::optional<Frame> later = c.next();
        QVERIFY(later);
        QCOMPARE(later->op(), QStringLiteral("ok"));
        QCOMPARE(integer(*later, "re"), LaterId);

        // Another session of the same user is not held up by this one's limit.
        RawClient other;
        QVERIFY(other.login(m_server->port(), QStringLiteral("alice"), Pw));
        const QList<Frame> otherPut = putFile(other, QStringLiteral("/other.bin"), "xyz", QStringLiteral("new"));
        QVERIFY(!otherPut.isEmpty());
        QCOMPARE(otherPut.last().op(), QStringLiteral("ok"));
        QCOMPARE(readFile(home() + QStringLiteral("/other.bin")), QByteArray("xyz"));
    }

    // One session with thousands of lists pipelined must not keep its socket thread from the other sessions
    // on it: the thread goes back to its event loop every few requests. Before, it handled requests until
    // 8 MiB of replies were queued (here ~1 s of work in one go, far longer under ASan; the replies only
    // started to leave after that).
    void pipelinedListsLeaveOtherSessionsTheirTurn()
    {
        cleanup();
        ServerConfig config;
        config.workerThreads = 1;   // both sessions on one socket thread
        startServer(config);
        QVERIFY(QDir().mkpath(home() + QStringLiteral("/d0")));
        for (int i = 0; i < 300; ++i)
            QVERIFY(writeFile(home() + QStringLiteral("/d0/file-with-a-long-name-%1").arg(i, 5, 10, QLatin1Char('0')), "x"));
        RawClient lister;
        RawClient idle;
        QVERIFY(lister.login(m_server->port(), QStringLiteral("alice"), Pw));
        QVERIFY(idle.login(m_server->port(), QStringLiteral("alice"), Pw));
        constexpr int Lists = 2000;
        QByteArray burst;
        for (int i = 1; i <= Lists; ++i)
            burst += encodeFrame(op(QStringLiteral("list"), {{QStringLiteral("id"), i}, {QStringLiteral("path"), QStringLiteral("/d0")}}));
        lister.sendRaw(burst);
        QVERIFY(lister.socket().waitForBytesWritten(10000) || lister.socket().bytesToWrite() == 0);

        QList<qint64> pingMs;
        QSet<qint64> done;
        QElapsedTimer overall;
        overall.start();
        while (done.size() < Lists && overall.elapsed() < scaledMs(120000)) {
            QElapsedTimer timer;
            timer.start();
            QCOMPARE(idle.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
            pingMs.append(timer.elapsed());
            while (std::optional<Frame> frame = lister.next(1)) {   // the lister reads what has come
                QCOMPARE(frame->op(), QStringLiteral("entries"));
                if (!frame->header.value(QStringLiteral("more")).toBool())
                    done.insert(integer(*frame, "re"));
            }
        }
        QCOMPARE(done.size(), Lists);
        const qint64 totalMs = overall.elapsed();
        std::sort(pingMs.begin(), pingMs.end());
        const qint64 p90 = pingMs.at(int(pingMs.size() * 9 / 10));
        qInfo("%d pings during %d pipelined lists (%lld ms): p50 %lld ms, p90 %lld ms, max %lld ms", int(pingMs.size()),
              Lists, totalMs, pingMs.at(pingMs.size() / 2), p90, pingMs.last());
        // Measured against the lists' own duration, so the bound means the same at ASan's speed and under load:
        // the other session is served all along (before: p90 900 ms of 4.5 s), not only before and after. How
        // many pings fit depends on how fast this test reads the replies, so it only needs enough for a p90.
        QVERIFY2(pingMs.size() >= 5, qPrintable(QStringLiteral("only %1 pings answered").arg(pingMs.size())));
        QVERIFY2(p90 * 10 < totalMs, qPrintable(QStringLiteral("p90 of ping is %1 ms of %2 ms").arg(p90).arg(totalMs)));
    }

    // A connection goes to the worker thread with the fewest. In turn (as before), one arriving after a short
    // session had left could join a long one on its thread while the other thread idled.
    void aNewSessionGoesToTheWorkerWithTheFewestConnections()
    {
        cleanup();
        ServerConfig config;
        config.workerThreads = 2;
        startServer(config);
        Server *server = m_server->server();
        const auto sorted = [server] {
            QList<int> counts = server->connectionsPerWorker();
            std::sort(counts.begin(), counts.end());
            return counts;
        };
        auto first = std::make_unique<RawClient>();
        auto second = std::make_unique<RawClient>();
        QVERIFY(first->login(m_server->port(), QStringLiteral("alice"), Pw));
        QVERIFY(second->login(m_server->port(), QStringLiteral("alice"), Pw));
        QTRY_COMPARE(sorted(), (QList<int>{1, 1}));
        const QList<int> before = server->connectionsPerWorker();

        second.reset();   // the short session leaves
        QTRY_COMPARE(sorted(), (QList<int>{0, 1}));
        const int idleWorker = int(server->connectionsPerWorker().indexOf(0));
        QCOMPARE(before.at(idleWorker), 1);

        RawClient third;
        QVERIFY(third.login(m_server->port(), QStringLiteral("alice"), Pw));
        QCOMPARE(server->connectionsPerWorker().at(idleWorker), 1);
        QCOMPARE(sorted(), (QList<int>{1, 1}));
        QCOMPARE(third.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));

        // Connections that have not logged in count too.
        QList<std::shared_ptr<RawClient>> burst;
        for (int i = 0; i < 4; ++i) {
            burst.append(std::make_shared<RawClient>());
            QVERIFY(burst.last()->connectTo(m_server->port()));
        }
        QTRY_COMPARE(sorted(), (QList<int>{3, 3}));
        burst.clear();
        first.reset();
        QTRY_COMPARE(sorted(), (QList<int>{0, 1}));
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
};

QTEST_GUILESS_MAIN(TestServerHardening)
#include "tst_serverhardening.moc"
