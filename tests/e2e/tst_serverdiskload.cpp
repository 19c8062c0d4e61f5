// ferryd on a slow disk (issue 8, "blocked workers"): uploads wait for the disk on the shared disk pool,
// never on the threads that serve sockets, so an idle session's ping stays fast; the uploads still arrive
// whole, and a session whose disk work falls behind stops being read instead of buffering without bound.

#include "FailingStorage.h"
#include "LocalStorage.h"
#include "RawClient.h"
#include "Sha256.h"
#include "TestServer.h"
#include "TestTiming.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>

using namespace ferry;
using namespace ferry::test;

namespace {
const QString Pw = QStringLiteral("pw");
constexpr int Uploads = 8;
constexpr qint64 FrameBytes = 1024 * 1024;
constexpr qint64 UploadBytes = 8 * FrameBytes;

QJsonObject op(const QString &name, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("op"), name);
    return fields;
}

// ferryd with one socket thread, which every session then shares, on a storage that can be made slow.
std::shared_ptr<FailingStorage> startOnOneThread(TestServer &server)
{
    auto storage = std::make_shared<FailingStorage>(server.dataDir() + QStringLiteral("/homes"));
    ServerConfig config;
    config.storage = storage;
    config.workerThreads = 1;
    if (!server.addUser(QStringLiteral("alice"), Pw) || !server.start(config))
        return nullptr;
    return storage;
}
} // namespace

class TestServerDiskLoad : public QObject {
    Q_OBJECT

private slots:
    void pingStaysFastWhileUploadsWaitForASlowDisk()
    {
        TestServer server;
        // The idle session shares the one socket thread with every upload.
        const std::shared_ptr<FailingStorage> storage = startOnOneThread(server);
        QVERIFY(storage);
        // Every 1 MiB frame takes 100 ms to reach the disk, and the bound on ping is that same time: a socket
        // thread waiting for the disk would miss it. Both scale with the build's speed (TestTiming.h).
        const int diskMs = scaledMs(100);
        storage->setAppendDelayMs(diskMs);

        // Every session logs in first: logins are slow (PBKDF2) and the disk would finish the first uploads
        // while the last sessions still log in.
        QList<std::shared_ptr<RawClient>> uploaders;
        for (int i = 0; i < Uploads; ++i) {
            uploaders.append(std::make_shared<RawClient>());
            QVERIFY(uploaders.last()->login(server.port(), QStringLiteral("alice"), Pw));
        }
        RawClient idle;
        QVERIFY(idle.login(server.port(), QStringLiteral("alice"), Pw));

        // Several uploads at once, everything sent without waiting (more than the server will buffer).
        QList<QByteArray> contents;
        for (int i = 0; i < Uploads; ++i) {
            const std::shared_ptr<RawClient> &client = uploaders[i];
            const QByteArray content = randomBytes(UploadBytes, quint32(i + 1));
            const QString path = QStringLiteral("/up%1").arg(i);
            client->send(op(QStringLiteral("put"), {{QStringLiteral("id"), 1}, {QStringLiteral("path"), path},
                                                    {QStringLiteral("size"), UploadBytes},
                                                    {QStringLiteral("mode"), QStringLiteral("new")}}));
            const std::optional<Frame> ready = client->next();
            QVERIFY(ready && ready->op() == QLatin1String("ok"));
            for (qint64 at = 0; at < UploadBytes; at += FrameBytes)
                client->send(op(QStringLiteral("data"), {{QStringLiteral("id"), 1}}), content.mid(at, FrameBytes));
            client->send(op(QStringLiteral("end"), {{QStringLiteral("id"), 1},
                                                    {QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex(content))}}));
            contents.append(content);
        }

        // Pings from the idle session; only those taken entirely while the disk is busy count.
        QList<qint64> busyMs;
        QElapsedTimer overall;
        overall.start();
        while (busyMs.size() < 300 && overall.elapsed() < scaledMs(20000)) {
            for (const auto &client : std::as_const(uploaders))
                client->socket().flush();   // keep feeding the uploads
            const bool busyBefore = storage->appendsInProgress() > 0;
            QElapsedTimer timer;
            timer.start();
            const Frame reply = idle.request(op(QStringLiteral("ping")));
            const qint64 elapsed = timer.elapsed();
            QCOMPARE(reply.op(), QStringLiteral("ok"));
            if (busyBefore && storage->appendsInProgress() > 0)
                busyMs.append(elapsed);
        }
        QVERIFY2(busyMs.size() >= 50, qPrintable(QStringLiteral("only %1 pings while the disk was busy").arg(busyMs.size())));
        std::sort(busyMs.begin(), busyMs.end());
        const qint64 p99 = busyMs.at(int(busyMs.size() * 99 / 100));
        qInfo("%d pings while the disk was busy: p50 %lld ms, p99 %lld ms, max %lld ms", int(busyMs.size()),
              busyMs.at(busyMs.size() / 2), p99, busyMs.last());
        QVERIFY2(p99 < diskMs, qPrintable(QStringLiteral("p99 of ping is %1 ms (one append: %2 ms)").arg(p99).arg(diskMs)));

        // Back-pressure lost nothing: every upload arrives whole.
        for (int i = 0; i < Uploads; ++i) {
            const QList<Frame> frames = uploaders[i]->untilFinal(1, scaledMs(120000));
            QVERIFY(!frames.isEmpty());
            QCOMPARE(frames.last().op(), QStringLiteral("ok"));
            QCOMPARE(readFile(server.home(QStringLiteral("alice")) + QStringLiteral("/up%1").arg(i)), contents[i]);
        }
        const Frame quota = idle.request(op(QStringLiteral("quota")));
        QCOMPARE(quota.header.value(QStringLiteral("used")).toInteger(), LocalHome(server.home(QStringLiteral("alice"))).usage());
    }

    // A get reads its file on the disk pool, a chunk or two ahead of the connection, never on the socket
    // thread: with every 1 MiB read taking 50 ms (times the build's time scale), a socket thread reading would
    // hold an idle session's ping for a read or more (up to 4 of them, the write watermark, per pump).
    void pingStaysFastWhileAGetReadsASlowDisk()
    {
        TestServer server;
        // The idle session shares the one socket thread with the get.
        const std::shared_ptr<FailingStorage> storage = startOnOneThread(server);
        QVERIFY(storage);
        const QByteArray content = randomBytes(24 * FrameBytes + 100, 11);
        QVERIFY(writeFile(server.home(QStringLiteral("alice")) + QStringLiteral("/big.bin"), content));
        const int readMs = scaledMs(50);
        storage->setReadDelayMs(readMs);

        RawClient getter;
        RawClient idle;
        QVERIFY(getter.login(server.port(), QStringLiteral("alice"), Pw));
        QVERIFY(idle.login(server.port(), QStringLiteral("alice"), Pw));
        getter.send(op(QStringLiteral("get"), {{QStringLiteral("id"), 1}, {QStringLiteral("path"), QStringLiteral("/big.bin")}}));
        QList<Frame> frames;
        QList<qint64> pingMs;
        QElapsedTimer overall;
        overall.start();
        const auto finished = [&] { return !frames.isEmpty() && frames.last().op() != QLatin1String("data") && frames.last().op() != QLatin1String("ok"); };
        while (!finished() && overall.elapsed() < scaledMs(60000)) {
            QElapsedTimer timer;
            timer.start();
            QCOMPARE(idle.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
            pingMs.append(timer.elapsed());
            while (!finished()) {   // the getter reads everything that has come, so the server keeps sending
                std::optional<Frame> frame = getter.next(1);
                if (!frame)
                    break;
                frames.append(*frame);
            }
        }
        QVERIFY(finished());
        std::sort(pingMs.begin(), pingMs.end());
        const qint64 p90 = pingMs.at(int(pingMs.size() * 9 / 10));
        qInfo("%d pings while the get read a slow disk: p50 %lld ms, p90 %lld ms, max %lld ms", int(pingMs.size()),
              pingMs.at(pingMs.size() / 2), p90, pingMs.last());
        QVERIFY2(pingMs.size() >= 10, qPrintable(QStringLiteral("only %1 pings during the get").arg(pingMs.size())));
        QVERIFY2(p90 < readMs, qPrintable(QStringLiteral("p90 of ping is %1 ms (one read: %2 ms)").arg(p90).arg(readMs)));

        // Nothing lost or reordered by reading ahead: ok, the data in order, the end with the whole file's hash.
        QCOMPARE(frames.first().op(), QStringLiteral("ok"));
        QCOMPARE(frames.last().op(), QStringLiteral("end"));
        QByteArray received;
        for (const Frame &frame : frames)
            if (frame.op() == QLatin1String("data"))
                received += frame.payload;
        QCOMPARE(received, content);
        QCOMPARE(frames.last().header.value(QStringLiteral("sha256")).toString(), QString::fromLatin1(Sha256::hex(content)));
    }

    // A resumed get hashes the part the client already has: on the disk pool, not on the socket thread, so
    // a slow disk (here 32 reads of 1 MiB at 60 ms each, times the build's time scale) delays that get only,
    // not the other sessions.
    void pingStaysFastWhileAResumedGetHashesItsPrefix()
    {
        TestServer server;
        // The idle session shares the one socket thread with the get.
        const std::shared_ptr<FailingStorage> storage = startOnOneThread(server);
        QVERIFY(storage);
        constexpr qint64 PrefixBytes = 32 * FrameBytes;
        const QByteArray content = randomBytes(PrefixBytes + 100, 7);
        QVERIFY(writeFile(server.home(QStringLiteral("alice")) + QStringLiteral("/big.bin"), content));
        const int readMs = scaledMs(60);
        storage->setReadDelayMs(readMs);

        RawClient getter;
        RawClient idle;
        QVERIFY(getter.login(server.port(), QStringLiteral("alice"), Pw));
        QVERIFY(idle.login(server.port(), QStringLiteral("alice"), Pw));
        getter.send(op(QStringLiteral("get"), {{QStringLiteral("id"), 1}, {QStringLiteral("path"), QStringLiteral("/big.bin")},
                                               {QStringLiteral("offset"), PrefixBytes},
                                               {QStringLiteral("prefix_sha256"), QString::fromLatin1(Sha256::hex(content.left(PrefixBytes)))}}));
        QList<qint64> pingMs;
        std::optional<Frame> accepted;
        QElapsedTimer overall;
        overall.start();
        while (!accepted && overall.elapsed() < scaledMs(30000)) {
            QElapsedTimer timer;
            timer.start();
            QCOMPARE(idle.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
            pingMs.append(timer.elapsed());
            accepted = getter.next(5);
        }
        QVERIFY(accepted);
        QCOMPARE(accepted->op(), QStringLiteral("ok"));
        std::sort(pingMs.begin(), pingMs.end());
        qInfo("%d pings while the prefix was hashed: p50 %lld ms, max %lld ms", int(pingMs.size()),
              pingMs.at(pingMs.size() / 2), pingMs.last());
        // The hash takes ~2 s (scaled): a socket thread doing it would answer one ping, that late.
        QVERIFY2(pingMs.size() >= 5, qPrintable(QStringLiteral("only %1 pings during the hash").arg(pingMs.size())));
        QVERIFY2(pingMs.at(pingMs.size() / 2) < scaledMs(100),
                 qPrintable(QStringLiteral("p50 of ping is %1 ms (one read: %2 ms)").arg(pingMs.at(pingMs.size() / 2)).arg(readMs)));

        // The rest of the file follows, and the end hash covers the whole file.
        storage->setReadDelayMs(0);
        const QList<Frame> frames = getter.untilFinal(1, scaledMs(30000));
        QVERIFY(!frames.isEmpty());
        QByteArray tail;
        for (const Frame &frame : frames)
            tail += frame.payload;
        QCOMPARE(tail, content.mid(PrefixBytes));
        QCOMPARE(frames.last().op(), QStringLiteral("end"));
        QCOMPARE(frames.last().header.value(QStringLiteral("sha256")).toString(), QString::fromLatin1(Sha256::hex(content)));

        // A wrong prefix is still refused, after the same hashing, and the session goes on.
        getter.send(op(QStringLiteral("get"), {{QStringLiteral("id"), 2}, {QStringLiteral("path"), QStringLiteral("/big.bin")},
                                               {QStringLiteral("offset"), 10},
                                               {QStringLiteral("prefix_sha256"), QString(64, QLatin1Char('0'))}}));
        const QList<Frame> refused = getter.untilFinal(2, scaledMs(30000));
        QVERIFY(!refused.isEmpty());
        QCOMPARE(refused.last().header.value(QStringLiteral("code")).toString(), QStringLiteral("resume_mismatch"));
        QCOMPARE(getter.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestServerDiskLoad)
#include "tst_serverdiskload.moc"
