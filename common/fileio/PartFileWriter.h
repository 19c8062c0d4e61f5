#pragma once
// Appends a transfer's data to its part file and starts the kernel's writeback as it goes, so the final sync
// has little left to do. With goAroundPageCache() (ferryd's uploads and the client's downloads), data past the
// first DirectFromBytes goes around the page cache: whole blocks are written with O_DIRECT (ordinary writes where
// the file system refuses), from the data itself when it is block-aligned in memory (received payloads are) and
// otherwise through the writing thread's aligned buffer, because copying into freshly allocated page-cache pages
// was the largest CPU item of durable writes on both sides, and a stored file gains nothing from being cached.
// Such writes are made durable as they go (fdatasync on a thread of its own every FlushStepBytes of them), so
// that the final sync has little left (on this project's test VM a flush stalls every write meanwhile:
// PERFORMANCE.md; the client's downloads, whose backlog must stay small, send whole blocks through the page cache
// during a flush, and the next flush writes those back).
// Big files are written on a thread of their own, so the writes overlap receiving the next frames, and hashed on
// another one, which follows the writer a chunk behind (one thread doing both waited for the device between
// hashes); memory stays bounded because write() waits when more than `maxBacklog` bytes are queued or unhashed.
// Used by ferryd's uploads (on its disk threads, where waiting is fine) and the client's downloads, whose thread
// runs the window: they queue with writeWithoutWaiting() and stop reading the socket while the backlog is over
// the limit, until `onRoom` says it went down.

#include "Sha256.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include <sys/stat.h>

namespace ferry {

// pwrite (write where `offset` is negative) until done, a failure or a write of nothing; returns the bytes
// written, and in `error` the errno of the call that failed (ENOSPC for one that wrote nothing).
qint64 writeFully(int fd, const char *data, qint64 length, qint64 offset, int *error);

class PartFileWriter {
public:
    // Files expected to bring at least this many bytes get a writer thread.
    static constexpr qint64 BackgroundMinBytes = 16 * 1024 * 1024;
    // With goAroundPageCache(), data beyond this offset (from the next block boundary on) is written with
    // O_DIRECT: small files, whose syncs are grouped, stay in the page cache.
    static constexpr qint64 DirectFromBytes = 8 * 1024 * 1024;
    static constexpr qint64 FlushStepBytes = 16 * 1024 * 1024;

    // Appends at the end of fd's file; fd stays owned by the caller and must outlive this. With `hash`, every
    // written byte is also added to it, in order: on the caller's thread for small files, on a hashing thread of
    // its own for big ones (so hashing leaves the receiving thread too, and overlaps the writes); read the hash
    // only after finish() returned true.
    // `onRoom` is called on the writer's (or hashing) thread each time a backlog that writeWithoutWaiting() left
    // over the limit is down to half of it again.
    PartFileWriter(int fd, qint64 expectedBytes, qint64 maxBacklog, Sha256 *hash = nullptr,
                   std::function<void()> onRoom = {});
    // For a file whose fstat() the caller has at hand (`opened`): no second look at its size and kind.
    PartFileWriter(int fd, const struct stat &opened, qint64 expectedBytes, qint64 maxBacklog, Sha256 *hash = nullptr,
                   std::function<void()> onRoom = {});
    ~PartFileWriter();   // writes what is queued (and staged for O_DIRECT), then stops

    // Call before the first write: big files are then written with O_DIRECT (see above).
    void goAroundPageCache() { m_directWanted = m_regularFile; }
    // With goAroundPageCache(): while a flush-behind runs (which stalls direct writes on some disks), whole blocks
    // go through the page cache instead, and the next flush writes them back.
    void useCacheWhileFlushing() { m_cacheWhileFlushing = true; }
    // Call when nothing reads or writes through the descriptor's own offset after finish() (all goes by offset):
    // finish() then leaves it where it was instead of moving it to the end, a system call per file saved.
    void offsetUnused() { m_seekAtFinish = false; }

    // False with `error` after a failed write (this one, or an earlier one on the writer thread).
    bool write(const QByteArray &data, QString *error);
    // Like write(), but never waits for the disk: sets `full` when the backlog is now over the limit, and then
    // `onRoom` follows once the writer caught up.
    bool writeWithoutWaiting(const QByteArray &data, QString *error, bool *full);
    // Waits until everything is written; false with `error` after a failed write. Durability is the caller's
    // (an fdatasync, or one file-system sync for a group): either writes back what is left, so starting that
    // here too only cost a system call per file.
    // Afterwards the descriptor is back in ordinary (not O_DIRECT) mode.
    bool finish(QString *error);
    // True once some of the data went around the page cache (for tests and benchmarks).
    bool wroteDirect() const { return m_wroteDirect; }
    // True while a flush-behind runs (for tests).
    bool flushing() const { return m_flushing.load(std::memory_order_relaxed); }
    // Bytes copied into the writing thread's aligned buffer on their way to O_DIRECT: data that is not block-
    // aligned in memory (for tests and benchmarks; read once the writes are finished).
    qint64 stagedBytes() const { return m_stagedBytes; }

private:
    bool writeNow(const QByteArray &data, QString *error);
    // Ordinary write at the end of the file.
    bool writeAt(const char *data, qint64 length, QString *error);
    // Switches the descriptor to O_DIRECT at a block boundary; false (for good) where that is refused.
    bool enterDirect();
    // Writes the whole blocks of `blocks` (block-aligned in memory: the staging buffer, holding the kept partial
    // block and then new data, or aligned data as it came) with O_DIRECT and keeps the partial block after them;
    // a refused or short direct write leaves O_DIRECT and writes the rest the ordinary way.
    bool writeDirect(const char *blocks, qint64 length, QString *error);
    // Leaves O_DIRECT and writes the kept partial block the ordinary way.
    bool endDirect(QString *error);
    void leaveDirect();
    // Sets or clears O_DIRECT on the descriptor; false where that failed.
    bool setDirectFlag(bool on);
    // Asks the flusher thread for an fdatasync (started on first use; requests made while one runs coalesce).
    void requestFlush();
    void stopFlusher();
    void runFlusher();
    bool queue(const QByteArray &data, QString *error, std::unique_lock<std::mutex> &lock);
    void startWriteback(qint64 minimumBytes);
    void run();
    void runHasher();
    // After a chunk left the backlog (written, and hashed when there is a hashing thread): wakes the waiters,
    // and calls onRoom when a backlog left over the limit is down to half. Called with m_mutex held.
    void release(qint64 bytes, std::unique_lock<std::mutex> &lock);

    const int m_fd;
    const qint64 m_maxBacklog;
    Sha256 *const m_hash;
    qint64 m_position = 0;        // end of the file; touched by one thread at a time
    qint64 m_writebackFrom = 0;
    // O_DIRECT (touched by the thread that writes): the kept partial block follows m_position.
    bool m_regularFile = true;    // else (a pipe, in tests) ordinary write() and never O_DIRECT
    bool m_directWanted = false;  // goAroundPageCache() asked for it, and it was not refused
    bool m_seekAtFinish = true;   // offsetUnused() not called
    bool m_direct = false;
    bool m_wroteDirect = false;
    bool m_cacheWhileFlushing = false;
    qint64 m_stagedBytes = 0;
    QByteArray m_tail;            // under one block
    qint64 m_flushStepFrom = 0;   // the next flush is due FlushStepBytes of direct writes after this

    // Flush-behind thread (direct writes only).
    std::mutex m_flushMutex;
    std::condition_variable m_flushWake;
    bool m_flushWanted = false;
    bool m_flushStop = false;
    std::atomic<bool> m_flushing{false};   // an fdatasync runs
    std::thread m_flusher;

    // Writer thread (big files only).
    std::mutex m_mutex;
    std::condition_variable m_wake;      // the thread: work arrived or stop
    std::condition_variable m_progress;  // waiters: backlog shrank
    std::deque<QByteArray> m_queue;
    qint64 m_backlog = 0;
    bool m_stop = false;
    bool m_busy = false;
    // Hashing thread (big files with a hash): takes the chunks the writer thread has written.
    std::condition_variable m_hashWake;
    std::deque<QByteArray> m_hashQueue;
    bool m_hashAside = false;            // set before the threads start
    bool m_hashing = false;
    std::thread m_hasher;
    bool m_overLimit = false;            // writeWithoutWaiting() left the backlog over the limit
    const std::function<void()> m_onRoom;
    QString m_error;
    std::thread m_thread;
};

} // namespace ferry
