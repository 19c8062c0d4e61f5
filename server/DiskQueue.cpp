#include "DiskQueue.h"

#include <QMetaObject>
#include <QObject>
#include <QThreadPool>

namespace ferry {

void DiskQueue::detach()
{
    QMutexLocker lock(&m_mutex);
    m_owner = nullptr;
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
        // Posted under the lock: detach() cannot complete, so the owner is alive; Qt drops the event if
        // the owner is deleted before it is delivered.
        if (m_owner && job.done)
            QMetaObject::invokeMethod(m_owner, std::move(job.done), Qt::QueuedConnection);
    }
}

} // namespace ferry
