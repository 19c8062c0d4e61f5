#pragma once
// Test support: a Storage that keeps every home in memory (folders, files with their bytes, mtimes and the
// SHA-256 remembered at upload, part files), for unit tests and for sessions that must not touch a disk. It keeps
// the contract of server/Storage.h with LocalStorage's error codes and rules (tst_storagecontract and
// tst_storagefiles run the same cases on both); the session cannot tell it from the real one.
//
// There are no symlinks, special files or names the wire cannot address in memory: what LocalStorage says
// about those has nothing to apply to here. Thread-safe: one lock per home guards its tree and file bytes.

#include "Storage.h"

#include <QMutex>

#include <atomic>
#include <map>

namespace ferry::test {

struct MemoryTree;

// The storage's notion of now: the wall clock, moved ahead on request so part files age without waiting.
class MemoryClock {
public:
    qint64 nowMs() const;
    void advance(qint64 ms) { m_offsetMs += ms; }

private:
    std::atomic<qint64> m_offsetMs{0};
};

class MemoryStorage : public Storage {
public:
    MemoryStorage();
    ~MemoryStorage() override;

    Result<std::shared_ptr<StorageHome>> openHome(const QString &user) override;
    Status createHome(const QString &user) override;
    Status removeHome(const QString &user) override;

    // Time passes for this storage: part files age by `ms` (removeStaleParts), and what changes next is
    // stamped that much later.
    void passTime(qint64 ms) { m_clock->advance(ms); }
    // What someone editing a file behind ferryd's back does: new bytes and mtime in the same file, and a SHA-256
    // remembered from its upload stays (and no longer matches). not_found when there is no such file.
    Status alterFile(const QString &user, const VirtualPath &path, const QByteArray &bytes, qint64 mtimeMs);

private:
    std::shared_ptr<MemoryTree> tree(const QString &user) const;

    std::shared_ptr<MemoryClock> m_clock;
    mutable QMutex m_mutex;   // for the map; each tree has its own lock
    std::map<QString, std::shared_ptr<MemoryTree>> m_homes;
};

} // namespace ferry::test
