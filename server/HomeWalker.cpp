#include "HomeWalker.h"

#include "Protocol.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>

namespace ferry {

namespace {

// More links than this in one resolution is a loop (the kernel's own limit is 40).
constexpr int MaxLinks = 40;
// Folders a walk keeps open besides the home: a 2000-level path must not hold 2000 descriptors.
constexpr std::size_t MaxHeldFolders = 32;

// The messages are reasons, completed by the caller with the path ("Access to \"/x\" is denied: …").
Error outside()
{
    return Error::make(ErrorCode::PermissionDenied, QStringLiteral("it leads outside your home"));
}

Error refused(int error)
{
    if (error == EACCES || error == EPERM)
        return Error::make(ErrorCode::PermissionDenied, QStringLiteral("a folder on the way cannot be entered"));
    if (error == ELOOP)
        return outside();
    return Error::make(ErrorCode::IoError, QStringLiteral("a folder on the way cannot be read"));
}

QByteArray readLink(int folder, const char *name)
{
    QByteArray target(4096, Qt::Uninitialized);
    const ssize_t length = ::readlinkat(folder, name, target.data(), size_t(target.size()));
    if (length <= 0 || length >= target.size())
        return {};
    target.truncate(int(length));
    return target;
}

// False once the kernel (or a seccomp filter) refused openat2 itself: the component walk is used from then on.
std::atomic<bool> kernelWalksBeneath{true};

// The folder `folders` (plain names) lead to below `home`, opened by the kernel in one call that refuses
// every symlink and any step outside; -1 when it cannot (a link or a missing folder on the way, no openat2).
int openFolderBeneath(int home, const QByteArrayList &folders)
{
    if (!kernelWalksBeneath.load(std::memory_order_relaxed))
        return -1;
    open_how how {};
    how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    const QByteArray path = folders.join('/');
    const long fd = ::syscall(SYS_openat2, home, path.constData(), &how, sizeof how);
    if (fd < 0 && (errno == ENOSYS || errno == EPERM))
        kernelWalksBeneath.store(false, std::memory_order_relaxed);
    return int(fd);
}

} // namespace

void HomeWalker::setKernelWalksAllowed(bool allowed)
{
    kernelWalksBeneath.store(allowed, std::memory_order_relaxed);
}

void UniqueFd::reset(int fd)
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = fd;
}

HomeWalker::HomeWalker(const QString &homeFolder)
    : m_home(::open(QFile::encodeName(homeFolder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC))
{
    if (!m_home)
        return;
    // The home's real name, from the kernel: one readlink, not a canonicalisation of every component.
    const QByteArray real = readLink(AT_FDCWD, QByteArray("/proc/self/fd/" + QByteArray::number(m_home.get())).constData());
    m_realHome = real.startsWith('/') ? QFile::decodeName(real) : QDir(homeFolder).canonicalPath();
    m_homeNames = {QFile::encodeName(m_realHome), QFile::encodeName(QDir::cleanPath(QDir(homeFolder).absolutePath()))};
}

bool HomeWalker::belowHome(const QByteArray &absolute, QByteArrayList *components) const
{
    // By the home's name as written, never cleaned: the rest is walked, so its ".." stay physical.
    for (const QByteArray &home : m_homeNames) {
        const QByteArray prefix = home.endsWith('/') ? home : home + '/';
        if (absolute == home || absolute == prefix || absolute.startsWith(prefix)) {
            *components = absolute.mid(qMin(prefix.size(), absolute.size())).split('/');
            return true;
        }
    }
    return false;
}

bool HomeWalker::comesBackHome(std::deque<QByteArray> *todo) const
{
    // Above the home only the home's own real names lead back ("../alice/x" from alice's home): followed by
    // name, never through a link.
    const QByteArrayList home = QFile::encodeName(m_realHome).split('/');
    qsizetype at = home.size() - 1;   // the index of the name that leads one folder down: the home's own, first
    while (!todo->empty()) {
        const QByteArray part = todo->front();
        todo->pop_front();
        if (part.isEmpty() || part == ".")
            continue;
        if (part == "..") {
            at = qMax<qsizetype>(1, at - 1);
            continue;
        }
        if (at >= home.size() || part != home[at])
            return false;
        if (++at == home.size())
            return true;
    }
    return false;
}

Result<HomeEntry> HomeWalker::resolve(const QByteArrayList &segments, Final final) const
{
    if (!m_home)
        return Error::make(ErrorCode::IoError, QStringLiteral("the home folder is not available"));
    if (std::optional<HomeEntry> direct = resolveDirectly(segments, final))
        return std::move(*direct);
    HomeEntry entry;
    entry.folders.emplace_back(::fcntl(m_home.get(), F_DUPFD_CLOEXEC, 0));
    if (!entry.folders.back())
        return refused(errno);
    std::deque<QByteArray> todo(segments.cbegin(), segments.cend());
    int links = 0;
    while (!todo.empty()) {
        const QByteArray part = todo.front();
        todo.pop_front();
        if (part.isEmpty() || part == ".")
            continue;
        if (part == "..") {
            if (const Status up = goUp(&entry, &todo); !up)
                return up.error();
            continue;
        }
        const bool last = todo.empty();
        struct stat info {};
        if (::fstatat(entry.folder(), part.constData(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT)
                return refused(errno);
            markMissing(&entry, part, todo);
            return entry;
        }
        if (S_ISLNK(info.st_mode) && (!last || final == Final::Follow)) {
            if (const Status followed = followLink(&entry, part, &todo, &links); !followed)
                return followed.error();
            continue;
        }
        if (last) {
            entry.names.append(part);
            entry.exists = true;
            entry.info = info;
            return entry;
        }
        if (!S_ISDIR(info.st_mode)) {
            entry.unwalked = QByteArrayList{part} + QByteArrayList(todo.cbegin(), todo.cend());
            entry.blockedByFile = true;
            return entry;
        }
        if (const Status entered = enterFolder(&entry, part, &todo, &links); !entered)
            return entered.error();
    }
    if (const Status named = nameFinalFolder(&entry); !named)
        return named.error();
    return entry;
}

std::optional<HomeEntry> HomeWalker::resolveDirectly(const QByteArrayList &segments, Final final) const
{
    // Only plain names, and at least one folder to pass (a name in the home itself is one fstatat anyway).
    if (segments.size() < 2)
        return std::nullopt;
    for (const QByteArray &part : segments) {
        if (part.isEmpty() || part == "." || part == ".." || part.contains('/'))
            return std::nullopt;
    }
    const QByteArrayList folders = segments.first(segments.size() - 1);
    UniqueFd folder(openFolderBeneath(m_home.get(), folders));
    if (!folder)
        return std::nullopt;
    HomeEntry entry;
    // Only the last folder is kept: nothing walks back up from here (a copy of the home's descriptor, as the
    // component walk starts with, would cost two system calls per walk for nothing).
    entry.folders.resize(std::size_t(segments.size()) - 1);
    entry.folders.push_back(std::move(folder));
    entry.names = segments;
    if (::fstatat(entry.folder(), segments.last().constData(), &entry.info, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? std::optional<HomeEntry>(std::move(entry)) : std::nullopt;
    if (S_ISLNK(entry.info.st_mode) && final == Final::Follow)
        return std::nullopt;   // where the link leads is the component walk's to find out
    entry.exists = true;
    return entry;
}

Status HomeWalker::goUp(HomeEntry *entry, std::deque<QByteArray> *todo) const
{
    if (entry->names.isEmpty() && !comesBackHome(todo))
        return outside();
    if (!entry->names.isEmpty() && !leaveFolder(entry))
        return refused(EIO);
    return Status::success();
}

void HomeWalker::markMissing(HomeEntry *entry, const QByteArray &part, const std::deque<QByteArray> &todo)
{
    if (todo.empty())
        entry->names.append(part);   // the entry to create
    else
        entry->unwalked = QByteArrayList{part} + QByteArrayList(todo.cbegin(), todo.cend());
}

Status HomeWalker::followLink(HomeEntry *entry, const QByteArray &link, std::deque<QByteArray> *todo, int *links) const
{
    if (++*links > MaxLinks)
        return outside();
    const QByteArray target = readLink(entry->folder(), link.constData());
    if (target.isEmpty())
        return refused(EIO);
    QByteArrayList components = target.split('/');
    if (target.startsWith('/')) {
        if (!belowHome(target, &components))
            return outside();
        entry->folders.resize(1);
        entry->names.clear();
    }
    todo->insert(todo->begin(), components.cbegin(), components.cend());
    return Status::success();
}

Status HomeWalker::enterFolder(HomeEntry *entry, const QByteArray &part, std::deque<QByteArray> *todo, int *links)
{
    UniqueFd folder(::openat(entry->folder(), part.constData(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!folder) {
        // Replaced since the look (by a link, a file, nothing): look again, within the loop limit.
        if ((errno != ENOTDIR && errno != ELOOP && errno != ENOENT) || ++*links > MaxLinks)
            return refused(errno);
        todo->push_front(part);
        return Status::success();
    }
    entry->folders.push_back(std::move(folder));
    entry->names.append(part);
    if (entry->folders.size() > MaxHeldFolders + 1)
        entry->folders[entry->folders.size() - 1 - MaxHeldFolders].reset();
    return Status::success();
}

Status HomeWalker::nameFinalFolder(HomeEntry *entry) const
{
    // The walk ended on a folder (the home, or a link to a folder, or ".." last): name it in its parent.
    if (!entry->names.isEmpty()) {
        const QByteArray name = entry->names.last();
        if (!leaveFolder(entry))
            return refused(EIO);
        entry->names.append(name);
    }
    entry->exists = ::fstatat(entry->folder(), entry->name(), &entry->info, AT_SYMLINK_NOFOLLOW) == 0;
    return Status::success();
}

bool HomeWalker::leaveFolder(HomeEntry *entry) const
{
    entry->folders.pop_back();
    entry->names.removeLast();
    if (entry->folders.back())
        return true;
    // Every folder but the home was let go: open the deepest ones again, by the names walked (each a real
    // folder then; anything else now means it changed meanwhile).
    const std::size_t depth = entry->folders.size();
    UniqueFd passed;   // a folder on the way that is not kept
    int parent = entry->folders.front().get();
    for (std::size_t i = 1; i < depth; ++i) {
        UniqueFd folder(::openat(parent, entry->names[qsizetype(i) - 1].constData(),
                                 O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!folder)
            return false;
        parent = folder.get();
        if (i + MaxHeldFolders >= depth)
            entry->folders[i] = std::move(folder);
        else
            passed = std::move(folder);
    }
    return true;
}

QString HomeWalker::realLocation(const HomeEntry &entry) const
{
    for (const QByteArray &name : entry.unwalked) {
        if (name == "." || name == "..")
            return {};
    }
    return realLocation(entry.names + entry.unwalked);
}

QString HomeWalker::realLocation(const QByteArrayList &names) const
{
    QByteArray location = QFile::encodeName(m_realHome);
    for (const QByteArray &name : names) {
        if (!name.isEmpty())
            location += '/' + name;
    }
    return QFile::decodeName(location);
}

bool walkTree(UniqueFd folder, const TreeVisitor &visit, QByteArrayList path)
{
    DIR *dir = ::fdopendir(folder.get());
    if (!dir)
        return false;
    folder.release();   // closedir closes it
    bool complete = true;
    for (;;) {
        errno = 0;
        const struct dirent *item = ::readdir(dir);
        if (!item) {
            complete = complete && errno == 0;
            break;
        }
        const QByteArray name(item->d_name);
        if (name == "." || name == "..")
            continue;
        struct stat info {};
        if (::fstatat(::dirfd(dir), item->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
            complete = false;
            continue;
        }
        path.append(name);
        if (S_ISDIR(info.st_mode)) {
            UniqueFd child(::openat(::dirfd(dir), item->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            complete = (child && walkTree(std::move(child), visit, path)) && complete;
        }
        visit(::dirfd(dir), name, info, path);
        path.removeLast();
    }
    ::closedir(dir);
    return complete;
}

} // namespace ferry
