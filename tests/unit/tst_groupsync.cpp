// GroupSync shares syncs among commits made at the same time. This test replaces fdatasync, syncfs and fsync for
// the process with versions that log each sync's start and end (and can hold a sync, or make it fail), and checks
// that no caller returns before a sync that began after its call, that a lone caller syncs only its own file,
// that callers arriving during a sync share the next one, and that a failed sync reaches every caller it covered.

#include "GroupSync.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace ferry;

namespace {

enum class Kind { FileData, FileSystem, Folder };

struct SyncRecord {
    Kind kind;
    int fd;
    quint64 began;
    quint64 ended;
};

std::mutex g_mutex;
std::condition_variable g_changed;
quint64 g_step = 0;
std::vector<SyncRecord> g_syncs;
bool g_holding = false;     // syncs wait while this is set
int g_held = 0;             // syncs waiting now
int g_failWith = 0;         // errno every sync returns, or 0

quint64 nextStep()
{
    const std::lock_guard<std::mutex> lock(g_mutex);
    return ++g_step;
}

int recordSync(Kind kind, int fd, long number)
{
    std::unique_lock<std::mutex> lock(g_mutex);
    const quint64 began = ++g_step;
    ++g_held;
    g_changed.notify_all();
    g_changed.wait(lock, [] { return !g_holding; });
    --g_held;
    const int failWith = g_failWith;
    lock.unlock();
    const int result = failWith ? -1 : int(::syscall(number, fd));
    lock.lock();
    g_syncs.push_back({kind, fd, began, ++g_step});
    if (failWith)
        errno = failWith;
    return result;
}

void reset()
{
    const std::lock_guard<std::mutex> lock(g_mutex);
    g_step = 0;
    g_syncs.clear();
    g_holding = false;
    g_failWith = 0;
}

} // namespace

extern "C" int fdatasync(int fd) { return recordSync(Kind::FileData, fd, SYS_fdatasync); }
extern "C" int syncfs(int fd) { return recordSync(Kind::FileSystem, fd, SYS_syncfs); }
extern "C" int fsync(int fd) { return recordSync(Kind::Folder, fd, SYS_fsync); }

class TestGroupSync : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    static bool asleep(long threadId)
    {
        QFile stat(QStringLiteral("/proc/self/task/%1/stat").arg(threadId));
        if (!stat.open(QIODevice::ReadOnly))
            return false;
        const QByteArray line = stat.readAll();
        return line.mid(line.lastIndexOf(')') + 2, 1) == "S";
    }

    int openFile(const QString &name)
    {
        const int fd = ::open(QFile::encodeName(m_dir.filePath(name)).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        return fd >= 0 && ::write(fd, "data", 4) == 4 ? fd : -1;
    }

private slots:
    void init() { reset(); }

    void aLoneCallerSyncsOnlyItsOwnFile()
    {
        const int fd = openFile(QStringLiteral("lone"));
        QVERIFY(fd >= 0);
        QCOMPARE(GroupSync::afterWrites(fd), 0);
        ::close(fd);
        QCOMPARE(g_syncs.size(), size_t(1));
        QCOMPARE(int(g_syncs[0].kind), int(Kind::FileData));
        QCOMPARE(g_syncs[0].fd, fd);
    }

    // While one sync runs, the callers that arrive wait for the next one, which a single syncfs serves, and none
    // of them returns before a sync that began after its call.
    void callersDuringASyncShareTheNextOne()
    {
        constexpr int Callers = 12;
        std::vector<int> fds;
        for (int i = 0; i < Callers + 1; ++i) {
            fds.push_back(openFile(QStringLiteral("f%1").arg(i)));
            QVERIFY(fds.back() >= 0);
        }
        {
            const std::lock_guard<std::mutex> lock(g_mutex);
            g_holding = true;
        }
        std::vector<quint64> called(Callers + 1), returned(Callers + 1);
        std::vector<std::atomic<long>> threadIds(Callers + 1);
        std::vector<int> results(Callers + 1, -1);
        std::vector<std::thread> threads;
        auto call = [&](int i) {
            threadIds[i] = ::syscall(SYS_gettid);
            called[i] = nextStep();
            results[i] = GroupSync::afterWrites(fds[i]);
            returned[i] = nextStep();
        };
        threads.emplace_back(call, 0);   // alone: its own fdatasync, held
        {
            std::unique_lock<std::mutex> lock(g_mutex);
            QVERIFY(g_changed.wait_for(lock, std::chrono::seconds(10), [] { return g_held == 1; }));
        }
        for (int i = 1; i <= Callers; ++i)
            threads.emplace_back(call, i);
        // The others register and wait behind the held sync (the kernel shows them asleep); none starts a sync of
        // its own meanwhile.
        QTRY_VERIFY([&] {
            for (int i = 1; i <= Callers; ++i) {
                if (called[i] == 0 || !asleep(threadIds[i]))
                    return false;
            }
            return true;
        }());
        {
            const std::lock_guard<std::mutex> lock(g_mutex);
            QCOMPARE(g_held, 1);
            g_holding = false;
        }
        g_changed.notify_all();
        for (std::thread &thread : threads)
            thread.join();
        for (const int fd : fds)
            ::close(fd);

        for (int i = 0; i <= Callers; ++i) {
            QCOMPARE(results[i], 0);
            bool covered = false;
            for (const SyncRecord &sync : g_syncs)
                covered = covered || (sync.began > called[i] && sync.ended < returned[i]
                                      && (sync.kind == Kind::FileSystem || sync.fd == fds[i]));
            QVERIFY2(covered, qPrintable(QStringLiteral("caller %1").arg(i)));
        }
        QCOMPARE(int(g_syncs[0].kind), int(Kind::FileData));
        QVERIFY2(g_syncs.size() < size_t(Callers), qPrintable(QString::number(g_syncs.size())));
        QCOMPARE(int(g_syncs[1].kind), int(Kind::FileSystem));
    }

    void aFailedSyncReachesEveryCallerItCovered()
    {
        const int fd = openFile(QStringLiteral("failing"));
        QVERIFY(fd >= 0);
        {
            const std::lock_guard<std::mutex> lock(g_mutex);
            g_failWith = EIO;
        }
        QCOMPARE(GroupSync::afterWrites(fd), EIO);
        QCOMPARE(GroupSync::afterRename(m_dir.path()), EIO);
        {
            const std::lock_guard<std::mutex> lock(g_mutex);
            g_failWith = 0;
        }
        QCOMPARE(GroupSync::afterWrites(fd), 0);   // the next sync is a new one
        ::close(fd);
    }

    // A caller's own group: one file gets its fdatasync, several on one file system share one syncfs, and its
    // failure is each file's.
    void aGatheredGroupHasOneSyncPerFileSystem()
    {
        const int first = openFile(QStringLiteral("g1"));
        const int second = openFile(QStringLiteral("g2"));
        const int third = openFile(QStringLiteral("g3"));
        QVERIFY(first >= 0 && second >= 0 && third >= 0);
        QCOMPARE(GroupSync::syncData({first}), QList<int>({0}));
        QCOMPARE(g_syncs.size(), size_t(1));
        QCOMPARE(int(g_syncs[0].kind), int(Kind::FileData));
        QCOMPARE(GroupSync::syncData({first, second, third}), QList<int>({0, 0, 0}));
        QCOMPARE(g_syncs.size(), size_t(2));
        QCOMPARE(int(g_syncs[1].kind), int(Kind::FileSystem));
        {
            const std::lock_guard<std::mutex> lock(g_mutex);
            g_failWith = EIO;
        }
        QCOMPARE(GroupSync::syncData({first, second}), QList<int>({EIO, EIO}));
        ::close(first);
        ::close(second);
        ::close(third);
    }

    void aRenameIsFollowedByASyncOfItsFolder()
    {
        const quint64 renamed = nextStep();
        QCOMPARE(GroupSync::afterRename(m_dir.path()), 0);
        QCOMPARE(g_syncs.size(), size_t(1));
        QCOMPARE(int(g_syncs[0].kind), int(Kind::Folder));
        QVERIFY(g_syncs[0].began > renamed);
        QCOMPARE(GroupSync::afterRename(m_dir.filePath(QStringLiteral("missing"))), ENOENT);
    }
};

QTEST_GUILESS_MAIN(TestGroupSync)
#include "tst_groupsync.moc"
