#pragma once
// MemoryStorage's insides, shared by MemoryStorage.cpp (homes, folders and names) and MemoryFiles.cpp (reads and
// part files). Every function here expects the tree's lock to be held.

#include "MemoryStorage.h"

namespace ferry::test {

// A file's bytes and times. Shared like an inode by the tree, open ReadFiles and PartFiles: a download keeps
// reading the version it opened after a commit replaced it, and a part file's writes follow it wherever it is.
struct MemoryFile {
    QByteArray bytes;
    qint64 mtimeMs = 0;
    quint64 changes = 0;   // counts changes of the bytes or the mtime, like ctime whatever the mtime says
    // What setKnownSha256() or rememberSha256() remembered, with the size and mtime the file had then.
    QByteArray sha256;
    qint64 sha256Size = -1;
    qint64 sha256MtimeMs = -1;
};

struct MemoryFolder;

// An entry of a folder: a folder or a file.
struct MemoryNode {
    std::shared_ptr<MemoryFolder> folder;
    std::shared_ptr<MemoryFile> file;
    bool isDir() const { return bool(folder); }
};

struct MemoryFolder {
    qint64 mtimeMs = 0;
    std::map<QString, MemoryNode> entries;                  // what a listing shows, in name order
    std::map<QString, std::shared_ptr<MemoryFile>> parts;   // part files, by their target's name: never listed
};

// One home: its tree, the lock that guards the tree and every file in it, and the storage's clock.
struct MemoryTree {
    QString user;
    MemoryNode home;
    std::shared_ptr<const MemoryClock> clock;
    mutable QMutex mutex;

    qint64 now() const { return clock->nowMs(); }
    // The lock key of the home; a path's key appends the path (so a folder's key prefixes its entries' keys).
    QString homeKey() const { return QStringLiteral("memory:") + user; }
};

// Where a path leads: the folder that holds the entry (null for the home itself) and the entry, when it exists.
struct MemorySpot {
    std::shared_ptr<MemoryFolder> folder;
    QString name;
    const MemoryNode *node = nullptr;

    bool isHome() const { return !folder; }
};

// The folders on the way must exist; not_found or not_a_directory otherwise (LocalStorage's codes).
Result<MemorySpot> findSpot(const MemoryTree &tree, const VirtualPath &path);
// findSpot(), and the entry itself must exist too (not_found).
Result<MemorySpot> findEntry(const MemoryTree &tree, const VirtualPath &path);
Error unreachable(const VirtualPath &path);   // a folder on the way is missing
Error blocked(const VirtualPath &path);       // a folder on the way is a file
Error missing(const VirtualPath &path);       // the entry itself is missing
QString quoted(const VirtualPath &path);

// One home of a MemoryStorage; handles of the same home share its tree.
class MemoryHome : public StorageHome {
public:
    explicit MemoryHome(std::shared_ptr<MemoryTree> tree) : m_tree(std::move(tree)) {}

    Result<EntryInfo> stat(const VirtualPath &path) const override;
    Result<std::unique_ptr<DirectoryCursor>> openDirectory(const VirtualPath &path) const override;
    Status makeDirectory(const VirtualPath &path, bool parents) override;
    Result<qint64> rename(const VirtualPath &from, const VirtualPath &to, bool overwrite) override;
    Result<qint64> remove(const VirtualPath &path, bool recursive) override;
    qint64 usage() const override;

    Result<std::unique_ptr<ReadFile>> openRead(const VirtualPath &path) override;
    qint64 partSize(const VirtualPath &target) const override;
    Result<std::unique_ptr<PartFile>> openPart(const VirtualPath &target, PartMode mode,
                                               const UploadTarget *found = nullptr) override;
    qint64 removeStaleParts(qint64 lifetimeMs, const std::function<bool(const QString &)> &isLocked) override;
    QString lockKey(const VirtualPath &path) const override;
    bool syncAll() override { return true; }   // nothing to make durable

private:
    std::shared_ptr<MemoryTree> m_tree;
};

} // namespace ferry::test
