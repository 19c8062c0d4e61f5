#pragma once
// One session's disk work (part-file writes, prefix hashes, syncs, commits), run in order on the disk pool
// shared by every session, so a slow disk never blocks a thread that serves sockets. Each job's `done` runs
// afterwards on the owner's thread, unless the owner has detached (then queued work still runs, so uploads
// of a closed connection still settle their quota and unlock their targets).

#include <QMutex>

#include <deque>
#include <functional>
#include <memory>

class QObject;
class QThreadPool;

namespace ferry {

class DiskQueue : public std::enable_shared_from_this<DiskQueue> {
public:
    DiskQueue(QThreadPool *pool, QObject *owner) : m_pool(pool), m_owner(owner) {}

    // The owner is going away: no `done` is called after this returns, and those of finished jobs that were still
    // to be delivered are dropped now.
    void detach();
    // Runs `work` on the pool after every job posted earlier, then `done` on the owner's thread.
    void post(std::function<void()> work, std::function<void()> done = {});
    // Runs `done` on the owner's thread after every job posted earlier (never once the owner detached). Safe from
    // any thread: how a session's helper threads report back to it.
    void afterQueued(std::function<void()> done)
    {
        post([] {}, std::move(done));
    }

private:
    struct Job {
        std::function<void()> work;
        std::function<void()> done;
    };
    void drain();
    void deliverDone();   // owner's thread

    QThreadPool *m_pool;
    QMutex m_mutex;
    QObject *m_owner;   // guarded by m_mutex
    std::deque<Job> m_jobs;
    bool m_running = false;
    // `done`s of finished jobs, run on the owner's thread by one posted call for all that finished meanwhile:
    // a call per job woke the owner's thread once per small file.
    std::deque<std::function<void()>> m_done;
    bool m_deliveryPosted = false;
};

} // namespace ferry
