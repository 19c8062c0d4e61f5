// Small downloads commit in groups (DownloadRunner's DownloadCommitQueue): the files that end while a commit
// syncs share the next sync. This test replaces fdatasync and syncfs for the process; on the client's part files
// they are counted, can be held (to let a group gather) and can fail. A group's sync covers every file of it:
// when it fails, every file of the group fails, none appears under its name, and a resume then completes them.
// A big download's data goes around the page cache, as ferryd's uploads do. A small one is held in memory and
// written by its commit: what was on the disk before (a leftover part file, another download's locked one, a file
// placed at the target meanwhile) is handled there as the streaming path does at its start.

#include "PageCache.h"
#include "TransferTestHelpers.h"

#include <QScopeGuard>
#include <QTemporaryDir>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace ferry;
using namespace ferry::test;

namespace {
std::mutex g_mutex;
std::condition_variable g_released;
bool g_hold = false;        // syncs of part files wait while set
int g_failWith = 0;         // errno for every sync of a part file, or 0
int g_fileSyncs = 0;        // fdatasync of a part file
int g_groupSyncs = 0;       // syncfs through a part file
bool g_instantFileSyncs = false;   // fdatasync of a part file returns at once, as on a device whose flushes cost nothing

bool isPartFile(int fd)
{
    return QFileInfo(QStringLiteral("/proc/self/fd/%1").arg(fd)).symLinkTarget().contains(QLatin1String(".ferry-part"));
}

int partFileSync(int fd, long number, int *counter)
{
    if (!isPartFile(fd))
        return int(::syscall(number, fd));
    std::unique_lock<std::mutex> lock(g_mutex);
    ++*counter;
    g_released.wait(lock, [] { return !g_hold; });
    if (g_failWith) {
        errno = g_failWith;
        return -1;
    }
    if (number == SYS_fdatasync && g_instantFileSyncs)
        return 0;
    lock.unlock();
    return int(::syscall(number, fd));
}

int syncsStarted()
{
    const std::lock_guard<std::mutex> lock(g_mutex);
    return g_fileSyncs + g_groupSyncs;
}

void setSyncs(bool hold, int failWith)
{
    {
        const std::lock_guard<std::mutex> lock(g_mutex);
        g_hold = hold;
        g_failWith = failWith;
    }
    g_released.notify_all();
}

// Lets held syncs go when a test function returns early: the queue, destroyed first, waits for its commits.
struct SyncRelease {
    ~SyncRelease() { setSyncs(false, 0); }
};
} // namespace

// Looks at a target's name (lstat: how localNameTaken asks) of the folder under test.
std::atomic<int> g_targetLooks{0};
QByteArray g_watchedFolder;   // set before the queue runs

extern "C" int lstat(const char *path, struct stat *status)
{
    if (!g_watchedFolder.isEmpty() && QByteArray(path).startsWith(g_watchedFolder))
        ++g_targetLooks;
    return int(::syscall(SYS_newfstatat, AT_FDCWD, path, status, AT_SYMLINK_NOFOLLOW));
}

// Set: renameat2 fails as on a file system without RENAME_NOREPLACE.
std::atomic<bool> g_noRenameFlags{false};

extern "C" int renameat2(int fromFolder, const char *from, int toFolder, const char *to, unsigned int flags)
{
    if (g_noRenameFlags && flags != 0) {
        errno = EINVAL;
        return -1;
    }
    return int(::syscall(SYS_renameat2, fromFolder, from, toFolder, to, flags));
}

extern "C" int fdatasync(int fd) { return partFileSync(fd, SYS_fdatasync, &g_fileSyncs); }
extern "C" int syncfs(int fd) { return partFileSync(fd, SYS_syncfs, &g_groupSyncs); }

class TestDownloadCommit : public QObject {
    Q_OBJECT
private:
    static constexpr int Files = 30;
    LoggedInFixture m_fixture;
    QString m_target;

    // Every file of the job was received (its bytes are in its part file): what is left is its commit.
    static bool allReceived(const TransferQueue &queue, qint64 job)
    {
        int received = 0;
        for (const TransferItem &item : queue.jobItems(job))
            received += !item.isDir && item.size >= 0 && item.done == item.size && item.state == TransferState::Running;
        return received == Files;   // the first one among them, held in its sync
    }

private slots:
    void init()
    {
        QVERIFY(m_fixture.setUp());
        const QString home = m_fixture.server->home(TestUser);
        for (int i = 0; i < Files; ++i)
            QVERIFY(writeRandomFile(home + QStringLiteral("/in/f%1.bin").arg(i, 2, 10, QLatin1Char('0')), 1000 + i, quint32(i + 1)));
        m_target = m_fixture.local + QStringLiteral("/down");
        QVERIFY(QDir().mkpath(m_target));
        const std::lock_guard<std::mutex> lock(g_mutex);
        g_fileSyncs = 0;
        g_groupSyncs = 0;
    }

    void cleanup()
    {
        setSyncs(false, 0);
        m_fixture.tearDown();
    }

    // The first commit's sync is held until every file was received; the others then share one sync.
    void filesEndingDuringACommitShareTheNextSync()
    {
        setSyncs(true, 0);
        TransferQueue queue(m_fixture.session.get());
        const SyncRelease release;
        const qint64 job = queue.download({QStringLiteral("/in")}, m_target, ConflictPolicy::Fail);
        // Every file received and the first commit in its (held) sync: the files can arrive before that commit,
        // on its pool thread, has reached the sync.
        QTRY_VERIFY_WITH_TIMEOUT(allReceived(queue, job) && syncsStarted() >= 1, 20000);
        QCOMPARE(syncsStarted(), 1);   // held: nothing else started a sync meanwhile
        setSyncs(false, 0);
        QVERIFY(waitForJob(queue, job));
        QCOMPARE(failures(queue, job), QStringList());
        QCOMPARE(treeOf(m_target + QStringLiteral("/in")), treeOf(m_fixture.server->home(TestUser) + QStringLiteral("/in")));
        // The held one (the first file's fdatasync, or a syncfs when more had ended when the commit began), and
        // one syncfs for all the others.
        const std::lock_guard<std::mutex> lock(g_mutex);
        QVERIFY2(g_fileSyncs + g_groupSyncs <= 2, qPrintable(QStringLiteral("%1 + %2").arg(g_fileSyncs).arg(g_groupSyncs)));
    }

    // A failed group sync fails each file of the group with the disk's error and renames none of them; their
    // part files stay, and resuming completes them.
    void aFailedGroupSyncFailsEveryFileOfItAndRenamesNone()
    {
        setSyncs(true, EIO);
        TransferQueue queue(m_fixture.session.get());
        const SyncRelease release;
        const qint64 job = queue.download({QStringLiteral("/in")}, m_target, ConflictPolicy::Resume);
        QTRY_VERIFY_WITH_TIMEOUT(allReceived(queue, job), 20000);
        setSyncs(false, EIO);
        QVERIFY(waitForJob(queue, job));
        const QStringList failed = failures(queue, job);
        QCOMPARE(failed.size(), Files);
        for (const QString &failure : failed)
            QVERIFY2(failure.startsWith(QLatin1String("io_error: ")) && failure.contains(QString::fromLocal8Bit(strerror(EIO))),
                     qPrintable(failure));
        QCOMPARE(QDir(m_target + QStringLiteral("/in")).entryList(QDir::Files), QStringList());   // no name
        QCOMPARE(QDir(m_target + QStringLiteral("/in")).entryList(QDir::Files | QDir::Hidden).size(), Files);   // part files

        setSyncs(false, 0);
        for (const TransferItem &item : queue.jobItems(job))
            queue.resume(item.id);
        QVERIFY(waitForJob(queue, job));
        const QStringList retried = failures(queue, job);
        QVERIFY2(retried.isEmpty(), qPrintable(retried.join(QLatin1Char('\n'))));
        QCOMPARE(treeOf(m_target + QStringLiteral("/in")), treeOf(m_fixture.server->home(TestUser) + QStringLiteral("/in")));
    }

    // A part file left by an earlier download that is not resumed is reused and cut to the new file's size.
    void aLeftoverPartFileIsCutToTheDownloadedFile()
    {
        const QString part = m_target + QStringLiteral("/in/.ferry-part-f00.bin");
        QVERIFY(QDir().mkpath(m_target + QStringLiteral("/in")));
        QVERIFY(writeRandomFile(part, 50000, 7));
        TransferQueue queue(m_fixture.session.get());
        const qint64 job = queue.download({QStringLiteral("/in")}, m_target, ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, job));
        QCOMPARE(failures(queue, job), QStringList());
        QCOMPARE(treeOf(m_target + QStringLiteral("/in")), treeOf(m_fixture.server->home(TestUser) + QStringLiteral("/in")));
    }

    // A part file another download holds (locked) is not touched: that file fails as busy, the others land.
    void aPartFileAnotherDownloadHoldsIsLeftAlone()
    {
        const QString part = m_target + QStringLiteral("/in/.ferry-part-f03.bin");
        QVERIFY(QDir().mkpath(m_target + QStringLiteral("/in")));
        QVERIFY(writeRandomFile(part, 500, 7));
        const QByteArray before = readFile(part);
        QFile holder(part);
        QVERIFY(holder.open(QIODevice::ReadWrite));
        QCOMPARE(::flock(holder.handle(), LOCK_EX | LOCK_NB), 0);
        TransferQueue queue(m_fixture.session.get());
        const qint64 job = queue.download({QStringLiteral("/in")}, m_target, ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, job));
        const QStringList failed = failures(queue, job);
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().startsWith(QLatin1String("busy: ")) && failed.first().contains(QLatin1String("f03.bin")),
                 qPrintable(failed.first()));
        QVERIFY(readFile(part) == before);
        QVERIFY(!QFileInfo::exists(m_target + QStringLiteral("/in/f03.bin")));
        QCOMPARE(QDir(m_target + QStringLiteral("/in")).entryList(QDir::Files).size(), Files - 1);
    }

    // The queue found no file at the targets; files placed there before the commits renamed (by another
    // transfer or program) are kept, and the downloads fail with "exists" instead of replacing them.
    void aFilePlacedAtTheTargetMeanwhileIsNotReplaced_data()
    {
        QTest::addColumn<bool>("renameFlags");
        QTest::newRow("renameat2 with RENAME_NOREPLACE") << true;
        QTest::newRow("a file system without it: link, then unlink") << false;
    }

    void aFilePlacedAtTheTargetMeanwhileIsNotReplaced()
    {
        QFETCH(bool, renameFlags);
        g_noRenameFlags = !renameFlags;
        const auto restore = qScopeGuard([] { g_noRenameFlags = false; });
        setSyncs(true, 0);
        TransferQueue queue(m_fixture.session.get());
        const SyncRelease release;
        const qint64 job = queue.download({QStringLiteral("/in")}, m_target, ConflictPolicy::Fail);
        QTRY_VERIFY_WITH_TIMEOUT(allReceived(queue, job), 20000);
        for (int i = 0; i < Files; ++i) {
            QFile placed(m_target + QStringLiteral("/in/f%1.bin").arg(i, 2, 10, QLatin1Char('0')));
            QVERIFY(placed.open(QIODevice::WriteOnly) && placed.write("placed meanwhile") > 0);
        }
        setSyncs(false, 0);
        QVERIFY(waitForJob(queue, job));
        const QStringList failed = failures(queue, job);
        QCOMPARE(failed.size(), Files);
        for (const QString &failure : failed)
            QVERIFY2(failure.startsWith(QLatin1String("exists: ")), qPrintable(failure));
        for (int i = 0; i < Files; ++i)
            QCOMPARE(readFile(m_target + QStringLiteral("/in/f%1.bin").arg(i, 2, 10, QLatin1Char('0'))), QByteArray("placed meanwhile"));
    }

    // The folder a download makes is empty: its files' tasks do not look whether their names are taken. In a
    // folder that was there, they do (and find the files of the first download: skipped, not replaced).
    void aFolderTheDownloadMadeIsNotLookedInto()
    {
        g_watchedFolder = QFile::encodeName(m_target + QStringLiteral("/in/f"));
        g_targetLooks = 0;
        TransferQueue queue(m_fixture.session.get());
        const qint64 first = queue.download({QStringLiteral("/in")}, m_target, ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, first));
        QCOMPARE(failures(queue, first), QStringList());
        QCOMPARE(g_targetLooks.load(), 0);

        const qint64 second = queue.download({QStringLiteral("/in")}, m_target, ConflictPolicy::Skip);
        QVERIFY(waitForJob(queue, second));
        g_watchedFolder.clear();
        int skipped = 0;
        for (const TransferItem &item : queue.jobItems(second))
            skipped += !item.isDir && item.state == TransferState::Skipped;
        QCOMPARE(skipped, Files);
        QVERIFY2(g_targetLooks >= Files, qPrintable(QString::number(g_targetLooks.load())));
        QCOMPARE(treeOf(m_target + QStringLiteral("/in")), treeOf(m_fixture.server->home(TestUser) + QStringLiteral("/in")));
    }

    // Past its first 8 MiB a big download is written with O_DIRECT (copying into freshly allocated page-cache
    // pages cost this VM more CPU than hashing): mincore finds most of those pages not cached, where the buffered
    // writer left them all. (What arrives while a flush-behind runs goes through the page cache, so the flushes
    // here cost nothing: tst_partfilewriter holds one. Even so, a flush's thread descheduled on a busy machine
    // lets a few MiB through the cache: 1280 of 7168 pages once, in a parallel ctest run.)
    void aBigDownloadGoesAroundThePageCache()
    {
        {
            const std::lock_guard<std::mutex> lock(g_mutex);
            g_instantFileSyncs = true;
        }
        struct InstantSyncsEnd {
            ~InstantSyncsEnd()
            {
                const std::lock_guard<std::mutex> lock(g_mutex);
                g_instantFileSyncs = false;
            }
        } instantSyncsEnd;
        constexpr qint64 Size = 40 * 1024 * 1024;
        QVERIFY(writeRandomFile(m_fixture.server->home(TestUser) + QStringLiteral("/big.bin"), Size, 99));
        TransferQueue queue(m_fixture.session.get());
        const qint64 job = queue.download({QStringLiteral("/big.bin")}, m_target, ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, job));
        QCOMPARE(failures(queue, job), QStringList());

        QFile target(m_target + QStringLiteral("/big.bin"));
        QVERIFY(target.open(QIODevice::ReadOnly));
        QCOMPARE(target.size(), Size);
        const qint64 from = 12 * 1024 * 1024;
        const std::optional<CachedPages> pages = cachedPages(target, from, Size - from);
        QVERIFY(pages);
        QVERIFY2(pages->cached < pages->total / 2, qPrintable(QStringLiteral("%1 of %2 pages cached").arg(pages->cached).arg(pages->total)));
        // Read back only now (reading fills the page cache): the bytes are the server's.
        QFile source(m_fixture.server->home(TestUser) + QStringLiteral("/big.bin"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        QVERIFY(target.seek(0));
        QVERIFY(target.readAll() == source.readAll());
    }
};

QTEST_GUILESS_MAIN(TestDownloadCommit)
#include "tst_downloadcommit.moc"
