#include "LocalStorage.h"

#include "Protocol.h"
#include "Sha256.h"

#include <QFile>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace ferry {

namespace {

QString quoted(const VirtualPath &path)
{
    return QLatin1Char('"') + path.toString() + QLatin1Char('"');
}

// Names clients never see: names the wire could not address (the server's own ".ferry-" files among them)
// and names that are not valid UTF-8 (they would not lead back to the file).
bool isHiddenName(const QByteArray &raw)
{
    const QString name = QFile::decodeName(raw);
    return VirtualPath::checkSegment(name).isError() || QFile::encodeName(name) != raw;
}

std::optional<EntryInfo> entryFor(const struct stat &info, const QString &name)
{
    if (!S_ISDIR(info.st_mode) && !S_ISREG(info.st_mode))
        return std::nullopt;
    EntryInfo entry;
    entry.name = name;
    entry.isDir = S_ISDIR(info.st_mode);
    entry.size = entry.isDir ? 0 : qint64(info.st_size);
    // Before 1970: 0 (PROTOCOL.md).
    entry.mtimeMs = qMax<qint64>(0, qint64(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1000000);
    return entry;
}

// An OS refusal in plain words: the code from errno when we have one.
Error osError(int error, const QString &what)
{
    switch (error) {
    case EACCES:
    case EPERM:
    case EROFS:
        return Error::make(ErrorCode::PermissionDenied, what + QStringLiteral(": permission denied."));
    case ENOENT:
        return Error::make(ErrorCode::NotFound, what + QStringLiteral(": it does not exist."));
    case EEXIST:
        return Error::make(ErrorCode::Exists, what + QStringLiteral(": the target already exists."));
    case ENOTEMPTY:
        return Error::make(ErrorCode::NotEmpty, what + QStringLiteral(": the folder is not empty."));
    case ENOTDIR:
        return Error::make(ErrorCode::NotADirectory, what + QStringLiteral(": a part of the path is not a folder."));
    case EISDIR:
        return Error::make(ErrorCode::IsADirectory, what + QStringLiteral(": the target is a folder."));
    default:
        return Error::make(ErrorCode::IoError, what + QStringLiteral(": the disk operation failed."));
    }
}

// readdir underneath: entries stream, the folder is never held in memory, and one folder descriptor
// is all a listing holds. A read error ends the listing with that error, never as if the folder ended.
class LocalDirectoryCursor : public DirectoryCursor {
public:
    LocalDirectoryCursor(DIR *folder, std::shared_ptr<const HomeWalker> walker, const QByteArrayList &names)
        : m_dir(folder), m_walker(std::move(walker)), m_names(names)
    {
    }
    ~LocalDirectoryCursor() override { ::closedir(m_dir); }

    std::optional<EntryInfo> next() override
    {
        for (;;) {
            errno = 0;
            const struct dirent *item = ::readdir(m_dir);
            if (!item) {
                if (errno != 0)
                    m_error = osError(errno, QStringLiteral("Cannot read the folder"));
                return std::nullopt;
            }
            const QByteArray raw(item->d_name);
            if (raw == "." || raw == ".." || isHiddenName(raw))
                continue;
            struct stat info {};   // stat, never open: fifos stay shut
            if (::fstatat(::dirfd(m_dir), item->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0)
                continue;
            if (S_ISLNK(info.st_mode)) {
                // Shown as its target when that is inside the home and exists.
                const Result<HomeEntry> target = m_walker->resolve(m_names + QByteArrayList{raw}, HomeWalker::Final::Follow);
                if (!target || !target->exists)
                    continue;
                info = target->info;
            }
            if (std::optional<EntryInfo> entry = entryFor(info, QFile::decodeName(raw)))
                return entry;
        }
    }
    Status error() const override { return m_error; }

private:
    DIR *m_dir;
    std::shared_ptr<const HomeWalker> m_walker;
    QByteArrayList m_names;   // the folder's real names from the home
    Status m_error;
};

QByteArrayList rawSegments(const VirtualPath &path)
{
    QByteArrayList segments;
    for (const QString &segment : path.segments())
        segments.append(QFile::encodeName(segment));
    return segments;
}

// rename(2) that never replaces: Linux's renameat2(RENAME_NOREPLACE), elsewhere check-then-rename.
int renameNoReplace(int fromFolder, const char *from, int toFolder, const char *to)
{
#if defined(Q_OS_LINUX) && defined(RENAME_NOREPLACE)
    if (::renameat2(fromFolder, from, toFolder, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
#endif
    struct stat info {};
    if (::fstatat(toFolder, to, &info, AT_SYMLINK_NOFOLLOW) == 0) {
        errno = EEXIST;
        return -1;
    }
    return ::renameat(fromFolder, from, toFolder, to);
}

// Whether a folder counts as empty: nothing in it but the server's own regular ".ferry-" files.
bool holdsOnlyServerFiles(int folder)
{
    const int fd = ::openat(folder, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir = fd >= 0 ? ::fdopendir(fd) : nullptr;
    if (!dir) {
        if (fd >= 0)
            ::close(fd);
        return false;
    }
    bool onlyOurs = true;
    while (const struct dirent *item = ::readdir(dir)) {
        const QByteArray name(item->d_name);
        if (name == "." || name == "..")
            continue;
        struct stat info {};
        if (!name.startsWith(QByteArray(ReservedPrefix.data(), ReservedPrefix.size())) || ::fstatat(::dirfd(dir), item->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0
            || !S_ISREG(info.st_mode)) {
            onlyOurs = false;
            break;
        }
    }
    ::closedir(dir);
    return onlyOurs;
}

// Removes everything below the open folder, never following a link. Returns the bytes freed; `complete`
// false when something stayed.
qint64 removeContents(UniqueFd folder, bool *complete)
{
    qint64 freed = 0;
    *complete = true;
    const bool read = walkTree(std::move(folder), [&](int parent, const QByteArray &name, const struct stat &info, const QByteArrayList &) {
        const bool isFolder = S_ISDIR(info.st_mode);
        if (::unlinkat(parent, name.constData(), isFolder ? AT_REMOVEDIR : 0) != 0)
            *complete = false;
        else if (S_ISREG(info.st_mode))
            freed += info.st_size;
    });
    *complete = read && *complete;
    return freed;
}

} // namespace

QString LocalStorage::partFileName(const QString &targetName)
{
    const QString plain = QString(PartFilePrefix) + targetName;
    if (plain.toUtf8().size() <= Limits::MaxSegmentBytes)
        return plain;
    return QString(PartFilePrefix) + QString::fromLatin1(Sha256::hex(targetName.toUtf8()));
}

LocalHome::LocalHome(const QString &homeFolder) : m_walker(std::make_shared<HomeWalker>(homeFolder)) {}

Result<HomeEntry> LocalHome::locate(const VirtualPath &path, HomeWalker::Final final) const
{
    Result<HomeEntry> entry = m_walker->resolve(rawSegments(path), final);
    if (!entry) {
        const QString format = entry.error().code == ErrorCode::PermissionDenied
            ? QStringLiteral("Access to %1 is denied: %2.") : QStringLiteral("Cannot reach %1: %2.");
        return Error{entry.error().code, format.arg(quoted(path), entry.error().message), {}};
    }
    // Acting on a link itself still needs it to lead inside: its real location is where it leads (WIRE.md).
    if (final == HomeWalker::Final::NoFollow && entry->exists && S_ISLNK(entry->info.st_mode)) {
        Result<HomeEntry> target = locate(path, HomeWalker::Final::Follow);
        if (!target)
            return target.error();
    }
    return entry;
}

Result<HomeEntry> LocalHome::locateReached(const VirtualPath &path, HomeWalker::Final final) const
{
    Result<HomeEntry> entry = locate(path, final);
    if (entry && !entry->reached())
        return missing(path, *entry);
    return entry;
}

Error LocalHome::missing(const VirtualPath &path, const HomeEntry &entry)
{
    if (entry.blockedByFile)
        return Error::make(ErrorCode::NotADirectory,
                           QStringLiteral("Cannot reach %1: a part of the path is not a folder.").arg(quoted(path)));
    if (!entry.reached())
        return Error::make(ErrorCode::NotFound, QStringLiteral("Cannot reach %1: the folder %2 does not exist.")
                                                    .arg(quoted(path), quoted(path.parent())));
    return Error::make(ErrorCode::NotFound, QStringLiteral("%1 does not exist.").arg(quoted(path)));
}

Result<EntryInfo> LocalHome::stat(const VirtualPath &path) const
{
    Result<HomeEntry> entry = locateReached(path, HomeWalker::Final::Follow);
    if (!entry)
        return entry.error();
    if (!entry->exists)
        return missing(path, *entry);
    std::optional<EntryInfo> info = entryFor(entry->info, path.isRoot() ? QStringLiteral("/") : path.name());
    if (!info)
        return Error::make(ErrorCode::PermissionDenied,
                           QStringLiteral("%1 is not a regular file or folder.").arg(quoted(path)));
    return *info;
}

Result<UploadTarget> LocalHome::uploadTarget(const VirtualPath &target) const
{
    if (!target.isRoot()) {
        Result<HomeEntry> entry = m_walker->resolve(rawSegments(target), HomeWalker::Final::Follow);
        // Reached: every folder on the way is a folder, the parent among them.
        if (entry && entry->reached() && !entry->isHome()) {
            UploadTarget found;
            if (entry->exists)
                found.existing = entryFor(entry->info, target.name());
            if (!entry->exists || found.existing) {
                found.lockKey = m_walker->realLocation(*entry);
                auto place = std::make_shared<Place>();
                place->name = entry->names.last();
                place->folder = std::move(entry->folders.back());
                found.place = std::move(place);
                return found;
            }
        }
    }
    return StorageHome::uploadTarget(target);
}

Result<std::unique_ptr<DirectoryCursor>> LocalHome::openDirectory(const VirtualPath &path) const
{
    Result<HomeEntry> entry = locateReached(path, HomeWalker::Final::Follow);
    if (!entry)
        return entry.error();
    if (!entry->exists)
        return missing(path, *entry);
    if (!S_ISDIR(entry->info.st_mode))
        return Error::make(ErrorCode::NotADirectory, QStringLiteral("%1 is not a folder.").arg(quoted(path)));
    const int fd = ::openat(entry->folder(), entry->name(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *folder = fd >= 0 ? ::fdopendir(fd) : nullptr;
    if (!folder) {
        const int error = errno;
        if (fd >= 0)
            ::close(fd);
        if (error == EACCES || error == EPERM)
            return Error::make(ErrorCode::PermissionDenied,
                               QStringLiteral("The folder %1 cannot be read: permission denied.").arg(quoted(path)));
        return osError(error, QStringLiteral("Cannot list %1").arg(quoted(path)));
    }
    return std::unique_ptr<DirectoryCursor>(new LocalDirectoryCursor(folder, m_walker, entry->names));
}

Status LocalHome::makeDirectory(const VirtualPath &path, bool parents)
{
    Result<HomeEntry> entry = locate(path, HomeWalker::Final::NoFollow);
    if (!entry)
        return entry.error();
    if (entry->exists) {
        // A link to a folder is that folder for `parents`; anything else already there is `exists`.
        if (parents) {
            Result<HomeEntry> target = locate(path, HomeWalker::Final::Follow);
            if (target && target->exists && S_ISDIR(target->info.st_mode))
                return Status::success();
        }
        return Error::make(ErrorCode::Exists, QStringLiteral("%1 already exists.").arg(quoted(path)));
    }
    if (!entry->reached()) {
        if (!parents || entry->blockedByFile)
            return missing(path, *entry);
        const Status parent = makeDirectory(path.parent(), true);
        if (!parent)
            return parent;
        return makeDirectory(path, false);
    }
    if (::mkdirat(entry->folder(), entry->name(), 0755) != 0) {
        if (errno == EEXIST && parents)
            return makeDirectory(path, true);   // made meanwhile: fine if it is a folder
        return osError(errno, QStringLiteral("Cannot create %1").arg(quoted(path)));
    }
    return Status::success();
}

Result<qint64> LocalHome::rename(const VirtualPath &from, const VirtualPath &to, bool overwrite)
{
    const QString what = QStringLiteral("Cannot rename %1 to %2").arg(quoted(from), quoted(to));
    if (from.isRoot() || to.isRoot())
        return Error::make(ErrorCode::PermissionDenied, what + QStringLiteral(": the home folder cannot be renamed or replaced."));
    if (from.contains(to) && from != to)
        return Error::make(ErrorCode::InvalidPath, what + QStringLiteral(": a folder cannot move into itself."));

    Result<HomeEntry> source = locateReached(from, HomeWalker::Final::NoFollow);
    if (!source)
        return source.error();
    Result<HomeEntry> target = locate(to, HomeWalker::Final::NoFollow);
    if (!target)
        return target.error();
    if (!source->exists)
        return missing(from, *source);
    if (!target->reached())
        return missing(to, *target);
    if (source->isHome() || target->isHome())
        return Error::make(ErrorCode::PermissionDenied, what + QStringLiteral(": the home folder cannot be renamed or replaced."));
    if (m_walker->realLocation(*source) == m_walker->realLocation(*target))
        return qint64(0);  // the same entry under another name (through a link): nothing to do
    // Symlinks can hide that the target folder lies inside the source: compare where both really are.
    if (S_ISDIR(source->info.st_mode)
        && m_walker->realLocation(*target).startsWith(m_walker->realLocation(*source) + QLatin1Char('/')))
        return Error::make(ErrorCode::InvalidPath, what + QStringLiteral(": a folder cannot move into itself."));

    if (!target->exists) {
        if (renameNoReplace(source->folder(), source->name(), target->folder(), target->name()) != 0)
            return osError(errno, what);
        return qint64(0);
    }
    if (!overwrite)
        return Error::make(ErrorCode::Exists, what + QStringLiteral(": the target already exists."));
    if (S_ISDIR(source->info.st_mode))
        return Error::make(ErrorCode::Exists, what + QStringLiteral(": a folder never replaces an existing name."));
    if (S_ISDIR(target->info.st_mode))
        return Error::make(ErrorCode::IsADirectory, what + QStringLiteral(": the target is a folder."));
    if (S_ISLNK(target->info.st_mode)) {
        // Replacing a link that names a folder would leave that folder; it is a folder to the client.
        Result<HomeEntry> followed = locate(to, HomeWalker::Final::Follow);
        if (followed && followed->exists && S_ISDIR(followed->info.st_mode))
            return Error::make(ErrorCode::IsADirectory, what + QStringLiteral(": the target is a folder."));
    }
    const qint64 freed = S_ISREG(target->info.st_mode) ? qint64(target->info.st_size) : 0;
    if (::renameat(source->folder(), source->name(), target->folder(), target->name()) != 0)
        return osError(errno, what);
    return freed;
}

Result<qint64> LocalHome::remove(const VirtualPath &path, bool recursive)
{
    if (path.isRoot())
        return Error::make(ErrorCode::PermissionDenied, QStringLiteral("The home folder itself cannot be removed."));
    Result<HomeEntry> entry = locateReached(path, HomeWalker::Final::NoFollow);
    if (!entry)
        return entry.error();
    if (!entry->exists)
        return missing(path, *entry);
    if (entry->isHome())
        return Error::make(ErrorCode::PermissionDenied, QStringLiteral("The home folder itself cannot be removed."));
    const QString what = QStringLiteral("Cannot remove %1").arg(quoted(path));

    if (!S_ISDIR(entry->info.st_mode)) {
        if (::unlinkat(entry->folder(), entry->name(), 0) != 0)
            return osError(errno, what);
        return S_ISREG(entry->info.st_mode) ? qint64(entry->info.st_size) : 0;
    }
    UniqueFd folder(::openat(entry->folder(), entry->name(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!folder)
        return osError(errno, what);
    if (!recursive) {
        if (!holdsOnlyServerFiles(folder.get()))
            return Error::make(ErrorCode::NotEmpty, what + QStringLiteral(": the folder is not empty."));
    }
    bool complete = false;
    const qint64 freed = removeContents(std::move(folder), &complete);
    if (!complete || ::unlinkat(entry->folder(), entry->name(), AT_REMOVEDIR) != 0)
        return osError(complete ? errno : EIO, QStringLiteral("Cannot remove everything in %1").arg(quoted(path)));
    return freed;
}

qint64 LocalHome::usage() const
{
    if (!m_walker->isOpen())
        return 0;
    qint64 total = 0;
    walkTree(UniqueFd(::openat(m_walker->homeFd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)),
             [&](int, const QByteArray &name, const struct stat &info, const QByteArrayList &) {
                 if (S_ISREG(info.st_mode) && !name.startsWith(TrashFilePrefix))
                     total += info.st_size;
             });
    return total;
}

} // namespace ferry
