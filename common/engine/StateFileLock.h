#pragma once
// One running client owns a transfer queue file. Two clients sharing one file re-ran each other's jobs and
// emptied each other's queue, so a file is locked (QLockFile beside it) for as long as its owner runs.
// A second instance does not wait or share: it takes the first free alternative ("transfers-2.json", …)
// and keeps its own queue there. A lock left by a crashed instance is stale (its process is gone) and is
// taken over, so the crashed instance's queue comes back in the next one that starts.

#include <QLockFile>
#include <QString>

#include <memory>

namespace ferry {

class StateFileLock {
public:
    static constexpr int MaxInstances = 9;

    // Locks `preferred` or the first free alternative; nullptr when all of them are held or the folder
    // cannot hold a lock file.
    static std::unique_ptr<StateFileLock> acquire(const QString &preferred);
    // "transfers.json" -> "transfers-<n>.json" (n >= 2); n = 1 is `preferred` itself.
    static QString alternative(const QString &preferred, int n);

    QString path() const { return m_path; }

private:
    StateFileLock(const QString &path, std::unique_ptr<QLockFile> lock);

    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace ferry
