#include "BackgroundHasher.h"

#include "Sha256.h"
#include "ThreadPriority.h"

#include <atomic>

namespace ferry {

namespace {
std::atomic<int> hashersAlive{0};
} // namespace

BackgroundHasher::BackgroundHasher(Sha256 &hash, qint64 maxQueued, std::function<void()> onRoom)
    : m_hash(hash), m_maxQueued(maxQueued), m_onRoom(std::move(onRoom)), m_thread([this] { run(); })
{
    hashersAlive.fetch_add(1, std::memory_order_relaxed);
}

int BackgroundHasher::alive()
{
    return hashersAlive.load(std::memory_order_relaxed);
}

BackgroundHasher::~BackgroundHasher()
{
    hashersAlive.fetch_sub(1, std::memory_order_relaxed);
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
        m_queue.clear();
    }
    m_wake.notify_one();
    m_thread.join();
}

bool BackgroundHasher::add(const QByteArray &chunk)
{
    bool full;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_queue.push_back(chunk);
        m_queuedBytes += chunk.size();
        full = m_queuedBytes > m_maxQueued;
        m_full = m_full || full;
    }
    m_wake.notify_one();
    return full;
}

void BackgroundHasher::whenHashed(std::function<void()> done)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_queue.empty() || m_busy) {
            m_whenHashed = std::move(done);
            return;
        }
    }
    done();
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
        m_busy = true;
        lock.unlock();
        m_hash.update(chunk);
        lock.lock();
        m_busy = false;
        if (m_stop)
            return;   // stopped while hashing: the destructor dropped the queue, so it looks "hashed", and is not
        m_queuedBytes -= chunk.size();
        const bool room = m_full && m_queuedBytes <= m_maxQueued / 2;
        if (room)
            m_full = false;
        std::function<void()> done = m_queue.empty() ? std::exchange(m_whenHashed, {}) : nullptr;
        if (!room && !done)
            continue;
        lock.unlock();   // the callbacks may add or post; never under the lock
        if (room && m_onRoom)
            m_onRoom();
        if (done)
            done();
        lock.lock();
    }
}

} // namespace ferry
