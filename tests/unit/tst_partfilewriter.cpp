// PartFileWriter (common/fileio): appends in order on the caller's thread (small files) or its own thread
// (big ones), hashes exactly what it wrote when asked to, keeps its queue bounded, and reports a failed write.
// writeWithoutWaiting() never waits for a disk that fell behind: it says the backlog is full, and onRoom says
// when it went down again (the client's event loop relies on both). Asked to, big files go around the page
// cache (O_DIRECT), with a resumed file's unaligned start and a file's partial last block written the ordinary
// way, and are synced as they go on a thread of their own.

#include "../support/PageCache.h"
#include "BulkAllocator.h"
#include "PartFileWriter.h"
#include "Sha256.h"

#include <QFile>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <pthread.h>
#include <csignal>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace ferry;

namespace {

// fdatasync is replaced for this process: the tests see who syncs which descriptor, and can make it fail.
std::atomic<int> g_watchedFd{-1};
std::atomic<int> g_failingFd{-1};
std::atomic<int> g_syncsOfWatched{0};
std::atomic<int> g_syncsOfWatchedOnCaller{0};
pthread_t g_caller;
// A sync of this descriptor waits until g_holdSyncs is false again, as a slow device flush would.
std::atomic<int> g_heldFd{-1};
std::atomic<bool> g_holdSyncs{false};
std::atomic<int> g_heldSyncsRunning{0};

// For a test that sets the hooks above: a failed check returns early, and the next test must not find this
// one's descriptors watched, held or failing.
auto resetSyncHooksAtScopeEnd()
{
    return qScopeGuard([] {
        g_watchedFd = -1;
        g_failingFd = -1;
        g_heldFd = -1;
        g_holdSyncs = false;
    });
}

} // namespace

extern "C" int fdatasync(int fd)
{
    if (fd == g_watchedFd) {
        ++g_syncsOfWatched;
        if (pthread_equal(pthread_self(), g_caller))
            ++g_syncsOfWatchedOnCaller;
    }
    if (fd == g_failingFd) {
        errno = EIO;
        return -1;
    }
    if (fd == g_heldFd) {
        ++g_heldSyncsRunning;
        while (g_holdSyncs)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        --g_heldSyncsRunning;
    }
    return int(::syscall(SYS_fdatasync, fd));
}

namespace {

bool fileSystemTakesODirect(const QString &folder)
{
    QFile probe(folder + QStringLiteral("/probe"));
    if (!probe.open(QIODevice::WriteOnly))
        return false;
    const int flags = ::fcntl(probe.handle(), F_GETFL);
    return ::fcntl(probe.handle(), F_SETFL, flags | O_DIRECT) == 0;
}

// Asks for O_DIRECT, writes every chunk and finishes; false with `error` at the first failure.
bool writeAroundPageCache(PartFileWriter &writer, const QList<QByteArray> &chunks, QString *error)
{
    writer.goAroundPageCache();
    for (const QByteArray &chunk : chunks) {
        if (!writer.write(chunk, error))
            return false;
    }
    return writer.finish(error);
}

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

} // namespace

class TestPartFileWriter : public QObject {
    Q_OBJECT

private slots:
    void appendsInOrderAndHashesWhatItWrote_data()
    {
        QTest::addColumn<qint64>("expectedBytes");
        QTest::addColumn<qint64>("maxBacklog");
        QTest::newRow("small file, caller's thread") << qint64(64 * 1024) << qint64(1024 * 1024);
        QTest::newRow("big file, writer thread") << PartFileWriter::BackgroundMinBytes << qint64(1024 * 1024);
        // A backlog smaller than one chunk: every write waits for the thread, nothing is lost or reordered.
        QTest::newRow("big file, tiny backlog") << PartFileWriter::BackgroundMinBytes << qint64(1);
    }

    void appendsInOrderAndHashesWhatItWrote()
    {
        QFETCH(qint64, expectedBytes);
        QFETCH(qint64, maxBacklog);
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("part")));
        QVERIFY(file.open(QIODevice::ReadWrite));
        const QByteArray prefix("already here:");
        QCOMPARE(file.write(prefix), prefix.size());
        QVERIFY(file.flush());

        QList<QByteArray> chunks;
        for (int i = 0; i < 24; ++i)
            chunks.append(randomBytes(1024 * (1 + i * 37 % 700), quint32(i)));
        Sha256 hash;
        hash.update(prefix);   // a resumed download's hash covers the part file's bytes too
        {
            PartFileWriter writer(file.handle(), expectedBytes, maxBacklog, &hash);
            QString error;
            for (const QByteArray &chunk : std::as_const(chunks))
                QVERIFY2(writer.write(chunk, &error), qPrintable(error));
            QVERIFY2(writer.finish(&error), qPrintable(error));
        }
        const QByteArray expected = prefix + chunks.join();
        QVERIFY(file.seek(0));
        QCOMPARE(file.readAll(), expected);
        QCOMPARE(hash.hexDigest(), Sha256::hex(expected));
    }

    void destroyingItWritesWhatIsQueued()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("part")));
        QVERIFY(file.open(QIODevice::ReadWrite));
        const QByteArray chunk = randomBytes(1024 * 1024, 7);
        const QByteArray odd = randomBytes(1000, 8);   // ends inside a block: staged for O_DIRECT, not yet written
        {
            PartFileWriter writer(file.handle(), PartFileWriter::BackgroundMinBytes, 64 * 1024 * 1024);
            writer.goAroundPageCache();
            QString error;
            for (int i = 0; i < 12; ++i)
                QVERIFY(writer.write(chunk, &error));
            QVERIFY(writer.write(odd, &error));
        }   // no finish(): a transfer stopped mid-way keeps what arrived, for a later resume
        QCOMPARE(file.size(), 12 * chunk.size() + odd.size());
        QVERIFY(file.seek(11 * chunk.size()));
        QCOMPARE(file.readAll(), chunk + odd);
    }

    void bigFilesGoAroundThePageCache()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("part"));
        // Where the file system refuses O_DIRECT the writer writes the ordinary way (checked above).
        if (!fileSystemTakesODirect(dir.path()))
            QSKIP("this file system refuses O_DIRECT");
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite | QIODevice::Truncate));
        // A resumed transfer: the kept prefix ends in the middle of a block.
        const QByteArray prefix = randomBytes(5 * 1024 * 1024 + 123, 1);
        QCOMPARE(file.write(prefix), prefix.size());
        QVERIFY(file.flush());
        QList<QByteArray> chunks;
        for (int i = 0; i < 30; ++i)
            chunks.append(randomBytes(1024 * 1024 + 7 * i, quint32(100 + i)));
        const QByteArray data = chunks.join();
        Sha256 hash;
        {
            PartFileWriter writer(file.handle(), data.size(), 8 * 1024 * 1024, &hash);
            QString error;
            QVERIFY2(writeAroundPageCache(writer, chunks, &error), qPrintable(error));
            QVERIFY(writer.wroteDirect());
        }
        QCOMPARE(hash.hexDigest(), Sha256::hex(data));
        QVERIFY2(!(::fcntl(file.handle(), F_GETFL) & O_DIRECT), "finish() leaves O_DIRECT");
        QCOMPARE(qint64(::lseek(file.handle(), 0, SEEK_CUR)), prefix.size() + data.size());

        // The data past the first 8 MiB never entered the page cache (mincore: resident pages of the file); on
        // the code before O_DIRECT all 5120 pages were.
        QFile mapped(path);
        QVERIFY(mapped.open(QIODevice::ReadOnly));
        const std::optional<test::CachedPages> pages = test::cachedPages(mapped, 12 * 1024 * 1024, 20 * 1024 * 1024);
        QVERIFY(pages);
        QVERIFY2(pages->cached < pages->total / 10, qPrintable(QStringLiteral("%1 of %2 pages cached").arg(pages->cached).arg(pages->total)));

        // Read back only now: reading fills the page cache.
        QVERIFY(file.seek(0));
        QCOMPARE(file.readAll(), prefix + data);
    }

    // Received payloads are block-aligned in memory (alignedBulkBytes): their whole blocks go to the file as they
    // are, without the copy into the writer's aligned buffer; unaligned data, or aligned data behind a kept partial
    // block, still goes through that buffer. Either way the file holds every byte in order.
    void alignedDataGoesToTheFileWithoutACopy_data()
    {
        QTest::addColumn<bool>("aligned");
        QTest::addColumn<int>("oddFirstChunk");   // bytes of an unaligned first chunk past DirectFromBytes, or 0
        QTest::addColumn<bool>("staged");
        QTest::newRow("aligned") << true << 0 << false;
        QTest::newRow("unaligned") << false << 0 << true;
        QTest::newRow("aligned behind a partial block") << true << 1000 << true;
    }
    void alignedDataGoesToTheFileWithoutACopy()
    {
        QFETCH(bool, aligned);
        QFETCH(int, oddFirstChunk);
        QFETCH(bool, staged);
        QTemporaryDir dir;
        if (!fileSystemTakesODirect(dir.path()))
            QSKIP("this file system refuses O_DIRECT");
        QFile file(dir.filePath(QStringLiteral("part")));
        QVERIFY(file.open(QIODevice::ReadWrite | QIODevice::Truncate));
        QList<QByteArray> chunks;
        QList<QByteArray> backing;   // an unaligned chunk is a view one byte into an aligned buffer
        chunks.append(randomBytes(PartFileWriter::DirectFromBytes + oddFirstChunk, 7));   // to the page cache
        for (int i = 0; i < 8; ++i) {
            const QByteArray bytes = randomBytes(1024 * 1024, quint32(20 + i));
            backing.append(alignedBulkBytes(bytes.size() + 1));
            char *start = backing.last().data() + (aligned ? 0 : 1);
            memcpy(start, bytes.constData(), size_t(bytes.size()));
            chunks.append(QByteArray::fromRawData(start, bytes.size()));
        }
        qint64 stagedBytes = -1;
        {
            PartFileWriter writer(file.handle(), 0, 8 * 1024 * 1024);   // on this thread, so nothing is copied
            QString error;
            QVERIFY2(writeAroundPageCache(writer, chunks, &error), qPrintable(error));
            QVERIFY(writer.wroteDirect());
            stagedBytes = writer.stagedBytes();
        }
        if (staged)
            QVERIFY2(stagedBytes >= 7 * 1024 * 1024, qPrintable(QString::number(stagedBytes)));
        else
            QCOMPARE(stagedBytes, 0);
        QVERIFY(file.seek(0));
        QCOMPARE(file.readAll(), chunks.join());
    }

    // The device's cache is flushed while the data still arrives (in this VM one fdatasync after 512 MiB of direct
    // writes took 0.6 s), on the writer's flusher thread, never on the caller's.
    void directWritesAreMadeDurableAsTheyGo_data()
    {
        QTest::addColumn<bool>("syncFails");
        QTest::newRow("syncs succeed") << false;
        QTest::newRow("a sync fails: the writer fails") << true;
    }

    void directWritesAreMadeDurableAsTheyGo()
    {
        QFETCH(bool, syncFails);
        QTemporaryDir dir;
        if (!fileSystemTakesODirect(dir.path()))
            QSKIP("this file system refuses O_DIRECT");
        QFile file(dir.filePath(QStringLiteral("part")));
        QVERIFY(file.open(QIODevice::ReadWrite));
        const auto resetHooks = resetSyncHooksAtScopeEnd();
        g_caller = pthread_self();
        g_syncsOfWatched = 0;
        g_syncsOfWatchedOnCaller = 0;
        g_watchedFd = file.handle();
        g_failingFd = syncFails ? file.handle() : -1;
        const QByteArray chunk = randomBytes(1024 * 1024, 9);
        QString error;
        bool finished = false;
        {
            PartFileWriter writer(file.handle(), 0, 0);   // no writer thread: the caller writes, as ferryd's disk pool does
            writer.goAroundPageCache();
            for (int i = 0; i < 48; ++i)
                QVERIFY2(writer.write(chunk, &error), qPrintable(error));
            QTRY_VERIFY(g_syncsOfWatched > 0);   // before finish(): while the transfer goes on
            finished = writer.finish(&error);
        }
        QCOMPARE(g_syncsOfWatchedOnCaller.load(), 0);
        if (syncFails) {
            QVERIFY(!finished);
            QVERIFY2(error.contains(QString::fromLocal8Bit(strerror(EIO))), qPrintable(error));
        } else {
            QVERIFY2(finished, qPrintable(error));
            QCOMPARE(file.size(), 48 * chunk.size());
        }
    }

    // Asked to, the writer sends whole blocks through the page cache while a flush-behind runs (on this project's
    // test VM a flush stalls every direct write meanwhile), and around it again once the flush is over; without
    // being asked, direct writes go on during a flush. Either way the file holds every byte in order.
    void writesGoThroughTheCacheWhileAFlushRuns_data()
    {
        QTest::addColumn<bool>("cacheWhileFlushing");
        QTest::newRow("asked to") << true;
        QTest::newRow("not asked") << false;
    }

    void writesGoThroughTheCacheWhileAFlushRuns()
    {
        QFETCH(bool, cacheWhileFlushing);
        QTemporaryDir dir;
        if (!fileSystemTakesODirect(dir.path()))
            QSKIP("this file system refuses O_DIRECT");
        const QString path = dir.filePath(QStringLiteral("part"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        constexpr qint64 MiB = 1024 * 1024;
        const qint64 beforeFlush = PartFileWriter::DirectFromBytes + PartFileWriter::FlushStepBytes;
        const QByteArray data = randomBytes(beforeFlush + 8 * MiB, 21);
        const auto resetHooks = resetSyncHooksAtScopeEnd();
        g_heldFd = file.handle();
        g_holdSyncs = true;
        QString error;
        {
            PartFileWriter writer(file.handle(), 0, 0);   // the caller writes: each write() is done when it returns
            const auto releaseSyncs = qScopeGuard([] { g_holdSyncs = false; });   // a failed check must not hang
            writer.goAroundPageCache();
            if (cacheWhileFlushing)
                writer.useCacheWhileFlushing();
            for (qint64 at = 0; at < beforeFlush; at += MiB)
                QVERIFY2(writer.write(data.mid(at, MiB), &error), qPrintable(error));
            QTRY_COMPARE(g_heldSyncsRunning.load(), 1);   // the flush-behind started, and is held
            QVERIFY2(writer.write(data.mid(beforeFlush, 4 * MiB), &error), qPrintable(error));
            g_holdSyncs = false;
            // Over once the writer says so: the real sync of what the flush covers still follows the held one.
            QTRY_VERIFY(!writer.flushing());
            QVERIFY2(writer.write(data.mid(beforeFlush + 4 * MiB), &error), qPrintable(error));
            QVERIFY2(writer.finish(&error), qPrintable(error));
            QVERIFY(writer.wroteDirect());
        }
        QVERIFY2(!(::fcntl(file.handle(), F_GETFL) & O_DIRECT), "finish() leaves O_DIRECT");

        QFile mapped(path);
        QVERIFY(mapped.open(QIODevice::ReadOnly));
        const std::optional<test::CachedPages> duringFlush = test::cachedPages(mapped, beforeFlush, 4 * MiB);
        const std::optional<test::CachedPages> afterFlush = test::cachedPages(mapped, beforeFlush + 4 * MiB, 4 * MiB);
        QVERIFY(duringFlush && afterFlush);
        if (cacheWhileFlushing)
            QCOMPARE(duringFlush->cached, duringFlush->total);
        else
            QVERIFY2(duringFlush->cached < duringFlush->total / 10, qPrintable(QString::number(duringFlush->cached)));
        QVERIFY2(afterFlush->cached < afterFlush->total / 10, qPrintable(QString::number(afterFlush->cached)));
        QVERIFY(file.seek(0));
        QCOMPARE(file.readAll(), data);
    }

    // Blocks sent through the cache while a flush runs do not count toward the next flush: it comes only after
    // FlushStepBytes more written around the cache. (Counted, they made the next flush start the moment one
    // ended, and on this project's test VM the flusher then ran most of a download: PERFORMANCE.md, session 40.)
    void blocksCachedDuringAFlushDoNotBringTheNextOneNearer()
    {
        QTemporaryDir dir;
        if (!fileSystemTakesODirect(dir.path()))
            QSKIP("this file system refuses O_DIRECT");
        QFile file(dir.filePath(QStringLiteral("part")));
        QVERIFY(file.open(QIODevice::ReadWrite));
        constexpr qint64 MiB = 1024 * 1024;
        const qint64 firstFlushAt = PartFileWriter::DirectFromBytes + PartFileWriter::FlushStepBytes;
        const qint64 cachedBytes = 24 * MiB;
        const qint64 total = firstFlushAt + cachedBytes + PartFileWriter::FlushStepBytes + MiB;
        const QByteArray data = randomBytes(total, 23);
        const auto resetHooks = resetSyncHooksAtScopeEnd();
        g_caller = pthread_self();
        g_syncsOfWatched = 0;
        g_watchedFd = file.handle();
        g_heldFd = file.handle();
        g_holdSyncs = true;
        QString error;
        qint64 at = 0;
        {
            PartFileWriter writer(file.handle(), 0, 0);   // the caller writes: each write() is done when it returns
            const auto releaseSyncs = qScopeGuard([] { g_holdSyncs = false; });   // a failed check must not hang
            writer.goAroundPageCache();
            writer.useCacheWhileFlushing();
            auto writeUpTo = [&](qint64 end) {
                for (; at < end; at += MiB) {
                    if (!writer.write(data.mid(at, MiB), &error))
                        return false;
                }
                return true;
            };
            // The first flush is due a step after the writes began to go around the cache; it starts and is
            // held, as a slow device flush.
            QVERIFY2(writeUpTo(firstFlushAt - MiB), qPrintable(error));
            QVERIFY(!writer.flushing());
            QCOMPARE(g_syncsOfWatched.load(), 0);
            QVERIFY2(writeUpTo(firstFlushAt), qPrintable(error));
            QTRY_COMPARE(g_heldSyncsRunning.load(), 1);
            QVERIFY2(writeUpTo(firstFlushAt + cachedBytes), qPrintable(error));   // through the cache
            g_holdSyncs = false;
            QTRY_VERIFY(!writer.flushing());
            // Just under a step around the cache again: still no second flush.
            QVERIFY2(writeUpTo(at + PartFileWriter::FlushStepBytes - MiB), qPrintable(error));
            QVERIFY(!writer.flushing());
            QCOMPARE(g_syncsOfWatched.load(), 1);
            // A whole step: now it comes.
            QVERIFY2(writeUpTo(total), qPrintable(error));
            QTRY_COMPARE(g_syncsOfWatched.load(), 2);
            QVERIFY2(writer.finish(&error), qPrintable(error));
        }
        QVERIFY(file.seek(0));
        QCOMPARE(file.readAll(), data);
    }

    // A direct write the kernel cuts short (here at the file size limit, as a full disk would) falls back to an
    // ordinary write, which reports the real error; everything before it is in the file, in order.
    void aDirectWriteCutShortReportsTheError()
    {
        QTemporaryDir dir;
        if (!fileSystemTakesODirect(dir.path()))
            QSKIP("this file system refuses O_DIRECT");
        QFile file(dir.filePath(QStringLiteral("part")));
        QVERIFY(file.open(QIODevice::ReadWrite));
        struct rlimit before {};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &before), 0);
        const rlim_t limit = 13 * 1024 * 1024 + 100;   // inside the second direct block of 4 MiB
        struct rlimit capped = before;
        capped.rlim_cur = limit;
        const auto oldHandler = ::signal(SIGXFSZ, SIG_IGN);   // else the process is killed
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &capped), 0);
        const QByteArray data = randomBytes(24 * 1024 * 1024, 11);
        QString error;
        bool failed = false;
        {
            PartFileWriter writer(file.handle(), 0, 0);
            writer.goAroundPageCache();
            for (qint64 at = 0; at < data.size() && !failed; at += 1024 * 1024)
                failed = !writer.write(data.mid(at, 1024 * 1024), &error);
            if (!failed)
                failed = !writer.finish(&error);
        }
        ::setrlimit(RLIMIT_FSIZE, &before);
        ::signal(SIGXFSZ, oldHandler);
        QVERIFY(failed);
        QVERIFY2(error.contains(QString::fromLocal8Bit(strerror(EFBIG))), qPrintable(error));
        QCOMPARE(file.size(), qint64(limit));
        QVERIFY(file.seek(0));
        QVERIFY(file.readAll() == data.left(qint64(limit)));
    }

    void reportsAFailedWrite_data()
    {
        QTest::addColumn<qint64>("expectedBytes");
        QTest::newRow("caller's thread") << qint64(0);
        QTest::newRow("writer thread") << PartFileWriter::BackgroundMinBytes;
    }

    void reportsAFailedWrite()
    {
        QFETCH(qint64, expectedBytes);
        // /dev/full fails every write with ENOSPC, as a full disk does.
        const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            QSKIP("no /dev/full");
        QString error;
        bool failed = false;
        {
            PartFileWriter writer(fd, expectedBytes, 4 * 1024 * 1024);
            const QByteArray chunk(256 * 1024, 'x');
            // On the writer thread the failure surfaces on a later write or at finish().
            for (int i = 0; i < 8 && !failed; ++i)
                failed = !writer.write(chunk, &error);
            if (!failed)
                failed = !writer.finish(&error);
        }
        ::close(fd);
        QVERIFY(failed);
        QVERIFY2(error.contains(QLatin1String("space"), Qt::CaseInsensitive), qPrintable(error));
    }

    // With a hash, a chunk leaves the backlog once its hashing thread has hashed it too (after the writer
    // thread wrote it): the same bound, the same single call of onRoom, and the hash of exactly what was written.
    void writeWithoutWaitingSaysFullAndThenThatThereIsRoom_data()
    {
        QTest::addColumn<bool>("hashed");
        QTest::newRow("no hash") << false;
        QTest::newRow("hashed on a thread of its own") << true;
    }

    void writeWithoutWaitingSaysFullAndThenThatThereIsRoom()
    {
        QFETCH(bool, hashed);
        Sha256 hash;
        // A pipe nobody reads yet is a disk that stopped: the writer thread blocks in its first write.
        int pipe[2];
        QCOMPARE(::pipe2(pipe, O_CLOEXEC), 0);
        constexpr qint64 MaxBacklog = 4 * 1024 * 1024;
        std::atomic<int> rooms{0};
        QByteArray received;
        std::thread reader;
        {
            PartFileWriter writer(pipe[1], PartFileWriter::BackgroundMinBytes, MaxBacklog, hashed ? &hash : nullptr,
                                  [&rooms] { ++rooms; });
            const QByteArray chunk = randomBytes(1024 * 1024, 7);
            QString error;
            bool full = false;
            int written = 0;
            // Every call returns at once; the fifth MiB puts the backlog over the 4 MiB limit.
            while (!full && written < 64) {
                QVERIFY2(writer.writeWithoutWaiting(chunk, &error, &full), qPrintable(error));
                ++written;
            }
            QCOMPARE(written, 5);
            QCOMPARE(rooms.load(), 0);

            reader = std::thread([&received, fd = pipe[0]] {
                char buffer[64 * 1024];
                for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) > 0;)
                    received.append(buffer, got);
            });
            QTRY_COMPARE(rooms.load(), 1);   // down to half of the limit: once
            QVERIFY2(writer.finish(&error), qPrintable(error));
            QCOMPARE(rooms.load(), 1);
        }
        ::close(pipe[1]);   // the reader sees the end
        reader.join();
        ::close(pipe[0]);
        QCOMPARE(received.size(), 5 * 1024 * 1024);
        QCOMPARE(received.left(1024 * 1024), randomBytes(1024 * 1024, 7));
        if (hashed)
            QCOMPARE(hash.hexDigest(), Sha256::hex(received));
    }
};

QTEST_GUILESS_MAIN(TestPartFileWriter)
#include "tst_partfilewriter.moc"
