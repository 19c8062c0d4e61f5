#include "FileChunkReader.h"

#include "ThreadPriority.h"

#include <cstring>

#include <utility>

namespace ferry {

FileChunkReader::FileChunkReader(int fd, qint64 from, qint64 to, qint64 chunkBytes, qint64 readAhead, Sha256 *hash,
                                 std::function<void()> onReady)
    : m_reader(fd), m_to(to), m_chunkBytes(chunkBytes), m_readAhead(readAhead), m_hash(hash), m_position(from),
      m_onReady(std::move(onReady))
{
    if (to - from >= BackgroundMinBytes)
        m_thread = std::thread([this] { run(); });
}

FileChunkReader::~FileChunkReader()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

QByteArray FileChunkReader::readNext(QString *error)
{
    const qint64 length = qMin(m_chunkBytes, m_to - m_position);
    if (length <= 0)
        return {};
    QByteArray chunk = CacheAwareReader::bufferFor(m_position, length);
    const qint64 got = m_reader.readAt(chunk.data(), length, m_position);
    if (got < 0) {
        *error = QString::fromLocal8Bit(strerror(errno));
        return {};
    }
    if (got < length) {
        *error = QStringLiteral("the file became shorter");
        return {};
    }
    if (m_hash)
        m_hash->update(chunk);
    m_position += length;
    return chunk;
}

QByteArray FileChunkReader::take(QString *error)
{
    if (!m_thread.joinable())
        return readNext(error);
    std::unique_lock<std::mutex> lock(m_mutex);
    m_ready.wait(lock, [&] { return !m_queue.empty() || m_done; });
    if (m_queue.empty()) {
        *error = m_error;
        return {};
    }
    QByteArray chunk = std::move(m_queue.front());
    m_queue.pop_front();
    m_queuedBytes -= chunk.size();
    m_wake.notify_one();
    return chunk;
}

bool FileChunkReader::hasChunk()
{
    if (!m_thread.joinable())
        return true;
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_queue.empty() || m_done)
        return true;
    m_wanted = true;
    return false;
}

void FileChunkReader::run()
{
    lowerThisThreadsPriority();   // yields to the sender (ThreadPriority.h)
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [&] { return m_stop || m_queuedBytes < m_readAhead; });
        if (m_stop)
            return;
        lock.unlock();
        QString error;
        QByteArray chunk = readNext(&error);
        lock.lock();
        const bool last = chunk.isEmpty();
        if (last) {
            m_error = error;
            m_done = true;
        } else {
            m_queuedBytes += chunk.size();
            m_queue.push_back(std::move(chunk));
        }
        m_ready.notify_one();
        if (std::exchange(m_wanted, false) && m_onReady) {
            lock.unlock();
            m_onReady();
            lock.lock();
        }
        if (last)
            return;
    }
}

} // namespace ferry
