#include "PartFileWriter.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace ferry {

namespace {
constexpr qint64 WritebackStepBytes = 8 * 1024 * 1024;
}

PartFileWriter::PartFileWriter(int fd, qint64 expectedBytes, qint64 maxBacklog, Sha256 *hash,
                               std::function<void()> onRoom)
    : m_fd(fd), m_maxBacklog(maxBacklog), m_hash(hash), m_position(::lseek(fd, 0, SEEK_END)), m_writebackFrom(m_position),
      m_onRoom(std::move(onRoom))
{
    if (expectedBytes >= BackgroundMinBytes)
        m_thread = std::thread([this] { run(); });
}

PartFileWriter::~PartFileWriter()
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

bool PartFileWriter::writeNow(const QByteArray &data, QString *error)
{
    const char *at = data.constData();
    qint64 left = data.size();
    while (left > 0) {
        const ssize_t written = ::write(m_fd, at, size_t(left));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            *error = QString::fromLocal8Bit(strerror(written < 0 ? errno : ENOSPC));
            return false;
        }
        at += written;
        left -= written;
    }
    m_position += data.size();
    if (m_hash)
        m_hash->update(data);
    startWriteback(WritebackStepBytes);
    return true;
}

void PartFileWriter::startWriteback(qint64 minimumBytes)
{
    if (m_position - m_writebackFrom < qMax<qint64>(1, minimumBytes))
        return;
#ifdef Q_OS_LINUX
    ::sync_file_range(m_fd, m_writebackFrom, m_position - m_writebackFrom, SYNC_FILE_RANGE_WRITE);
#endif
    m_writebackFrom = m_position;
}

bool PartFileWriter::queue(const QByteArray &data, QString *error, std::unique_lock<std::mutex> &lock)
{
    Q_UNUSED(lock);
    if (!m_error.isEmpty()) {
        *error = m_error;
        return false;
    }
    m_backlog += data.size();
    m_queue.push_back(data);   // shares the bytes, no copy
    m_wake.notify_one();
    return true;
}

bool PartFileWriter::write(const QByteArray &data, QString *error)
{
    if (!m_thread.joinable())
        return writeNow(data, error);
    std::unique_lock<std::mutex> lock(m_mutex);
    if (!queue(data, error, lock))
        return false;
    // The disk fell behind: wait for it rather than queue without bound.
    if (m_backlog > m_maxBacklog)
        m_progress.wait(lock, [&] { return m_backlog <= m_maxBacklog / 2 || !m_error.isEmpty(); });
    return true;
}

bool PartFileWriter::writeWithoutWaiting(const QByteArray &data, QString *error, bool *full)
{
    *full = false;
    if (!m_thread.joinable())
        return writeNow(data, error);
    std::unique_lock<std::mutex> lock(m_mutex);
    if (!queue(data, error, lock))
        return false;
    if (m_backlog > m_maxBacklog) {
        m_overLimit = true;
        *full = true;
    }
    return true;
}

bool PartFileWriter::finish(QString *error)
{
    if (m_thread.joinable()) {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_progress.wait(lock, [&] { return (m_queue.empty() && !m_busy) || !m_error.isEmpty(); });
        if (!m_error.isEmpty()) {
            *error = m_error;
            return false;
        }
    }
    startWriteback(0);
    return true;
}

void PartFileWriter::run()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [&] { return m_stop || !m_queue.empty(); });
        if (m_queue.empty())
            return;   // stopping, and everything is written
        QByteArray data = std::move(m_queue.front());
        m_queue.pop_front();
        m_busy = true;
        const bool failed = !m_error.isEmpty();
        lock.unlock();

        QString error;
        if (!failed)
            writeNow(data, &error);

        lock.lock();
        m_busy = false;
        m_backlog -= data.size();
        if (!error.isEmpty() && m_error.isEmpty())
            m_error = error;
        m_progress.notify_all();
        // A failed write also makes room: the caller then learns of the error from its next write or finish.
        if (m_overLimit && (m_backlog <= m_maxBacklog / 2 || !m_error.isEmpty())) {
            m_overLimit = false;
            if (m_onRoom) {
                lock.unlock();
                m_onRoom();
                lock.lock();
            }
        }
    }
}

} // namespace ferry
