#pragma once
// One put: checks, lock and quota reservation before any data, then data appended to the target's part
// file while it is hashed, then (on end) verified, made durable and moved into place. Durability is
// group-committed by the UploadService: many small files that ended together share one sync.
//
// Threads: accept() and checkSize() run on the session's thread and never touch the disk; hashPrefix(),
// write(), commit() and discard() run in order on the session's DiskQueue. The object is shared with the
// queued jobs, so whichever drops it last ends it (settle and unlock are thread-safe). A small upload is
// hashed on the session thread as its frames arrive; a big one (hashesAside()) on a BackgroundHasher, so the
// session thread, which serves other sessions too, only decrypts. Nobody waits for that hasher: while more
// than unhashedLimit() bytes wait for it the session stops reading (hashingFellBehind(), the `onRoom` of
// hashAside()), and the end is verified once whenHashed() calls back.
//
// The quota ledger is touched twice per upload: one reservation at put, one settlement when it ends
// (committed, failed, discarded or interrupted), computed from what this upload did to the disk, never
// from what is at a path now.

#include "BackgroundHasher.h"
#include "Protocol.h"
#include "Result.h"
#include "Sha256.h"
#include "Storage.h"
#include "VirtualPath.h"

#include <functional>
#include <memory>

namespace ferry {

struct ServerServices;

class Upload {
public:
    using Mode = PutMode;   // the wire's put modes (Protocol.h)
    struct Request {
        qint64 id = 0;
        VirtualPath path;
        qint64 size = 0;
        Mode mode = Mode::New;
        std::optional<qint64> mtimeMs;
    };

    // Checks path, mode, lock and quota; opens the part file. The error is the reply to the put.
    static Result<std::unique_ptr<Upload>> begin(const Request &request, const QString &user,
                                                 const std::shared_ptr<StorageHome> &home,
                                                 std::optional<qint64> limit, ServerServices &services);
    ~Upload();   // unfinished: the part file stays for a later resume; lock and reservation end

    qint64 offset() const { return m_offset; }
    qint64 received() const { return m_accepted; }   // session thread
    const Request &request() const { return m_request; }
    // Session thread: its end frame was taken (it is verified, or waits for its hasher to be verified), so
    // frames and cancels for it are no longer taken.
    bool ended() const { return m_ended; }
    // Uploads that bring at least this many bytes are worth hashing aside; at most MaxHashersAlive at a time in
    // the process (each is a thread, and a client may open many puts), the others are hashed as they arrive.
    static constexpr qint64 HashAsideMinBytes = 16 * 1024 * 1024;
    static constexpr int MaxHashersAlive = 8;
    // As much as the disk backlog (UploadService::MaxDiskBacklogBytes), mostly the same buffers: the hasher runs
    // at a lower priority and catches up in bursts, and a smaller limit paused the session in its place. Only one
    // upload at a time gets that much (the usual case: one big upload); the others hashed aside beside it get
    // CrowdedUnhashedBytes, so that hashers starved of CPU by a peer's many big uploads hold at most
    // MaxUnhashedBytes + (MaxHashersAlive - 1) × CrowdedUnhashedBytes.
    static constexpr qint64 MaxUnhashedBytes = 32 * 1024 * 1024;
    static constexpr qint64 CrowdedUnhashedBytes = 8 * 1024 * 1024;
    bool worthHashingAside() const;
    // Session thread, before any data: hashes on a BackgroundHasher from now on; `onRoom` is called on its
    // thread when hashing caught up after hashingFellBehind(). False (hashed as it arrives) when no thread
    // could be started.
    bool hashAside(std::function<void()> onRoom);
    bool hashesAside() const { return m_hasher != nullptr; }
    // After hashAside(): how many bytes may wait for its hasher before hashingFellBehind().
    qint64 unhashedLimit() const { return m_roomyHasher ? MaxUnhashedBytes : CrowdedUnhashedBytes; }
    // Session thread: the last accept() left more than unhashedLimit() waiting for the hasher.
    bool hashingFellBehind() const { return m_hashingFellBehind; }
    // Session thread, after checkSize(): `done` is called (on the hashing thread) once every accepted byte is
    // hashed; then checkHash() may run on any thread.
    void whenHashed(std::function<void()> done) { m_hasher->whenHashed(std::move(done)); }
    // A resumed put hashes what the part file holds before it answers (disk queue).
    bool needsPrefixHash() const { return m_offset > 0; }
    Status hashPrefix();

    // Session thread: counts and hashes (or hands to the hasher) a data frame's bytes; size_mismatch when there
    // are too many.
    Status accept(const QByteArray &bytes);
    // Disk queue: appends accepted bytes. io_error: the part file is removed. After a failure: no-op.
    Status write(const QByteArray &bytes);
    // Session thread, at the end frame: the byte count (size_mismatch: discard() it). Then the upload has ended().
    Status checkSize();
    // After checkSize() (and with hashesAside() after whenHashed() called back): the hash (checksum_mismatch:
    // discard() it).
    Status checkHash(const QByteArray &sha256Hex);
    // Disk queue: waits for the writes still staged (a big file's writer thread, a direct writer's last partial
    // block), so that a group's sync after it covers them. io_error: the part file is removed.
    Status finishWrites();
    // Disk queue, after finishWrites() succeeded: makes the part file durable (unless already synced) and moves it
    // into place. Returns the reply's fields. The file stays open for endCommit().
    Result<QJsonObject> commit(bool alreadySynced);
    // Disk queue, after commit() succeeded and the other renames of its group were made: with `syncFolder`, makes
    // the renames in its folder durable; then closes the file.
    void endCommit(bool syncFolder);
    // Deletes the part file and settles (cancel with discard).
    void discard();
    // Disk queue: an interrupted upload writes what it was given and stops writing (a big file's last staged
    // bytes and its flush-behind sync are disk work), so that it can then end on any thread. The part file stays.
    void stopWriting();
    // Group commit: one file-system sync for a batch of verified uploads whose writes are finished. Returns
    // whether it synced.
    static bool syncBatch(const QList<Upload *> &batch);
    QString folderId() const { return m_part ? m_part->folderId() : QString(); }   // disk queue

private:
    Upload(ServerServices &services, const Request &request, const QString &user);
    void settle(qint64 partBytesLeft, qint64 replacedBytes);
    Status fail(const Error &error);

    ServerServices &m_services;
    Request m_request;
    QString m_user;
    std::shared_ptr<StorageHome> m_home;
    QString m_lockKey;
    std::unique_ptr<PartFile> m_part;
    std::unique_ptr<PartFile> m_committed;   // renamed into place, until endCommit()
    Sha256 m_hash;
    std::unique_ptr<BackgroundHasher> m_hasher;   // big uploads; destroyed before m_hash
    bool m_hashingFellBehind = false;             // session thread
    bool m_roomyHasher = false;                   // holds the one MaxUnhashedBytes slot
    QByteArray m_sha256Hex;
    qint64 m_offset = 0;
    qint64 m_accepted = 0;     // bytes the part file holds once every accepted frame is written
    qint64 m_heldBefore = 0;   // bytes the part file held before this put (already counted as used)
    qint64 m_finalSize = 0;
    qint64 m_reservation = 0;
    bool m_ended = false;   // session thread
    bool m_settled = false;
};

} // namespace ferry
