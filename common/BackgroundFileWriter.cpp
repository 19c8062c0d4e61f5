#include "BackgroundFileWriter.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace ferry {

namespace {
// Start the kernel's writeback every few MiB so the final sync has little left to do.
constexpr qint64 WritebackStepBytes = 8 * 1024 * 1024;
}

BackgroundFileWriter::BackgroundFileWriter(int fd) : m_fd(fd), m_thread([this] { run(); })
{
}

BackgroundFileWriter::~BackgroundFileWriter()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void BackgroundFileWriter::write(QByteArray data)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_backlog += data.size();
        m_queue.push_back(std::move(data));
    }
    m_wake.notify_one();
}

qint64 BackgroundFileWriter::backlog() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_backlog;
}

QString BackgroundFileWriter::error() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_error;
}

void BackgroundFileWriter::waitForBacklogBelow(qint64 bytes)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_progress.wait(lock, [&] { return m_backlog < bytes || !m_error.isEmpty(); });
}

bool BackgroundFileWriter::flush(QString *error)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_progress.wait(lock, [&] { return (m_queue.empty() && !m_busy) || !m_error.isEmpty(); });
    if (!m_error.isEmpty()) {
        *error = m_error;
        return false;
    }
    return true;
}

void BackgroundFileWriter::run()
{
    off_t position = ::lseek(m_fd, 0, SEEK_END);   // transfers always append to their part file
    off_t writebackFrom = position;
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
        if (!failed) {
            const char *at = data.constData();
            qint64 left = data.size();
            while (left > 0) {
                const ssize_t written = ::write(m_fd, at, size_t(left));
                if (written < 0 && errno == EINTR)
                    continue;
                if (written <= 0) {
                    error = QString::fromLocal8Bit(strerror(written < 0 ? errno : ENOSPC));
                    break;
                }
                at += written;
                left -= written;
            }
            position += data.size() - left;
            if (position - writebackFrom >= WritebackStepBytes) {
                ::sync_file_range(m_fd, writebackFrom, position - writebackFrom, SYNC_FILE_RANGE_WRITE);
                writebackFrom = position;
            }
        }

        lock.lock();
        m_busy = false;
        m_backlog -= data.size();
        if (!error.isEmpty() && m_error.isEmpty())
            m_error = error;
        m_progress.notify_all();
    }
}

} // namespace ferry
