#include "BackgroundHasher.h"

#include "Sha256.h"
#include "ThreadPriority.h"

namespace ferry {

BackgroundHasher::BackgroundHasher(Sha256 &hash) : m_hash(hash), m_thread([this] { run(); }) {}

BackgroundHasher::~BackgroundHasher()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
        m_queue.clear();
    }
    m_wake.notify_one();
    m_thread.join();
}

void BackgroundHasher::add(const QByteArray &chunk)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_queue.push_back(chunk);
        m_added += chunk.size();
    }
    m_wake.notify_one();
}

void BackgroundHasher::waitUntilHashed(qint64 bytes)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_progress.wait(lock, [&] { return m_hashed >= qMin(bytes, m_added) || m_stop; });
}

void BackgroundHasher::finish()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_progress.wait(lock, [&] { return m_hashed == m_added || m_stop; });
}

void BackgroundHasher::run()
{
    lowerThisThreadsPriority();
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
        if (m_stop)
            return;
        const QByteArray chunk = std::move(m_queue.front());
        m_queue.pop_front();
        lock.unlock();
        m_hash.update(chunk);
        lock.lock();
        m_hashed += chunk.size();
        m_progress.notify_all();
    }
}

} // namespace ferry
