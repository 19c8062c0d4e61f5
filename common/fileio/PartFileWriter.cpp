#include "PartFileWriter.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <fcntl.h>
#include <sys/stat.h>
#include <utility>
#include <unistd.h>

namespace ferry {

namespace {
constexpr qint64 WritebackStepBytes = 8 * 1024 * 1024;
// O_DIRECT needs buffer, offset and length aligned to the device's logical block; 4096 covers every device.
constexpr qint64 DirectAlignment = 4096;
constexpr qint64 StageBytes = 4 * 1024 * 1024;

// One aligned buffer per writing thread, not per file (ferryd's disk pool has a few threads, and a peer may hold
// many uploads open): a writer keeps only its last partial block between writes. Null if it cannot be allocated.
char *threadStage()
{
    thread_local const std::unique_ptr<char, void (*)(void *)> stage(
        static_cast<char *>(std::aligned_alloc(DirectAlignment, StageBytes)), std::free);
    return stage.get();
}

qint64 alignedUp(qint64 offset)
{
    return (offset + DirectAlignment - 1) / DirectAlignment * DirectAlignment;
}

struct stat lookAt(int fd)
{
    struct stat info {};
    if (::fstat(fd, &info) != 0)
        info.st_mode = 0;   // neither regular nor anything else: plain writes
    return info;
}
} // namespace

qint64 writeFully(int fd, const char *data, qint64 length, qint64 offset, int *error)
{
    qint64 done = 0;
    *error = 0;
    while (done < length) {
        const ssize_t written = offset < 0 ? ::write(fd, data + done, size_t(length - done))
                                           : ::pwrite(fd, data + done, size_t(length - done), off_t(offset + done));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            *error = written < 0 ? errno : ENOSPC;
            break;
        }
        done += written;
    }
    return done;
}

PartFileWriter::PartFileWriter(int fd, qint64 expectedBytes, qint64 maxBacklog, Sha256 *hash,
                               std::function<void()> onRoom)
    : PartFileWriter(fd, lookAt(fd), expectedBytes, maxBacklog, hash, std::move(onRoom))
{
}

PartFileWriter::PartFileWriter(int fd, const struct stat &opened, qint64 expectedBytes, qint64 maxBacklog,
                               Sha256 *hash, std::function<void()> onRoom)
    : m_fd(fd), m_maxBacklog(maxBacklog), m_hash(hash),
      // Appends go at the end; a new (empty) file's descriptor is there already, which saves a call per small file.
      m_position(opened.st_size > 0 || !S_ISREG(opened.st_mode) ? ::lseek(fd, 0, SEEK_END) : 0),
      m_writebackFrom(m_position), m_onRoom(std::move(onRoom))
{
    m_regularFile = S_ISREG(opened.st_mode);
    if (expectedBytes >= BackgroundMinBytes) {
        m_hashAside = m_hash != nullptr;
        m_thread = std::thread([this] { run(); });
        if (m_hashAside)
            m_hasher = std::thread([this] { runHasher(); });
    }
}

PartFileWriter::~PartFileWriter()
{
    if (m_thread.joinable()) {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_one();
        m_thread.join();
        m_hashWake.notify_one();   // the writer is done: the hasher takes what is left, then stops
        if (m_hasher.joinable())
            m_hasher.join();
    }
    // The kept partial block was handed to write(): it reaches the file as queued bytes do.
    QString ignored;
    if (m_direct)
        endDirect(&ignored);
    stopFlusher();
}

void PartFileWriter::requestFlush()
{
    std::lock_guard<std::mutex> lock(m_flushMutex);
    m_flushWanted = true;
    if (!m_flusher.joinable())
        m_flusher = std::thread([this] { runFlusher(); });
    m_flushWake.notify_one();
}

void PartFileWriter::stopFlusher()
{
    {
        std::lock_guard<std::mutex> lock(m_flushMutex);
        if (!m_flusher.joinable())
            return;
        m_flushStop = true;
        m_flushWanted = false;   // the owner's own final sync follows
    }
    m_flushWake.notify_one();
    m_flusher.join();
}

void PartFileWriter::runFlusher()
{
    std::unique_lock<std::mutex> lock(m_flushMutex);
    for (;;) {
        m_flushWake.wait(lock, [&] { return m_flushStop || m_flushWanted; });
        if (!m_flushWanted)
            return;
        m_flushWanted = false;
        lock.unlock();
        // A failure is not lost: the owner's final fdatasync must not be the first to hear of it (the kernel
        // reports a writeback error once per open file), so it fails the writer.
        m_flushing.store(true, std::memory_order_relaxed);
        const bool failed = ::fdatasync(m_fd) != 0;
        const int error = errno;
        m_flushing.store(false, std::memory_order_relaxed);
        if (failed) {
            std::lock_guard<std::mutex> stateLock(m_mutex);
            if (m_error.isEmpty())
                m_error = QString::fromLocal8Bit(strerror(error));
        }
        lock.lock();
    }
}

bool PartFileWriter::writeAt(const char *data, qint64 length, QString *error)
{
    int failure = 0;
    m_position += writeFully(m_fd, data, length, m_regularFile ? m_position : -1, &failure);
    if (failure == 0)
        return true;
    *error = QString::fromLocal8Bit(strerror(failure));
    return false;
}

bool PartFileWriter::setDirectFlag(bool on)
{
#ifdef O_DIRECT
    const int flags = ::fcntl(m_fd, F_GETFL);
    return flags >= 0 && ::fcntl(m_fd, F_SETFL, on ? flags | O_DIRECT : flags & ~O_DIRECT) == 0;
#else
    return !on;
#endif
}

bool PartFileWriter::enterDirect()
{
    if (threadStage() && setDirectFlag(true)) {
        m_direct = true;
        m_flushStepFrom = m_position;   // what came before went through the cache, with its writeback started
        return true;
    }
    m_directWanted = false;
    return false;
}

void PartFileWriter::leaveDirect()
{
    setDirectFlag(false);
    m_direct = false;
}

bool PartFileWriter::writeDirect(const char *blocks, qint64 length, QString *error)
{
    const qint64 whole = length / DirectAlignment * DirectAlignment;
    int ignored = 0;   // the ordinary write of the rest reports it
    const bool cached = whole > 0 && m_cacheWhileFlushing && m_flushing.load(std::memory_order_relaxed);
    if (cached)
        setDirectFlag(false);
    const qint64 done = whole > 0 ? writeFully(m_fd, blocks, whole, m_position, &ignored) : 0;
    if (cached)
        setDirectFlag(true);
    if (done > 0) {
        m_position += done;
        m_wroteDirect = true;
        // Blocks sent through the cache during a flush do not bring the next one nearer (that flush writes them
        // back anyway): counted, they started it as soon as this one ended, and the flusher never rested.
        if (cached)
            m_flushStepFrom += done;
        if (m_position - m_flushStepFrom >= FlushStepBytes) {
            m_flushStepFrom = m_position;
            requestFlush();
        }
    }
    if (done == whole) {
        m_tail = QByteArray(blocks + done, length - done);
        return true;
    }
    // Refused (EINVAL on a file system without O_DIRECT), short or failed: ordinary writes from here on, which
    // then report a real error such as a full disk.
    m_directWanted = false;
    leaveDirect();
    return writeAt(blocks + done, length - done, error);
}

bool PartFileWriter::endDirect(QString *error)
{
    leaveDirect();
    const QByteArray tail = std::exchange(m_tail, QByteArray());
    return tail.isEmpty() || writeAt(tail.constData(), tail.size(), error);
}

bool PartFileWriter::writeNow(const QByteArray &data, QString *error)
{
    const char *at = data.constData();
    qint64 left = data.size();
    while (left > 0) {
        qint64 step = left;
        if (m_direct && m_tail.isEmpty() && left >= DirectAlignment && quintptr(at) % DirectAlignment == 0) {
            // Data that starts at a block boundary in memory (a received payload: alignedBulkBytes) goes to the
            // file as it is; only a partial last block is kept back.
            step = left / DirectAlignment * DirectAlignment;
            if (!writeDirect(at, step, error))
                return false;
        } else if (m_direct) {
            char *stage = threadStage();
            if (!stage) {   // this thread has no buffer: ordinary writes from here on
                m_directWanted = false;
                if (!endDirect(error))
                    return false;
                continue;
            }
            const qint64 kept = m_tail.size();
            memcpy(stage, m_tail.constData(), size_t(kept));
            step = qMin(left, StageBytes - kept);
            memcpy(stage + kept, at, size_t(step));
            m_stagedBytes += step;
            if (!writeDirect(stage, kept + step, error))
                return false;
        } else {
            const qint64 beforeDirect = m_directWanted ? alignedUp(qMax(m_position, DirectFromBytes)) - m_position : left;
            if (beforeDirect == 0 && enterDirect())
                continue;
            if (beforeDirect > 0)
                step = qMin(left, beforeDirect);
            if (!writeAt(at, step, error))
                return false;
        }
        at += step;
        left -= step;
    }
    if (m_hash && !m_hashAside)
        m_hash->update(data);
    if (!m_direct)
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
        m_progress.wait(lock, [&] {
            return (m_queue.empty() && !m_busy && m_hashQueue.empty() && !m_hashing) || !m_error.isEmpty();
        });
        if (!m_error.isEmpty()) {
            *error = m_error;
            return false;
        }
    }
    if (m_direct && !endDirect(error))
        return false;
    stopFlusher();
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_error.isEmpty()) {   // a flush-behind failed
            *error = m_error;
            return false;
        }
    }
    if (m_regularFile && m_seekAtFinish)
        ::lseek(m_fd, m_position, SEEK_SET);   // writes went by offset: the descriptor's own offset ends there too
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
        if (!error.isEmpty() && m_error.isEmpty())
            m_error = error;
        if (m_hashAside && m_error.isEmpty()) {
            m_hashQueue.push_back(std::move(data));   // leaves the backlog once hashed
            m_hashWake.notify_one();
        } else {
            release(data.size(), lock);
        }
    }
}

void PartFileWriter::runHasher()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        // Stops once the writer has stopped and everything it wrote is hashed.
        m_hashWake.wait(lock, [&] { return !m_hashQueue.empty() || (m_stop && !m_busy && m_queue.empty()); });
        if (m_hashQueue.empty())
            return;
        const QByteArray data = std::move(m_hashQueue.front());
        m_hashQueue.pop_front();
        m_hashing = true;
        lock.unlock();
        m_hash->update(data);
        lock.lock();
        m_hashing = false;
        release(data.size(), lock);
    }
}

void PartFileWriter::release(qint64 bytes, std::unique_lock<std::mutex> &lock)
{
    m_backlog -= bytes;
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

} // namespace ferry
