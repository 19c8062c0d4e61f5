#pragma once
// Reads a range of a file in chunks for an upload, hashing what it reads (around the page cache where it does
// not hold the file: CacheAwareReader). Big ranges are read and hashed on a thread of its own, up to
// `readAhead` bytes ahead of the sender, so the sending thread only encrypts and sends (the mirror of
// PartFileWriter on the receiving side); that thread runs at a lower CPU priority than the sender. Small ranges
// are read on the caller's thread.
// A caller that must not wait (the client's event loop) asks hasChunk() first and continues on `onReady`.

#include "CacheAwareReader.h"
#include "Sha256.h"

#include <QByteArray>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace ferry {

class FileChunkReader {
public:
    // Ranges of at least this many bytes get a reader thread.
    static constexpr qint64 BackgroundMinBytes = 16 * 1024 * 1024;

    // Reads [from, to) of fd's file; fd stays owned by the caller, must outlive this, and nothing else may read
    // through it meanwhile (CacheAwareReader). `hash` receives every byte read, in order; read it only after the
    // last chunk was taken.
    // `onReady` is called on the reader thread when a chunk (or the end) arrives after hasChunk() said false.
    FileChunkReader(int fd, qint64 from, qint64 to, qint64 chunkBytes, qint64 readAhead, Sha256 *hash,
                    std::function<void()> onReady = {});
    ~FileChunkReader();   // stops the thread; chunks not taken are dropped

    // The next chunk (waits for the reader thread if it is behind). Empty with `error` set when the file could
    // not be read or ended early; empty without an error after the whole range was taken.
    QByteArray take(QString *error);
    // True when take() would not wait; false arms `onReady` for the next chunk.
    bool hasChunk();

private:
    QByteArray readNext(QString *error);
    void run();

    CacheAwareReader m_reader;
    const qint64 m_to;
    const qint64 m_chunkBytes;
    const qint64 m_readAhead;
    Sha256 *const m_hash;
    qint64 m_position;   // next byte to read; touched by one thread only (the reader thread, if any)

    // Reader thread (big ranges only).
    std::mutex m_mutex;
    std::condition_variable m_wake;      // the thread: room in the queue, or stop
    std::condition_variable m_ready;     // take(): a chunk, the end or an error arrived
    std::deque<QByteArray> m_queue;
    qint64 m_queuedBytes = 0;
    bool m_done = false;   // the thread read everything, or failed (then m_error)
    bool m_stop = false;
    bool m_wanted = false;   // hasChunk() said false: onReady is due
    QString m_error;
    const std::function<void()> m_onReady;
    std::thread m_thread;
};

} // namespace ferry
