#include "CacheAwareReader.h"

#include "BulkAllocator.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_cachestat
#define __NR_cachestat 451   // the same on every architecture (Linux 6.5); Debian 12's headers predate it
#endif

namespace ferry {

namespace {

// Linux's struct cachestat_range and struct cachestat (include/uapi/linux/mman.h).
struct CacheStatRange {
    quint64 offset;
    quint64 length;
};
struct CacheStat {
    quint64 cached;
    quint64 dirty;
    quint64 writeback;
    quint64 evicted;
    quint64 recentlyEvicted;
};

std::atomic<bool> cacheStatMissing{false};

// Reads until `length`, the end of the file or an error (-1). With `blockBytes` (O_DIRECT), a read that ends
// within a block is the end of the file: the next one would not start at a block.
qint64 preadFully(int fd, char *data, qint64 length, qint64 offset, qint64 blockBytes = 1)
{
    qint64 done = 0;
    while (done < length) {
        const ssize_t got = ::pread(fd, data + done, size_t(length - done), off_t(offset + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        done += got;
        if (got == 0 || got % blockBytes != 0)
            break;
    }
    return done;
}

bool setDirect(int fd, bool on)
{
    const int flags = ::fcntl(fd, F_GETFL);
    return flags >= 0 && ::fcntl(fd, F_SETFL, on ? (flags | O_DIRECT) : (flags & ~O_DIRECT)) == 0;
}

} // namespace

qint64 CacheAwareReader::cachedBytes(int fd, qint64 offset, qint64 length)
{
    if (cacheStatMissing.load(std::memory_order_relaxed))
        return -1;
    CacheStatRange range{quint64(offset), quint64(length)};
    CacheStat stat{};
    if (::syscall(__NR_cachestat, fd, &range, &stat, 0) != 0) {
        // ENOSYS before Linux 6.5; EPERM from a system-call filter without it (systemd 252's @system-service).
        if (errno == ENOSYS || errno == EPERM)
            cacheStatMissing.store(true, std::memory_order_relaxed);
        return -1;
    }
    static const qint64 pageBytes = ::sysconf(_SC_PAGESIZE);
    return qint64(stat.cached) * pageBytes;
}

QByteArray CacheAwareReader::bufferFor(qint64 offset, qint64 length)
{
    return offset >= DirectFromBytes && length >= DirectMinBytes ? alignedBulkBytes(length)
                                                                 : QByteArray(length, Qt::Uninitialized);
}

qint64 CacheAwareReader::readAt(char *data, qint64 length, qint64 offset)
{
    qint64 done = 0;
    const qint64 blocks = length / BlockBytes * BlockBytes;
    if (!m_directRefused && offset >= DirectFromBytes && blocks >= DirectMinBytes && offset % BlockBytes == 0
        && reinterpret_cast<std::uintptr_t>(data) % BlockBytes == 0 && !cacheHolds(m_fd, offset, blocks)) {
        const qint64 got = readDirect(data, blocks, offset);
        if (got < 0 && !m_directRefused)
            return -1;
        if (got >= 0) {
            m_directBytes += got;
            if (got < blocks)
                return got;   // the end of the file
            done = blocks;
        }
    }
    if (done == length)
        return done;
    const qint64 got = preadFully(m_fd, data + done, length - done, offset + done);
    return got < 0 ? -1 : done + got;
}

qint64 CacheAwareReader::readDirect(char *data, qint64 length, qint64 offset)
{
    if (!setDirect(m_fd, true)) {
        m_directRefused = true;   // EINVAL: the file system has no O_DIRECT
        return -1;
    }
    const qint64 got = preadFully(m_fd, data, length, offset, BlockBytes);
    const int error = errno;
    if (!setDirect(m_fd, false))
        return -1;   // the descriptor must not stay in O_DIRECT: fail the read rather than later ones
    if (got < 0 && error == EINVAL)
        m_directRefused = true;   // refused at the read (some file systems accept the flag, not the read)
    errno = error;
    return got;
}

} // namespace ferry
