#pragma once
// Hashes a stream of chunks on a thread of its own, in the order they were added, so that the thread that
// receives them only hands them over: ferryd's big uploads, whose session thread would otherwise decrypt and
// hash, and is shared with other sessions. The hashing thread runs at a lower CPU priority (as an upload's
// reader does, FileChunkReader), so those sessions go first. Chunks are shared, not copied. Nobody waits for
// it: add() says when too much is queued and `onRoom` says when that is over; whenHashed() calls back.

#include <QByteArray>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace ferry {

class Sha256;

class BackgroundHasher {
public:
    // `hash` is updated on the hashing thread from the first add() on; read it once whenHashed() called back.
    // `onRoom` is called on the hashing thread each time a queue that add() reported full is down to half of
    // `maxQueued` again.
    // Throws std::system_error when no thread can be started.
    BackgroundHasher(Sha256 &hash, qint64 maxQueued, std::function<void()> onRoom);
    ~BackgroundHasher();   // stops; chunks still queued are dropped, and whenHashed() does not call back
    BackgroundHasher(const BackgroundHasher &) = delete;
    BackgroundHasher &operator=(const BackgroundHasher &) = delete;

    // Never waits. True when more than `maxQueued` bytes now wait to be hashed (then `onRoom` follows).
    bool add(const QByteArray &chunk);
    // `done` runs on the hashing thread once everything added so far is hashed (at once on this thread when
    // it is already). Add nothing after it.
    void whenHashed(std::function<void()> done);

    // Hashers alive in this process (a caller may keep their threads to a number).
    static int alive();

private:
    void run();

    Sha256 &m_hash;
    const qint64 m_maxQueued;
    const std::function<void()> m_onRoom;
    std::mutex m_mutex;
    std::condition_variable m_wake;   // the hashing thread: a chunk or stop
    std::deque<QByteArray> m_queue;
    qint64 m_queuedBytes = 0;
    bool m_full = false;               // add() reported full: onRoom is due
    bool m_busy = false;               // a chunk is being hashed outside the lock
    std::function<void()> m_whenHashed;
    bool m_stop = false;
    std::thread m_thread;   // last: starts once the rest is set up
};

} // namespace ferry
