#pragma once
// Test support: a Storage that wraps another (LocalStorage, or MemoryStorage) and makes chosen calls fail with
// an OS error (ENOSPC, EIO, EACCES…) or go slowly, to drive ferryd's error paths through the same seam the
// session uses. The session cannot tell it from the real one.

#include "LocalStorage.h"

#include <QMutex>
#include <QSet>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <functional>

namespace ferry::test {

class FailingStorage : public Storage {
public:
    // Calls that can be made to fail: "stat", "list", "list-read" (after the first entry), "mkdir",
    // "rename", "remove", "openRead", "read", "openPart", "append", "sync", "commit", and "commit:<path>" (the
    // commit of that one file).
    explicit FailingStorage(const QString &homesRoot) : m_inner(std::make_shared<LocalStorage>(homesRoot)) {}
    explicit FailingStorage(std::shared_ptr<Storage> inner) : m_inner(std::move(inner)) {}

    void failWith(const QString &call, int error);
    void clear();
    // Each append, or each read, sleeps this long first (a slow disk).
    void setAppendDelayMs(int ms) { m_appendDelayMs = ms; }
    void setReadDelayMs(int ms) { m_readDelayMs = ms; }
    int readDelayMs() const { return m_readDelayMs; }
    // The error a call fails with now; empty Error when it does not fail.
    Error failure(const QString &call) const;
    int appendDelayMs() const { return m_appendDelayMs; }
    // Appends running now (sleeping in a slow disk or writing): the disk is busy.
    int appendsInProgress() const { return m_appendsInProgress; }
    void countAppend(int delta) const { m_appendsInProgress += delta; }
    // The threads on which part files were closed (destroyed): ferryd keeps that disk work off its socket threads.
    QSet<Qt::HANDLE> partClosingThreads() const
    {
        QMutexLocker lock(&m_mutex);
        return m_partClosingThreads;
    }
    void notePartClosing() const
    {
        QMutexLocker lock(&m_mutex);
        m_partClosingThreads.insert(QThread::currentThreadId());
    }

    // Group commits: syncAll calls so far; while held, each waits in syncAll until released (a slow sync).
    int syncAllCalls() const { return m_syncAllCalls; }
    void holdSyncAll(bool held);
    // Part files' commits and folder syncs, in order: "renamed <path>", "folder synced".
    QStringList commitEvents() const
    {
        QMutexLocker lock(&m_mutex);
        return m_commitEvents;
    }
    void noteCommitEvent(const QString &event) const
    {
        QMutexLocker lock(&m_mutex);
        m_commitEvents.append(event);
    }
    // Called (on the disk thread) at the start of every syncAll.
    void setSyncAllObserver(std::function<void()> observer) { m_syncAllObserver = std::move(observer); }
    void enterSyncAll() const;

    Result<std::shared_ptr<StorageHome>> openHome(const QString &user) override;
    Status createHome(const QString &user) override { return m_inner->createHome(user); }
    Status removeHome(const QString &user) override { return m_inner->removeHome(user); }

private:
    std::shared_ptr<Storage> m_inner;
    mutable QMutex m_mutex;
    QHash<QString, int> m_failing;
    mutable QSet<Qt::HANDLE> m_partClosingThreads;
    mutable QStringList m_commitEvents;
    std::atomic<int> m_appendDelayMs{0};
    std::atomic<int> m_readDelayMs{0};
    mutable std::atomic<int> m_appendsInProgress{0};
    mutable std::atomic<int> m_syncAllCalls{0};
    mutable QMutex m_syncMutex;
    mutable QWaitCondition m_syncReleased;
    bool m_syncHeld = false;
    std::function<void()> m_syncAllObserver;
};

} // namespace ferry::test
