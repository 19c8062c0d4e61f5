#include "DiskQueue.h"

#include <QMetaObject>
#include <QObject>
#include <QThreadPool>

namespace ferry {

void DiskQueue::detach()
{
    auto undelivered = std::make_shared<std::deque<std::function<void()>>>();
    {
        QMutexLocker lock(&m_mutex);
        m_owner = nullptr;
        undelivered->swap(m_done);
    }
    if (undelivered->empty())
        return;
    // A `done` may hold the last reference to an upload, whose end settles its quota and unlocks its target (kept,
    // they lived as long as the queue, which a big upload's hasher callback holds: forever). Let go on the pool,
    // after the jobs queued before: an upload's end may wait for its last write and flush, which must not stall
    // the owner's thread, which serves other sessions' sockets.
    post([undelivered] {});
}

void DiskQueue::post(std::function<void()> work, std::function<void()> done)
{
    QMutexLocker lock(&m_mutex);
    m_jobs.push_back(Job{std::move(work), std::move(done)});
    if (m_running)
        return;
    m_running = true;
    // One pool task per queue at a time keeps the jobs in order; other sessions' queues run beside it.
    m_pool->start([self = shared_from_this()] { self->drain(); });
}

void DiskQueue::drain()
{
    for (;;) {
        Job job;
        {
            QMutexLocker lock(&m_mutex);
            if (m_jobs.empty()) {
                m_running = false;
                return;
            }
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job.work();
        job.work = nullptr;
        QMutexLocker lock(&m_mutex);
        if (!m_owner || !job.done)
            continue;
        m_done.push_back(std::move(job.done));
        if (m_deliveryPosted)
            continue;   // the call posted before has not taken the list yet: it runs this one too
        m_deliveryPosted = true;
        // Posted under the lock: detach() cannot complete, so the owner is alive; Qt drops the event if
        // the owner is deleted before it is delivered.
        QMetaObject::invokeMethod(m_owner, [self = shared_from_this()] { self->deliverDone(); }, Qt::QueuedConnection);
    }
}

void DiskQueue::deliverDone()
{
    std::deque<std::function<void()>> done;
    {
        QMutexLocker lock(&m_mutex);
        done.swap(m_done);
        m_deliveryPosted = false;
    }
    for (std::function<void()> &call : done) {
        {
            QMutexLocker lock(&m_mutex);
            if (!m_owner)
                return;   // a `done` before ended the owner
        }
        call();
    }
}

} // namespace ferry
