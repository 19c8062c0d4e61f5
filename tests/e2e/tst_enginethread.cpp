// The client engine's thread never waits for the disk to sync: in the desktop client that thread runs the
// window, and a sync behind a big transfer's writeback took 130-160 ms here (issue 12, target 7). This test
// replaces fdatasync and fsync for the whole process (the engine's own calls and Qt's QSaveFile alike) with
// versions that note which thread called, then downloads and uploads through the transfer queue, whose state
// file is saved along the way. Every sync must come from another thread. The files must still be right, each
// downloaded file's data must be synced after its last change and before its rename, and its folder after the
// rename (syncfs, futimens, rename and renameat2 are replaced too, to see the order).

#include "TransferTestHelpers.h"

#include <QCryptographicHash>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace ferry;
using namespace ferry::test;

namespace {
std::atomic<bool> g_watching{false};
pthread_t g_engineThread;
std::atomic<int> g_syncsOnEngineThread{0};
std::atomic<int> g_syncsElsewhere{0};

// The order of renames and folder syncs: a downloaded file's new name is durable once its folder was synced
// after the rename.
std::mutex g_orderMutex;
quint64 g_step = 0;
QHash<QString, quint64> g_renamedAt;      // target path -> step of its rename
QHash<QString, quint64> g_folderSyncedAt; // folder path -> step of its last fsync's end
QHash<QString, QString> g_renamedFrom;    // target path -> the part file renamed onto it
QHash<QString, quint64> g_touchedAt;      // part file path -> step its mtime was set (after its last write)
struct DataSync {
    QString file;   // empty: a syncfs, which covers every file
    quint64 began;
    quint64 ended;
};
QList<DataSync> g_dataSyncs;

QString pathOf(int fd)
{
    return QFileInfo(QStringLiteral("/proc/self/fd/%1").arg(fd)).symLinkTarget();
}

// Runs one data sync and records when it began and ended.
int noteDataSync(const QString &file, long number, int fd)
{
    quint64 began = 0;
    {
        std::lock_guard<std::mutex> lock(g_orderMutex);
        began = ++g_step;
    }
    const int result = int(::syscall(number, fd));
    std::lock_guard<std::mutex> lock(g_orderMutex);
    if (g_watching)
        g_dataSyncs.append({file, began, ++g_step});
    return result;
}

void noteSync()
{
    if (!g_watching)
        return;
    if (pthread_equal(pthread_self(), g_engineThread))
        ++g_syncsOnEngineThread;
    else
        ++g_syncsElsewhere;
}

void noteFolderSync(int fd)
{
    struct stat info {};
    if (!g_watching || ::fstat(fd, &info) != 0 || !S_ISDIR(info.st_mode))
        return;
    const QString folder = pathOf(fd);
    std::lock_guard<std::mutex> lock(g_orderMutex);
    g_folderSyncedAt[folder] = ++g_step;
}
} // namespace

// The program's own definitions come first for every caller in the process, Qt's libraries included.
extern "C" int fdatasync(int fd)
{
    noteSync();
    return noteDataSync(g_watching ? pathOf(fd) : QString(), SYS_fdatasync, fd);
}

extern "C" int syncfs(int fd)
{
    noteSync();
    return noteDataSync(QString(), SYS_syncfs, fd);
}

extern "C" int futimens(int fd, const struct timespec times[2])
{
    if (g_watching) {
        const QString file = pathOf(fd);
        std::lock_guard<std::mutex> lock(g_orderMutex);
        g_touchedAt[file] = ++g_step;
    }
    return int(::syscall(SYS_utimensat, fd, nullptr, times, 0));
}

extern "C" int fsync(int fd)
{
    noteSync();
    const int result = int(::syscall(SYS_fsync, fd));
    noteFolderSync(fd);   // after: the sync covers the renames before it began
    return result;
}

void noteRename(const char *from, const char *to)
{
    std::lock_guard<std::mutex> lock(g_orderMutex);
    if (g_watching) {
        const QString target = QFileInfo(QFile::decodeName(to)).absoluteFilePath();
        g_renamedAt[target] = ++g_step;
        g_renamedFrom[target] = QFileInfo(QFile::decodeName(from)).absoluteFilePath();
    }
}

extern "C" int rename(const char *from, const char *to)
{
    noteRename(from, to);
    return int(::syscall(SYS_rename, from, to));
}

// A download into a name that was free when it started renames without replacing.
extern "C" int renameat2(int fromFolder, const char *from, int toFolder, const char *to, unsigned int flags)
{
    noteRename(from, to);
    return int(::syscall(SYS_renameat2, fromFolder, from, toFolder, to, flags));
}

class TestEngineThread : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ClientSession> m_session;

private slots:
    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        m_server = std::make_unique<TestServer>(m_temp->filePath(QStringLiteral("server")));
        QVERIFY(m_server->addUser(TestUser, TestPassword));
        QVERIFY(m_server->start());
        m_session = std::make_unique<ClientSession>();
        QVERIFY(logIn(*m_session, m_server->port()));
        g_engineThread = pthread_self();
        g_syncsOnEngineThread = 0;
        g_syncsElsewhere = 0;
    }

    void cleanup()
    {
        g_watching = false;
        m_session.reset();
        m_server.reset();
        m_temp.reset();
    }

    // A big file (its own writer thread, a backlog the disk may not keep up with) and small ones (held in memory,
    // written and synced by their commit): the syncs of all of them, and of the queue's state file, run
    // elsewhere.
    void transfersAndTheStateFileSyncOffTheEngineThread()
    {
        const QString source = m_temp->filePath(QStringLiteral("local/out"));
        QVERIFY(writeRandomFile(source + QStringLiteral("/big.bin"), 40 * 1024 * 1024, 1));
        for (int i = 0; i < 20; ++i)
            QVERIFY(writeRandomFile(source + QStringLiteral("/small-%1.txt").arg(i), 3000 + i, quint32(i + 2)));
        const QString target = m_temp->filePath(QStringLiteral("local/in"));
        QVERIFY(QDir().mkpath(target));

        g_watching = true;
        {
            TransferQueue queue(m_session.get());
            queue.setStateFile(m_temp->filePath(QStringLiteral("queue.json")));
            const qint64 up = queue.upload({source}, QStringLiteral("/"), ConflictPolicy::Fail);
            QVERIFY(waitForJob(queue, up));
            QCOMPARE(failures(queue, up), QStringList());
            const qint64 down = queue.download({QStringLiteral("/out")}, target, ConflictPolicy::Fail);
            QVERIFY(waitForJob(queue, down));
            QCOMPARE(failures(queue, down), QStringList());
        }   // the queue saves its state file as it goes away
        g_watching = false;
        QVERIFY(QFile::exists(m_temp->filePath(QStringLiteral("queue.json"))));

        QCOMPARE(treeOf(target + QStringLiteral("/out")), treeOf(source));
        for (const QString &name : QDir(source).entryList(QDir::Files)) {
            QFile sent(source + QLatin1Char('/') + name);
            QFile received(target + QStringLiteral("/out/") + name);
            QVERIFY(sent.open(QIODevice::ReadOnly) && received.open(QIODevice::ReadOnly));
            QCOMPARE(QCryptographicHash::hash(received.readAll(), QCryptographicHash::Sha256),
                     QCryptographicHash::hash(sent.readAll(), QCryptographicHash::Sha256));
        }
        // Each downloaded file's data was synced after its last change and before its rename (its own fdatasync,
        // or a syncfs shared with others), and the rename was followed by a sync of its folder (a crash then keeps
        // the file whole and under its name).
        const QString folder = QFileInfo(target + QStringLiteral("/out")).canonicalFilePath();
        for (const QString &name : QDir(source).entryList(QDir::Files)) {
            std::lock_guard<std::mutex> lock(g_orderMutex);
            const QString path = QFileInfo(target + QStringLiteral("/out/") + name).absoluteFilePath();
            const quint64 renamed = g_renamedAt.value(path);
            QVERIFY2(renamed > 0, qPrintable(name));
            const QString part = g_renamedFrom.value(path);
            const quint64 touched = g_touchedAt.value(part);
            QVERIFY2(touched > 0, qPrintable(name));
            const bool synced = std::any_of(g_dataSyncs.cbegin(), g_dataSyncs.cend(), [&](const DataSync &sync) {
                return sync.began > touched && sync.ended < renamed && (sync.file.isEmpty() || sync.file == part);
            });
            QVERIFY2(synced, qPrintable(name));
            QVERIFY2(g_folderSyncedAt.value(folder) > renamed, qPrintable(name));
        }
        QCOMPARE(g_syncsOnEngineThread.load(), 0);
        // The replacements did see the syncs (downloads that commit together share theirs: fewer than 21).
        QVERIFY2(g_syncsElsewhere >= 2, qPrintable(QString::number(g_syncsElsewhere)));
    }
};

QTEST_GUILESS_MAIN(TestEngineThread)
#include "tst_enginethread.moc"
