#include "GroupSync.h"

#include <QFile>
#include <QHash>

#include <cerrno>
#include <condition_variable>
#include <memory>
#include <mutex>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ferry::GroupSync {

namespace {

// One key's requests and syncs, counted: a sync that starts after request n covers it.
struct SyncState {
    std::condition_variable changed;
    quint64 requested = 0;   // requests announced so far
    quint64 synced = 0;      // every request up to this one is durable
    bool syncing = false;
    int lastError = 0;       // of the sync that last ended
    int waiters = 0;
};

// The groups of one kind (folders, file systems). `sync(lone)` runs unlocked on the caller's thread; `lone`
// says that no other request is waiting, so the caller's own sync covers everything asked for.
template <typename Key>
class Groups {
public:
    template <typename Sync>
    int await(const Key &key, Sync &&sync)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        std::shared_ptr<SyncState> &slot = m_states[key];
        if (!slot)
            slot = std::make_shared<SyncState>();
        const std::shared_ptr<SyncState> state = slot;
        const quint64 mine = ++state->requested;
        ++state->waiters;
        int error = 0;
        for (;;) {
            if (state->synced >= mine) {
                error = state->lastError;
                break;
            }
            if (!state->syncing) {
                state->syncing = true;
                const quint64 covers = state->requested;   // every request announced before this sync starts
                const bool lone = state->waiters == 1;
                lock.unlock();
                const int result = sync(lone);
                lock.lock();
                state->syncing = false;
                state->lastError = result;
                state->synced = covers;
                state->changed.notify_all();
                continue;
            }
            state->changed.wait(lock);
        }
        if (--state->waiters == 0 && !state->syncing)
            m_states.remove(key);
        return error;
    }

private:
    std::mutex m_mutex;   // guards the map and every state in it
    QHash<Key, std::shared_ptr<SyncState>> m_states;
};

} // namespace

int afterWrites(int fd)
{
#ifdef Q_OS_UNIX
    struct stat info {};
    if (::fstat(fd, &info) != 0)
        return errno;
    static auto &fileSystems = *new Groups<quint64>;   // never destroyed: a pool thread may outlive main()
    return fileSystems.await(quint64(info.st_dev), [fd](bool lone) {
        // Alone (nobody else waiting), the file's own sync covers every request and is the least work; otherwise
        // one sync of the file system covers the group.
        return (lone ? ::fdatasync(fd) : ::syncfs(fd)) == 0 ? 0 : errno;
    });
#else
    Q_UNUSED(fd);
    return 0;
#endif
}

QList<int> syncData(const QList<int> &fds)
{
    QList<int> errors;
#ifdef Q_OS_UNIX
    if (fds.size() == 1) {
        errors.append(::fdatasync(fds.front()) == 0 ? 0 : errno);
        return errors;
    }
    QHash<quint64, int> synced;   // st_dev -> errno of its sync
    for (const int fd : fds) {
        struct stat info {};
        if (::fstat(fd, &info) != 0) {
            errors.append(errno);
            continue;
        }
        const quint64 device = quint64(info.st_dev);
        if (!synced.contains(device))
            synced.insert(device, ::syncfs(fd) == 0 ? 0 : errno);
        errors.append(synced.value(device));
    }
#else
    errors.fill(0, fds.size());
#endif
    return errors;
}

int afterRename(const QString &folder)
{
    static auto &folders = *new Groups<QString>;   // never destroyed: a pool thread may outlive main()
    return folders.await(folder, [&folder](bool) {
#ifdef Q_OS_UNIX
        const int fd = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return errno;
        const int result = ::fsync(fd) == 0 ? 0 : errno;
        ::close(fd);
        return result;
#else
        return 0;
#endif
    });
}

} // namespace ferry::GroupSync
