// UploadService (server/) driven directly, as a Session drives it: real LocalStorage home in a temporary
// folder (behind FailingStorage, for a slow or failing disk), the real disk pool, quota ledger and target
// locks (ServerServices is complete only with every service it holds: hence the extra headers).
// put → data → end → ok; checksum and size errors leave nothing behind; cancel with and without
// discard; a resumed put whose end hash covers the whole file; the disk backlog pausing the receiver.

#include "AccountStore.h"
#include "AuthThrottle.h"
#include "BackgroundHasher.h"
#include "FailingStorage.h"
#include "Frame.h"
#include "InProcessQuotaLedger.h"
#include "LocalStorage.h"
#include "PartFileWriter.h"
#include "PartFileSweeper.h"
#include "ServerConfig.h"
#include "Sha256.h"
#include "TargetLocks.h"
#include "Upload.h"
#include "UploadService.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <atomic>
#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

using namespace ferry;

namespace {

const QString User = QStringLiteral("alice");

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    for (qint64 i = 0; i < size; ++i)
        bytes[i] = char(generator.generate() & 0xff);
    return bytes;
}

QJsonObject putRequest(const QString &path, qint64 size, const QString &mode = QStringLiteral("new"))
{
    return QJsonObject{{QStringLiteral("op"), QStringLiteral("put")},
                       {QStringLiteral("path"), path},
                       {QStringLiteral("size"), size},
                       {QStringLiteral("mode"), mode}};
}

// The smallest real server side of one session: what Server gives its sessions, and the replies a
// Session would send, recorded.
struct Harness {
    QTemporaryDir dir;
    ServerServices services;
    std::shared_ptr<test::FailingStorage> storage;
    std::shared_ptr<StorageHome> home;
    QList<std::pair<qint64, QJsonObject>> oks;
    QList<std::pair<qint64, Error>> errors;
    QStringList logs;
    QList<bool> pauses;
    std::unique_ptr<UploadService> uploads;   // last: destroyed before the services it uses

    Harness()
    {
        const QString homes = dir.path() + QStringLiteral("/homes");
        QDir().mkpath(homes);
        storage = std::make_shared<test::FailingStorage>(homes);
        services.storage = storage;
        services.ledger = std::make_unique<InProcessQuotaLedger>();
        services.targetLocks = std::make_unique<TargetLocks>();
        services.diskPool = std::make_unique<QThreadPool>();
        services.diskPool->setMaxThreadCount(3);
        if (storage->createHome(User))
            home = *storage->openHome(User);
        services.ledger->setUsed(User, 0);
        uploads = std::make_unique<UploadService>(
            services, UploadService::Replies{
                          [this](qint64 id, const QJsonObject &fields) { oks.append({id, fields}); },
                          [this](qint64 id, const Error &error) { errors.append({id, error}); },
                          [this](const QString &path, qint64 bytes, const QString &result) {
                              logs.append(QStringLiteral("%1 %2 %3").arg(path).arg(bytes).arg(result));
                          },
                          [] { return QJsonObject{{QStringLiteral("quota_marker"), true}}; },
                          [this](bool paused) { pauses.append(paused); }});
        uploads->start(User, home);
    }

    QString local(const QString &name) const { return dir.path() + QStringLiteral("/homes/") + User + u'/' + name; }
    QString part(const QString &name) const { return local(LocalStorage::partFileName(name)); }
    qint64 used() { return services.ledger->used(User); }
    qint64 reserved() { return services.ledger->reserved(User); }
    int replies() const { return int(oks.size() + errors.size()); }

    void data(qint64 id, const QByteArray &bytes)
    {
        uploads->transferFrame(QStringLiteral("data"),
                               Frame{QJsonObject{{QStringLiteral("op"), QStringLiteral("data")}, {QStringLiteral("id"), id}}, bytes});
    }
    void dataInChunks(qint64 id, const QByteArray &bytes, qint64 chunk = Limits::DataChunkBytes)
    {
        for (qint64 at = 0; at < bytes.size(); at += chunk)
            data(id, bytes.mid(at, chunk));
    }
    void end(qint64 id, const QByteArray &sha256Hex)
    {
        uploads->transferFrame(QStringLiteral("end"),
                               Frame{QJsonObject{{QStringLiteral("op"), QStringLiteral("end")},
                                                 {QStringLiteral("id"), id},
                                                 {QStringLiteral("sha256"), QString::fromLatin1(sha256Hex)}},
                                     {}});
    }
    QStringList homeEntries() const
    {
        return QDir(local({})).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    }
};

QByteArray fileContents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestUploadService : public QObject {
    Q_OBJECT

private slots:
    void putDataEndCommits_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::newRow("empty") << qint64(0);
        QTest::newRow("small") << qint64(10);
        QTest::newRow("3 MiB and a bit, several data frames") << qint64(3 * 1024 * 1024 + 123);
        QTest::newRow("hashed aside") << qint64(Upload::HashAsideMinBytes + 4 * 1024 * 1024 + 7);
    }

    // The put is answered with offset 0; after end: ok with size, sha256 (and the session's quota fields),
    // the file in place with the data, no part file left, the ledger counting it, the id free again.
    void putDataEndCommits()
    {
        QFETCH(qint64, size);
        Harness h;
        QVERIFY(h.home);
        const QByteArray content = randomBytes(size, quint32(size));
        h.uploads->put(1, putRequest(QStringLiteral("/file.bin"), size), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 1);
        QCOMPARE(h.oks.at(0).first, 1);
        QCOMPARE(h.oks.at(0).second.value(QStringLiteral("offset")).toInteger(), 0);
        QVERIFY(h.uploads->isOpen(1));
        QCOMPARE(h.reserved(), size);

        h.dataInChunks(1, content);
        h.end(1, Sha256::hex(content));
        QTRY_COMPARE_WITH_TIMEOUT(h.replies(), 2, 20000);
        QVERIFY(h.errors.isEmpty());
        const QJsonObject ok = h.oks.at(1).second;
        QCOMPARE(h.oks.at(1).first, 1);
        QCOMPARE(ok.value(QStringLiteral("size")).toInteger(), size);
        QCOMPARE(ok.value(QStringLiteral("sha256")).toString().toLatin1(), Sha256::hex(content));
        QVERIFY(ok.value(QStringLiteral("quota_marker")).toBool());
        QVERIFY(fileContents(h.local(QStringLiteral("file.bin"))) == content);
        QCOMPARE(h.homeEntries(), QStringList{QStringLiteral("file.bin")});
        QCOMPARE(h.used(), size);
        QCOMPARE(h.reserved(), 0);
        QVERIFY(!h.uploads->isOpen(1));
        QCOMPARE(h.logs, QStringList{QStringLiteral("/file.bin %1 ok").arg(size)});
        QVERIFY2(h.pauses.isEmpty() || !h.pauses.last(), "the session was left not reading");
    }

    void wrongHashLeavesNothing_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::newRow("hashed as it arrives") << qint64(200 * 1024);
        QTest::newRow("hashed aside, verified when its hasher is done") << qint64(Upload::HashAsideMinBytes + 200 * 1024);
    }

    // The data does not match the end's hash: checksum_mismatch, nothing at the target, no part file,
    // the ledger back where it was. Once the end is taken, the put cannot be cancelled any more.
    void wrongHashLeavesNothing()
    {
        QFETCH(qint64, size);
        Harness h;
        const QByteArray content = randomBytes(size, 1);
        h.uploads->put(1, putRequest(QStringLiteral("/file.bin"), content.size()), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 1);
        h.dataInChunks(1, content, 64 * 1024);
        QByteArray other = content;
        other[0] = char(other[0] ^ 1);
        h.end(1, Sha256::hex(other));
        QVERIFY(!h.uploads->cancel(1, true, {}));
        h.data(1, "late");   // ignored: no size_mismatch follows
        QTRY_COMPARE_WITH_TIMEOUT(h.errors.size(), 1, 20000);
        QCOMPARE(h.errors.at(0).first, 1);
        QCOMPARE(h.errors.at(0).second.code, QStringLiteral("checksum_mismatch"));
        QCOMPARE(h.oks.size(), 1);
        QVERIFY(h.homeEntries().isEmpty());
        QCOMPARE(h.used(), 0);
        QCOMPARE(h.reserved(), 0);
        QVERIFY(!h.uploads->isOpen(1));
    }

    // Each upload hashed aside is a thread: a client opening many big puts gets at most MaxHashersAlive of them
    // in the process; the others are hashed as their data arrives. All of them commit.
    void hashersAsideAreLimited()
    {
        Harness h;
        const int puts = Upload::MaxHashersAlive + 3;
        const QByteArray content = randomBytes(Upload::HashAsideMinBytes + 1000, 12);
        QTRY_COMPARE(BackgroundHasher::alive(), 0);   // earlier tests' uploads are gone
        for (int id = 1; id <= puts; ++id)
            h.uploads->put(id, putRequest(QStringLiteral("/f%1.bin").arg(id), content.size()), std::nullopt);
        QTRY_COMPARE(h.oks.size(), puts);
        QCOMPARE(BackgroundHasher::alive(), Upload::MaxHashersAlive);
        for (int id = 1; id <= puts; ++id) {
            h.dataInChunks(id, content);
            h.end(id, Sha256::hex(content));
        }
        QTRY_COMPARE_WITH_TIMEOUT(h.replies(), 2 * puts, 60000);
        QVERIFY(h.errors.isEmpty());
        for (int id = 1; id <= puts; ++id)
            QVERIFY(fileContents(h.local(QStringLiteral("f%1.bin").arg(id))) == content);
        QTRY_COMPARE(BackgroundHasher::alive(), 0);
    }

    // Only one upload at a time may leave MaxUnhashedBytes waiting for its hasher; those hashed aside beside it
    // stop at CrowdedUnhashedBytes, and the larger slack goes to the next one once the first has ended. Without
    // that, a peer's eight big uploads starved of CPU could hold 8 × MaxUnhashedBytes in ferryd.
    void oneUploadAtATimeGetsTheLargerHashingSlack()
    {
        Harness h;
        QTRY_COMPARE(BackgroundHasher::alive(), 0);   // earlier tests' uploads are gone
        auto begin = [&h](const QString &name) {
            Upload::Request request;
            request.path = *VirtualPath::fromWire(u'/' + name);
            request.size = Upload::HashAsideMinBytes;
            Result<std::unique_ptr<Upload>> upload = Upload::begin(request, User, h.home, std::nullopt, h.services);
            if (!upload || !(*upload)->worthHashingAside() || !(*upload)->hashAside({}))
                return std::unique_ptr<Upload>();
            return std::move(*upload);
        };
        std::unique_ptr<Upload> first = begin(QStringLiteral("first.bin"));
        std::unique_ptr<Upload> second = begin(QStringLiteral("second.bin"));
        std::unique_ptr<Upload> third = begin(QStringLiteral("third.bin"));
        QVERIFY(first && second && third);
        QCOMPARE(first->unhashedLimit(), Upload::MaxUnhashedBytes);
        QCOMPARE(second->unhashedLimit(), Upload::CrowdedUnhashedBytes);
        QCOMPARE(third->unhashedLimit(), Upload::CrowdedUnhashedBytes);
        first.reset();
        std::unique_ptr<Upload> fourth = begin(QStringLiteral("fourth.bin"));
        QVERIFY(fourth);
        QCOMPARE(fourth->unhashedLimit(), Upload::MaxUnhashedBytes);
        const std::unique_ptr<Upload> fifth = begin(QStringLiteral("fifth.bin"));
        QVERIFY(fifth);
        QCOMPARE(fifth->unhashedLimit(), Upload::CrowdedUnhashedBytes);
    }

    void sizeMismatch_data()
    {
        QTest::addColumn<qint64>("declared");
        QTest::addColumn<qint64>("sent");
        QTest::newRow("more data than declared") << qint64(100 * 1024) << qint64(150 * 1024);
        QTest::newRow("end before all data") << qint64(100 * 1024) << qint64(50 * 1024);
    }

    // size_mismatch, the part file deleted and the reservation freed; later frames of the id are ignored.
    void sizeMismatch()
    {
        QFETCH(qint64, declared);
        QFETCH(qint64, sent);
        Harness h;
        const QByteArray content = randomBytes(sent, 2);
        h.uploads->put(1, putRequest(QStringLiteral("/file.bin"), declared), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 1);
        h.dataInChunks(1, content, 32 * 1024);
        h.end(1, Sha256::hex(content));
        QTRY_COMPARE_WITH_TIMEOUT(h.errors.size(), 1, 20000);
        QCOMPARE(h.errors.at(0).second.code, QStringLiteral("size_mismatch"));
        h.data(1, "late");
        h.end(1, Sha256::hex(content));
        QTRY_VERIFY_WITH_TIMEOUT(!h.uploads->isOpen(1), 10000);
        QCoreApplication::processEvents();
        QCOMPARE(h.replies(), 2);   // the put's ok and the one error
        QVERIFY(h.homeEntries().isEmpty());
        QCOMPARE(h.used(), 0);
        QCOMPARE(h.reserved(), 0);
    }

    // Cancel with discard: cancelled, `done` after the part file is deleted, the ledger back to what it was
    // before the put (an earlier file still counted), the target unlocked for a new put.
    void cancelWithDiscardFreesEverything()
    {
        Harness h;
        QFile earlier(h.local(QStringLiteral("earlier.txt")));
        QVERIFY(earlier.open(QIODevice::WriteOnly) && earlier.write("12345") == 5);
        earlier.close();
        h.services.ledger->setUsed(User, 5);

        h.uploads->put(1, putRequest(QStringLiteral("/file.bin"), 1024 * 1024), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 1);
        QCOMPARE(h.reserved(), 1024 * 1024);
        h.dataInChunks(1, randomBytes(300 * 1024, 3), 100 * 1024);
        bool done = false;
        QVERIFY(h.uploads->cancel(1, true, [&] { done = true; }));
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        QCOMPARE(h.errors.size(), 1);
        QCOMPARE(h.errors.at(0).second.code, QStringLiteral("cancelled"));
        QCOMPARE(h.homeEntries(), QStringList{QStringLiteral("earlier.txt")});
        QCOMPARE(h.used(), 5);
        QCOMPARE(h.reserved(), 0);
        QVERIFY(!h.uploads->cancel(1, true, {}));   // no longer open
        QVERIFY(!h.uploads->cancel(77, false, {}));  // never was

        h.uploads->put(2, putRequest(QStringLiteral("/file.bin"), 3), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 2);
        QCOMPARE(h.oks.at(1).first, 2);
    }

    void resume_data()
    {
        QTest::addColumn<bool>("endHashCoversAll");
        QTest::addColumn<qint64>("size");
        const qint64 small = 1024 * 1024 + 5;
        const qint64 big = Upload::HashAsideMinBytes + 1024 * 1024 + 5;   // the rest is hashed aside
        QTest::newRow("end hash of the whole file") << true << small;
        QTest::newRow("end hash of the resumed part only") << false << small;
        QTest::newRow("hashed aside after the prefix: end hash of the whole file") << true << big;
        QTest::newRow("hashed aside after the prefix: end hash of the resumed part only") << false << big;
    }

    // Cancel without discard keeps the part file (counted as used) for a resume; the resumed put answers
    // with the kept offset, continues the part file, and its end hash must cover the whole file.
    void resume()
    {
        QFETCH(bool, endHashCoversAll);
        QFETCH(qint64, size);
        Harness h;
        const QByteArray content = randomBytes(size, 4);
        const qint64 kept = 400 * 1024;
        h.uploads->put(1, putRequest(QStringLiteral("/file.bin"), content.size()), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 1);
        h.dataInChunks(1, content.left(kept), 100 * 1024);
        bool done = false;
        QVERIFY(h.uploads->cancel(1, false, [&] { done = true; }));
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        QCOMPARE(h.errors.at(0).second.code, QStringLiteral("cancelled"));
        const QString part = LocalStorage::partFileName(QStringLiteral("file.bin"));
        QCOMPARE(h.homeEntries(), QStringList{part});
        QVERIFY(fileContents(h.local(part)) == content.left(kept));
        QCOMPARE(h.used(), kept);
        QCOMPARE(h.reserved(), 0);

        h.uploads->put(2, putRequest(QStringLiteral("/file.bin"), content.size(), QStringLiteral("resume")), std::nullopt);
        QTRY_COMPARE_WITH_TIMEOUT(h.oks.size(), 2, 20000);
        QCOMPARE(h.oks.at(1).first, 2);
        QCOMPARE(h.oks.at(1).second.value(QStringLiteral("offset")).toInteger(), kept);
        QCOMPARE(h.reserved(), content.size() - kept);
        h.dataInChunks(2, content.mid(kept), 100 * 1024);
        h.end(2, Sha256::hex(endHashCoversAll ? content : content.mid(kept)));
        QTRY_COMPARE_WITH_TIMEOUT(h.replies(), 4, 20000);
        if (endHashCoversAll) {
            QCOMPARE(h.oks.size(), 3);
            QCOMPARE(h.oks.at(2).second.value(QStringLiteral("size")).toInteger(), content.size());
            QVERIFY(fileContents(h.local(QStringLiteral("file.bin"))) == content);
            QCOMPARE(h.homeEntries(), QStringList{QStringLiteral("file.bin")});
            QCOMPARE(h.used(), content.size());
        } else {
            QCOMPARE(h.errors.size(), 2);
            QCOMPARE(h.errors.at(1).second.code, QStringLiteral("checksum_mismatch"));
            QVERIFY(h.homeEntries().isEmpty());
            QCOMPARE(h.used(), 0);
        }
        QCOMPARE(h.reserved(), 0);
    }

    // Uploads `name` through a disk that takes 20 ms per chunk: the session must be told to stop reading exactly
    // when more than `limit` bytes wait for the disk, and to read again once the backlog has shrunk; no byte is lost.
    static void uploadPastBacklog(Harness &h, qint64 limit, const QString &name, quint32 seed)
    {
        h.storage->setAppendDelayMs(20);
        constexpr qint64 Chunk = Limits::DataChunkBytes;
        const int frames = int(limit / Chunk) + 4;
        const QByteArray content = randomBytes(frames * Chunk, seed);
        h.uploads->put(1, putRequest(u'/' + name, content.size()), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 1);
        for (int i = 0; i < frames; ++i) {
            h.data(1, content.mid(i * Chunk, Chunk));
            // Nothing can be written back yet (completions come through this thread's event loop).
            const bool over = (i + 1) * Chunk > limit;
            QCOMPARE(h.pauses, over ? QList<bool>{true} : QList<bool>{});
        }
        QTRY_COMPARE_WITH_TIMEOUT(h.pauses, (QList<bool>{true, false}), 30000);
        h.end(1, Sha256::hex(content));
        QTRY_COMPARE_WITH_TIMEOUT(h.replies(), 2, 30000);
        QCOMPARE(h.errors.size(), 0);
        QVERIFY(fileContents(h.local(name)) == content);
        QCOMPARE(h.pauses, (QList<bool>{true, false}));
    }

    // Data accepted faster than a slow disk writes it: past MaxDiskBacklogBytes waiting the session stops reading.
    void diskBacklogPausesReceiving()
    {
        Harness h;
        uploadPastBacklog(h, UploadService::MaxDiskBacklogBytes, QStringLiteral("big.bin"), 5);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(h.services.diskBacklogBytes.load(), 0);
    }

    // While all sessions together have more than MaxDiskBacklogAllBytes waiting for a slow disk, a session stops
    // reading after CrowdedDiskBacklogBytes of its own, and reads again as its writes finish; its bytes leave
    // the server's count as they are written.
    void crowdedServerPausesEachSessionSooner()
    {
        Harness h;
        h.services.diskBacklogBytes = UploadService::MaxDiskBacklogAllBytes;   // as other sessions would
        uploadPastBacklog(h, UploadService::CrowdedDiskBacklogBytes, QStringLiteral("crowded.bin"), 6);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(h.services.diskBacklogBytes.load(), UploadService::MaxDiskBacklogAllBytes);
    }

    // A session that closes with data still waiting for the disk takes it off the server's count, which would
    // otherwise keep every other session on the small backlog for good.
    void aClosedSessionLeavesNoDiskBacklogBehind()
    {
        Harness h;
        h.storage->setAppendDelayMs(200);
        constexpr qint64 Chunk = Limits::DataChunkBytes;
        const QByteArray content = randomBytes(8 * Chunk, 7);
        h.uploads->put(1, putRequest(QStringLiteral("/cut.bin"), content.size()), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 1);
        for (int i = 0; i < 4; ++i)
            h.data(1, content.mid(i * Chunk, Chunk));
        QVERIFY(h.services.diskBacklogBytes > 0);
        h.uploads.reset();
        QCOMPARE(h.services.diskBacklogBytes.load(), 0);
    }

    // Files that ended wait for their group commit with their part files open: a client that keeps sending
    // them while the disk is slow is no longer read once MaxUploadsAwaitingCommit wait, and read again once
    // a commit has been answered.
    void filesAwaitingCommitPauseReceiving()
    {
        Harness h;
        h.storage->holdSyncAll(true);
        const int files = UploadService::MaxUploadsAwaitingCommit + 8;
        for (qint64 id = 1; id <= files; ++id) {
            const QByteArray content = randomBytes(10, quint32(id));
            h.uploads->put(id, putRequest(QStringLiteral("/f%1").arg(id), content.size()), std::nullopt);
            h.data(id, content);
            h.end(id, Sha256::hex(content));
            if (id == 2)
                QTRY_COMPARE(h.storage->syncAllCalls(), 1);   // the first group (1, 2) waits in its sync
            QCOMPARE(h.pauses, id < UploadService::MaxUploadsAwaitingCommit ? QList<bool>{} : QList<bool>{true});
        }
        h.storage->holdSyncAll(false);
        QTRY_COMPARE_WITH_TIMEOUT(h.replies(), 2 * files, 20000);
        QVERIFY(h.errors.isEmpty());
        QCOMPARE(h.pauses, (QList<bool>{true, false}));
        QCOMPARE(QFileInfo(h.local(QStringLiteral("f%1").arg(files))).size(), 10);
    }

    // A group whose last file cannot be renamed: the others' folder is still synced after their renames (the
    // sync used to be left to the folder's last file, whose commit failed), and only that file fails.
    void aFailedRenameInAGroupStillSyncsTheFolder()
    {
        Harness h;
        h.storage->failWith(QStringLiteral("commit:/c.bin"), EIO);
        const QStringList names{QStringLiteral("a.bin"), QStringLiteral("b.bin"), QStringLiteral("c.bin")};
        QList<QByteArray> contents;
        for (int i = 0; i < names.size(); ++i) {
            contents.append(randomBytes(100 + i, quint32(20 + i)));
            h.uploads->put(i + 1, putRequest(QLatin1Char('/') + names[i], contents[i].size()), std::nullopt);
        }
        QTRY_COMPARE(h.oks.size(), 3);
        for (int i = 0; i < names.size(); ++i)
            h.data(i + 1, contents[i]);
        for (int i = 0; i < names.size(); ++i)   // all in one turn: one group
            h.end(i + 1, Sha256::hex(contents[i]));
        QTRY_COMPARE_WITH_TIMEOUT(h.replies(), 6, 20000);
        QCOMPARE(h.errors.size(), 1);
        QCOMPARE(h.errors.at(0).first, qint64(3));
        QCOMPARE(h.errors.at(0).second.code, QStringLiteral("io_error"));
        QCOMPARE(h.storage->syncAllCalls(), 1);
        QCOMPARE(h.storage->commitEvents(),
                 (QStringList{QStringLiteral("renamed /a.bin"), QStringLiteral("renamed /b.bin"), QStringLiteral("folder synced")}));
        QVERIFY(fileContents(h.local(QStringLiteral("b.bin"))) == contents[1]);
    }

    // A write the disk refuses: the put ends with the storage's error, its part file removed, quota freed.
    void failedWriteEndsThePut()
    {
        Harness h;
        h.storage->failWith(QStringLiteral("append"), ENOSPC);
        const QByteArray content = randomBytes(100 * 1024, 6);
        h.uploads->put(1, putRequest(QStringLiteral("/file.bin"), content.size()), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 1);
        h.dataInChunks(1, content, 50 * 1024);
        QTRY_COMPARE_WITH_TIMEOUT(h.errors.size(), 1, 20000);
        QCOMPARE(h.errors.at(0).second.code, QStringLiteral("io_error"));
        h.end(1, Sha256::hex(content));   // too late: ignored
        QCoreApplication::processEvents();
        QCOMPARE(h.replies(), 2);
        QVERIFY(h.homeEntries().isEmpty());
        QCOMPARE(h.used(), 0);
        QCOMPARE(h.reserved(), 0);
    }

    // The connection drops: every open upload ends, part files kept for a resume, reservations freed.
    void interruptKeepsPartFiles()
    {
        Harness h;
        const QByteArray content = randomBytes(64 * 1024, 7);
        h.uploads->put(1, putRequest(QStringLiteral("/a.bin"), 1024 * 1024), std::nullopt);
        h.uploads->put(2, putRequest(QStringLiteral("/b.bin"), 1024 * 1024), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 2);
        h.data(1, content);
        h.data(2, content.left(1000));
        h.uploads->interruptAll();
        QCOMPARE(h.uploads->openCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(h.reserved(), 0, 20000);
        QCOMPARE(h.used(), content.size() + 1000);
        QVERIFY(fileContents(h.part(QStringLiteral("a.bin"))) == content);
        QVERIFY(fileContents(h.part(QStringLiteral("b.bin"))) == content.left(1000));
    }

    // A session closed in the middle of a big upload: the part file's last bytes (a big file's writer keeps its
    // last partial block for O_DIRECT) and its closing are disk work, done on the disk pool, never on the session's thread; the part
    // file then holds every byte received, for a resume. On the old code the part file was closed here.
    void bigUploadCutOffEndsOnTheDiskPool()
    {
        Harness h;
        const QByteArray content = randomBytes(30 * 1024 * 1024 + 1000, 8);
        h.uploads->put(1, putRequest(QStringLiteral("/big.bin"), 64 * 1024 * 1024), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 1);
        h.dataInChunks(1, content);
        // Every append done (all but the last kept bytes are in the file) and their replies handled: then the
        // session holds the last reference to the upload.
        QTRY_VERIFY(QFileInfo(h.part(QStringLiteral("big.bin"))).size() >= content.size() - 4 * 1024 * 1024);
        QTRY_COMPARE(h.storage->appendsInProgress(), 0);
        QCoreApplication::processEvents();
        h.uploads.reset();   // the session is gone
        QTRY_COMPARE_WITH_TIMEOUT(h.reserved(), 0, 20000);
        QTRY_VERIFY(!h.storage->partClosingThreads().isEmpty());
        QVERIFY(!h.storage->partClosingThreads().contains(QThread::currentThreadId()));
        QCOMPARE(QFileInfo(h.part(QStringLiteral("big.bin"))).size(), content.size());
        QVERIFY(fileContents(h.part(QStringLiteral("big.bin"))) == content);
    }

    // A group's one sync must come after every write of its files: a big file's writer may still hold its last
    // bytes (a thread's queue, a direct writer's last partial block) when the group commit starts.
    void aGroupSyncComesAfterEveryWriteOfItsFiles()
    {
        Harness h;
        const int probe = ::open(QFile::encodeName(h.dir.path() + QStringLiteral("/direct")).constData(),
                                 O_WRONLY | O_CREAT | O_DIRECT, 0600);
        if (probe < 0)
            QSKIP("this file system refuses O_DIRECT: every write is done when append returns");
        ::close(probe);
        // Past PartFileWriter::DirectFromBytes (its tail is staged for O_DIRECT), below Upload::HashAsideMinBytes
        // (verified at once, so it ends in the same group as the small file), not a whole number of 4 KiB blocks.
        const QByteArray big = randomBytes(12 * 1024 * 1024 + 1000, 9);
        QVERIFY(big.size() > PartFileWriter::DirectFromBytes && big.size() < Upload::HashAsideMinBytes);
        const QByteArray small = randomBytes(100, 10);
        std::atomic<qint64> bigPartAtSync{-1};
        h.storage->setSyncAllObserver([&h, &bigPartAtSync] {
            qint64 unset = -1;
            bigPartAtSync.compare_exchange_strong(unset, QFileInfo(h.part(QStringLiteral("big.bin"))).size());
        });
        h.uploads->put(1, putRequest(QStringLiteral("/big.bin"), big.size()), std::nullopt);
        h.uploads->put(2, putRequest(QStringLiteral("/small.bin"), small.size()), std::nullopt);
        QTRY_COMPARE(h.oks.size(), 2);
        h.dataInChunks(1, big);
        h.data(2, small);
        h.end(1, Sha256::hex(big));   // both end in one turn: one group, one sync
        h.end(2, Sha256::hex(small));
        QTRY_COMPARE_WITH_TIMEOUT(h.replies(), 4, 20000);
        QVERIFY(h.errors.isEmpty());
        QCOMPARE(h.storage->syncAllCalls(), 1);
        QCOMPARE(bigPartAtSync.load(), qint64(big.size()));
        QVERIFY(fileContents(h.local(QStringLiteral("big.bin"))) == big);
    }

    // Group commit: small files that end while a group's sync runs wait for it and then share one sync, however
    // many event-loop turns they arrived in (each turn used to post a group of its own, one sync each).
    void filesEndingDuringACommitFormTheNextGroup()
    {
        Harness h;
        h.storage->holdSyncAll(true);
        const auto upload = [&h](qint64 id) {
            const QByteArray content = randomBytes(100 + id, quint32(id));
            h.uploads->put(id, putRequest(QStringLiteral("/f%1").arg(id), content.size()), std::nullopt);
            h.data(id, content);
            h.end(id, Sha256::hex(content));
        };
        upload(1);
        upload(2);
        QTRY_COMPARE(h.storage->syncAllCalls(), 1);   // the first group (1, 2) waits in its sync
        for (qint64 id = 3; id <= 12; id += 2) {      // five more turns, two files each
            upload(id);
            upload(id + 1);
            QCoreApplication::processEvents();
        }
        h.storage->holdSyncAll(false);
        QTRY_COMPARE_WITH_TIMEOUT(h.replies(), 24, 20000);   // each put's offset, then each end's ok
        QVERIFY(h.errors.isEmpty());
        QCOMPARE(h.storage->syncAllCalls(), 2);
        for (qint64 id = 1; id <= 12; ++id)
            QCOMPARE(QFileInfo(h.local(QStringLiteral("f%1").arg(id))).size(), 100 + id);
    }
};

QTEST_MAIN(TestUploadService)
#include "tst_uploadservice.moc"
