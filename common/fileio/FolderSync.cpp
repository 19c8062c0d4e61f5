#include "FolderSync.h"

#include <QFile>
#include <QHash>

#include <cerrno>
#include <condition_variable>
#include <memory>
#include <mutex>

#include <fcntl.h>
#include <unistd.h>

namespace ferry {

namespace {

// One folder's renames and syncs, counted: a sync that starts after rename n covers it.
struct FolderState {
    std::condition_variable changed;
    quint64 renamed = 0;      // renames announced so far
    quint64 synced = 0;       // every rename up to this one is durable
    bool syncing = false;
    int lastError = 0;        // of the sync that last ended
    int waiters = 0;
};

std::mutex g_mutex;   // guards the map and every state in it
QHash<QString, std::shared_ptr<FolderState>> g_folders;

int syncFolder(const QString &folder)
{
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    const int result = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return result;
#else
    Q_UNUSED(folder);
    return 0;
#endif
}

} // namespace

int FolderSync::afterRename(const QString &folder)
{
    std::unique_lock<std::mutex> lock(g_mutex);
    std::shared_ptr<FolderState> &slot = g_folders[folder];
    if (!slot)
        slot = std::make_shared<FolderState>();
    const std::shared_ptr<FolderState> state = slot;
    const quint64 mine = ++state->renamed;
    ++state->waiters;
    int error = 0;
    for (;;) {
        if (state->synced >= mine) {
            error = state->lastError;
            break;
        }
        if (!state->syncing) {
            state->syncing = true;
            const quint64 covers = state->renamed;   // every rename announced before this sync starts
            lock.unlock();
            const int result = syncFolder(folder);
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
        g_folders.remove(folder);
    return error;
}

} // namespace ferry
