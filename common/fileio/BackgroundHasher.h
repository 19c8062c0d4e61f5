#pragma once
// Hashes a stream of chunks on a thread of its own, in the order they were added, so that the thread that
// receives them only hands them over: ferryd's big uploads, whose session thread would otherwise decrypt and
// hash, and is shared with other sessions. The hashing thread runs at a lower CPU priority (as an upload's
// reader does, FileChunkReader), so those sessions go first. Chunks are shared, not copied; the owner bounds
// how far hashing may fall behind with waitUntilHashed().

#include <QByteArray>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace ferry {

class Sha256;

class BackgroundHasher {
public:
    // `hash` is updated on the hashing thread from the first add() on; read it only after finish().
    explicit BackgroundHasher(Sha256 &hash);
    ~BackgroundHasher();   // stops; chunks still queued are dropped
    BackgroundHasher(const BackgroundHasher &) = delete;
    BackgroundHasher &operator=(const BackgroundHasher &) = delete;

    void add(const QByteArray &chunk);   // never waits
    // Waits until at least `bytes` of the bytes added so far are hashed.
    void waitUntilHashed(qint64 bytes);
    // Waits until everything added is hashed.
    void finish();

private:
    void run();

    Sha256 &m_hash;
    std::mutex m_mutex;
    std::condition_variable m_wake;       // the hashing thread: a chunk or stop
    std::condition_variable m_progress;   // waiters: more is hashed
    std::deque<QByteArray> m_queue;
    qint64 m_added = 0;
    qint64 m_hashed = 0;
    bool m_stop = false;
    std::thread m_thread;   // last: starts once the rest is set up
};

} // namespace ferry
