#pragma once
// Seam: where users' homes live. Today the local disk (LocalStorage); a distributed file system or
// object store later. The storage hands out no real paths: a session gets a home handle and works on
// virtual paths; file contents go through ReadFile and PartFile objects. Every operation enforces the
// jail: nothing outside the user's home is reachable, symlinks resolved.

#include "Result.h"
#include "VirtualPath.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace ferry {

class Sha256;

struct EntryInfo {
    QString name;
    bool isDir = false;
    qint64 size = 0;
    qint64 mtimeMs = 0;   // never negative: files older than 1970 report 0 (PROTOCOL.md)

    // {"name","type":"file"|"dir","size","mtime"}
    QJsonObject toJson() const;
    // Bytes toJson() takes in compact JSON, at most (exact but for control characters in the name), without
    // making it: a listing page is filled up to the header limit by this.
    qint64 compactJsonBytesAtMost() const;
};

// Streams a folder's entries; part files, special files and symlinks leading outside are skipped.
class DirectoryCursor {
public:
    virtual ~DirectoryCursor() = default;
    // The next entry; nullopt at the end or after a read error (then error() tells which).
    virtual std::optional<EntryInfo> next() = 0;
    virtual Status error() const { return Status::success(); }
};

// A regular file open for reading (never a pipe, socket or device).
class ReadFile {
public:
    virtual ~ReadFile() = default;
    virtual qint64 size() const = 0;
    virtual qint64 mtimeMs() const = 0;
    // `length` bytes at `offset`, fewer only at the end of the file; -1 on a read error. Into memory from
    // CacheAwareReader::bufferFor, a big file the page cache does not hold is read around it.
    virtual qint64 readAt(char *data, qint64 length, qint64 offset) = 0;
    // The whole-file SHA-256 remembered at upload or after a full read, when it still matches size and mtime;
    // else empty.
    virtual QByteArray knownSha256() = 0;
    // Remembers `sha256Hex`, computed by the caller from a full read of this open file, so that later downloads
    // and stats need not hash it (best effort: with the file, or for the life of the process when the file cannot
    // carry it). Kept only when the file did not change while open, and its mtime is at least SettledMtimeMs
    // older than the moment it was opened: a change within the mtime's granularity could otherwise hide behind
    // an unchanged size and mtime (git's "racily clean" files).
    virtual void rememberSha256(const QByteArray &sha256Hex) = 0;
    static constexpr qint64 SettledMtimeMs = 3000;
};

// An upload's part file beside its target. Dropping the object keeps the part file (for a resume).
class PartFile {
public:
    virtual ~PartFile() = default;
    virtual qint64 size() const = 0;                    // bytes it holds
    virtual Status hashContents(Sha256 &hash) = 0;      // what it already holds (a resumed put)
    virtual Status append(const QByteArray &bytes) = 0;
    virtual Status finishWrites() = 0;                  // queued writes done (before sync/commit)
    virtual Status sync() = 0;                          // its data durable
    virtual void setMtime(qint64 mtimeMs) = 0;
    virtual void setKnownSha256(const QByteArray &sha256Hex) = 0;
    // Moves it into place under the target's name. replace false: `exists` when the name is taken.
    // Returns the size of the file it replaced (0 when none).
    virtual Result<qint64> commit(bool replace) = 0;
    // Makes the commits in its folder durable (one call per folder suffices for a group).
    virtual void syncFolder() = 0;
    // An id shared by part files in the same folder, for syncing each folder once.
    virtual QString folderId() const = 0;
    virtual void discard() = 0;                         // deletes it
};

// Where a storage found an upload's target: its own, for openPart (so the part file is made where the look was).
class TargetPlace {
public:
    virtual ~TargetPlace() = default;
};

// What an upload needs to know about its target before it starts (StorageHome::uploadTarget).
struct UploadTarget {
    std::optional<EntryInfo> existing;   // what is at the target now (a file or a folder), if anything
    QString lockKey;                     // lockKey of the target
    std::shared_ptr<TargetPlace> place;  // may be null (the default uploadTarget has none)
};

// One user's home: every path is a virtual path inside it.
class StorageHome {
public:
    enum class PartMode { Truncate, Keep };

    virtual ~StorageHome() = default;
    virtual Result<EntryInfo> stat(const VirtualPath &path) const = 0;
    virtual Result<std::unique_ptr<DirectoryCursor>> openDirectory(const VirtualPath &path) const = 0;
    virtual Status makeDirectory(const VirtualPath &path, bool parents) = 0;
    // Returns the bytes freed (the size of a replaced file).
    virtual Result<qint64> rename(const VirtualPath &from, const VirtualPath &to, bool overwrite) = 0;
    // Returns the bytes freed (all files removed, part files included).
    virtual Result<qint64> remove(const VirtualPath &path, bool recursive) = 0;
    // Bytes the home holds: all files, part files included (the quota usage).
    virtual qint64 usage() const = 0;

    // A regular file for reading; special files are permission_denied and never opened.
    virtual Result<std::unique_ptr<ReadFile>> openRead(const VirtualPath &path) = 0;
    // Bytes the part file of `target` holds now (0 when it has none).
    virtual qint64 partSize(const VirtualPath &target) const = 0;
    // The part file of `target` (created when missing; Truncate empties it). `found`: what uploadTarget() said
    // of it just before, or null; a storage may open the part file where that look was instead of looking again.
    virtual Result<std::unique_ptr<PartFile>> openPart(const VirtualPath &target, PartMode mode,
                                                       const UploadTarget *found = nullptr) = 0;
    // Deletes part files no put touched for `lifetimeMs`, except those whose target `isLocked`.
    // Returns the bytes freed.
    virtual qint64 removeStaleParts(qint64 lifetimeMs,
                                    const std::function<bool(const QString &lockKey)> &isLocked) = 0;

    // An opaque key naming what `path` designates (aliases through symlinks share it); the keys of the
    // paths below a folder extend the folder's key with "/". For upload locks, not a file name.
    virtual QString lockKey(const VirtualPath &path) const = 0;
    // Durability for many commits at once (a file-system sync); false when unsupported.
    virtual bool syncAll() = 0;

    // The target's parent must be a folder: stat()'s error for it, or not_a_directory; then stat()'s error for
    // the target itself unless it is only not_found; else what is there and its lock key (the part file's size is
    // openPart's: a look at it here would be a second). This default asks stat and lockKey; a storage may find it
    // all in one look.
    virtual Result<UploadTarget> uploadTarget(const VirtualPath &target) const;
};

class Storage {
public:
    virtual ~Storage() = default;
    virtual Result<std::shared_ptr<StorageHome>> openHome(const QString &user) = 0;
    virtual Status createHome(const QString &user) = 0;
    virtual Status removeHome(const QString &user) = 0;
};

} // namespace ferry
