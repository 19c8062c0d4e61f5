#pragma once
// Reads a file that is being sent (a download on ferryd, an upload in the client). A range the page cache holds
// is copied from it; a range it does not hold is read around it (O_DIRECT) into the caller's block-aligned
// memory, so that sending a file nobody read lately fills no page-cache pages. Filling them was the largest cost
// of a download of a freshly uploaded file here (ferryd writes uploads around the cache): 1.5 s of kernel time
// per GiB, against 0.04 s read around it (docs/PERFORMANCE.md, session 31); and one big download no longer
// pushes other users' files out of the cache.
// A file's first DirectFromBytes always go through the cache, as PartFileWriter writes them: small files, which
// people fetch again and again (a team's documents), stay there for the next reader; a big file's rest does not.
// Reads that cannot go around the cache (not block-aligned, no cachestat(2) before Linux 6.5, a file system
// that refuses O_DIRECT) are ordinary preads.

#include "PartFileWriter.h"

#include <QByteArray>

namespace ferry {

class CacheAwareReader {
public:
    // Reads at or past this offset, of whole blocks of at least DirectMinBytes, go around the cache when it does
    // not hold them.
    static constexpr qint64 DirectFromBytes = PartFileWriter::DirectFromBytes;
    static constexpr qint64 DirectMinBytes = 64 * 1024;
    static constexpr qint64 BlockBytes = 4096;   // what O_DIRECT asks of offsets, lengths and buffers

    // fd stays owned by the caller, and nothing else may read through it while readAt() runs (O_DIRECT is set
    // on it for the read, and taken off again).
    explicit CacheAwareReader(int fd) : m_fd(fd) {}

    // Memory for a read of `length` bytes at `offset`: block-aligned where the read may go around the cache,
    // ordinary elsewhere (a small file's read need not pay for the alignment).
    static QByteArray bufferFor(qint64 offset, qint64 length);

    // `length` bytes at `offset`, fewer only at the end of the file; -1 (errno set) on a read error.
    qint64 readAt(char *data, qint64 length, qint64 offset);

    // Bytes read around the cache so far (for tests and benchmarks).
    qint64 directBytes() const { return m_directBytes; }

    // How many bytes of [offset, offset + length) of fd's file the page cache holds (whole pages); -1 when that
    // cannot be told (no cachestat).
    static qint64 cachedBytes(int fd, qint64 offset, qint64 length);
    // Whether the page cache holds all of that range; true when that cannot be told (the caller then reads
    // through the cache, as before).
    static bool cacheHolds(int fd, qint64 offset, qint64 length)
    {
        const qint64 cached = cachedBytes(fd, offset, length);
        return cached < 0 || cached >= length;
    }

private:
    qint64 readDirect(char *data, qint64 length, qint64 offset);

    const int m_fd;
    bool m_directRefused = false;   // the file system refused O_DIRECT once: never again for this file
    qint64 m_directBytes = 0;
};

} // namespace ferry
