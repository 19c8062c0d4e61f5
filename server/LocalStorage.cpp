#include "LocalStorage.h"

#include "Protocol.h"
#include "Sha256.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#endif

namespace ferry {

namespace {

// More links than this in one resolution is a loop (the kernel's own limit is 40).
constexpr int MaxLinkDepth = 40;

QString quoted(const VirtualPath &path)
{
    return QLatin1Char('"') + path.toString() + QLatin1Char('"');
}

bool isInside(const QString &real, const QString &realHome)
{
    if (realHome == QLatin1String("/"))
        return real.startsWith(QLatin1Char('/'));
    return real == realHome || real.startsWith(realHome + QLatin1Char('/'));
}

// What a dangling symlink names, verbatim (Qt 6.4's symLinkTarget() cleans ".." lexically, which is
// wrong when a component before the ".." is itself a link).
QString rawLinkTarget(const QString &link)
{
#ifdef Q_OS_UNIX
    QByteArray buffer(4096, Qt::Uninitialized);
    const ssize_t length = ::readlink(QFile::encodeName(link).constData(), buffer.data(), buffer.size());
    if (length <= 0 || length >= buffer.size())
        return {};
    buffer.truncate(length);
    return QFile::decodeName(buffer);
#else
    Q_UNUSED(link);
    return {};
#endif
}

// The real location of an absolute path, symlinks resolved, also when its tail does not exist: the deepest
// existing ancestor is canonicalised and the rest appended; a dangling link is followed by hand.
// Empty when it cannot be known (link loop, unreadable link, "." or ".." below a missing folder).
QString realLocation(const QString &absolute, int depth = 0)
{
    QString existing = absolute;
    QStringList rest;
    QString base;
    for (;;) {
        const QFileInfo info(existing);
        if (info.exists()) {
            base = info.canonicalFilePath();
            break;
        }
        if (info.isSymLink()) {
            QString target = rawLinkTarget(existing);
            if (target.isEmpty() || depth >= MaxLinkDepth)
                return {};
            if (!target.startsWith(QLatin1Char('/')))
                target = info.path() + QLatin1Char('/') + target;
            base = realLocation(target, depth + 1);
            break;
        }
        const QString parent = info.path();
        if (parent == existing || existing.isEmpty())
            return {};
        rest.prepend(info.fileName());
        existing = parent;
    }
    if (base.isEmpty())
        return {};
    for (const QString &segment : std::as_const(rest)) {
        if (segment.isEmpty())
            continue;
        if (segment == QLatin1String(".") || segment == QLatin1String(".."))
            return {};
        base += (base.endsWith(QLatin1Char('/')) ? QString() : QStringLiteral("/")) + segment;
    }
    return base;
}

QString deepestExisting(QString real)
{
    while (!QFileInfo::exists(real) && real != QLatin1String("/"))
        real = QFileInfo(real).path();
    return real;
}

// Names clients never see: the server's own files and names the wire could not address.
bool isHiddenName(const QString &folder, const QString &name)
{
    if (VirtualPath::checkSegment(name).isError())
        return true;
    // An undecodable on-disk name comes back with U+FFFD and would not lead back to the file.
    return name.contains(QChar(QChar::ReplacementCharacter))
        && !QFileInfo(folder + QLatin1Char('/') + name).isSymLink()
        && !QFileInfo::exists(folder + QLatin1Char('/') + name);
}

std::optional<EntryInfo> entryFor(const QFileInfo &info, const QString &name)
{
    if (!info.isDir() && !info.isFile())
        return std::nullopt;
    EntryInfo entry;
    entry.name = name;
    entry.isDir = info.isDir();
    entry.size = entry.isDir ? 0 : info.size();
    entry.mtimeMs = qMax<qint64>(0, info.lastModified().toMSecsSinceEpoch());   // before 1970: 0 (PROTOCOL.md)
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

// Without errno (Qt calls): the folder not writable is the usual reason.
Error refusal(const QString &realFolder, const QString &what)
{
    return osError(QFileInfo(realFolder).isWritable() ? EIO : EACCES, what);
}

// rename(2) that never replaces: Linux's renameat2(RENAME_NOREPLACE), elsewhere check-then-rename.
bool renameNoReplace(const QString &from, const QString &to)
{
#if defined(Q_OS_LINUX) && defined(RENAME_NOREPLACE)
    if (::renameat2(AT_FDCWD, QFile::encodeName(from).constData(), AT_FDCWD,
                    QFile::encodeName(to).constData(), RENAME_NOREPLACE) == 0)
        return true;
    if (errno != EINVAL && errno != ENOSYS)
        return false;
#endif
    const QFileInfo target(to);
    if (target.exists() || target.isSymLink()) {
        errno = EEXIST;
        return false;
    }
    return std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0;
}

// readdir underneath: entries stream, the folder is never held in memory, and one folder descriptor
// is all a listing holds. A read error ends the listing with that error, never as if the folder ended.
class LocalDirectoryCursor : public DirectoryCursor {
public:
    LocalDirectoryCursor(DIR *folder, const QString &realFolder, const QString &realHome)
        : m_dir(folder), m_folder(realFolder), m_realHome(realHome)
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
            const QString name = QFile::decodeName(item->d_name);
            if (name == QLatin1String(".") || name == QLatin1String("..") || isHiddenName(m_folder, name))
                continue;
            const QFileInfo info(m_folder + QLatin1Char('/') + name);   // stat, never open: fifos stay shut
            if (info.isSymLink()) {
                const QString real = realLocation(info.absoluteFilePath());
                if (real.isEmpty() || !isInside(real, m_realHome))
                    continue;
            }
            if (std::optional<EntryInfo> entry = entryFor(info, name))
                return entry;
        }
    }
    Status error() const override { return m_error; }

private:
    DIR *m_dir;
    QString m_folder;
    QString m_realHome;
    Status m_error;
};

} // namespace

QString LocalStorage::partFileName(const QString &targetName)
{
    const QString plain = QString(PartFilePrefix) + targetName;
    if (plain.toUtf8().size() <= Limits::MaxSegmentBytes)
        return plain;
    return QString(PartFilePrefix) + QString::fromLatin1(Sha256::hex(targetName.toUtf8()));
}

Result<LocalHome::Location> LocalHome::locate(const VirtualPath &path) const
{
    const QString realHome = QFileInfo(m_home).canonicalFilePath();
    if (realHome.isEmpty() || !QFileInfo(realHome).isDir())
        return Error::make(ErrorCode::IoError, QStringLiteral("The home folder is not available."));
    if (path.isRoot())
        return Location{realHome, realHome, realHome};

    const Error denied = Error::make(ErrorCode::PermissionDenied,
                                     QStringLiteral("Access to %1 is denied: it leads outside your home.")
                                         .arg(quoted(path)));
    const VirtualPath parentPath = path.parent();
    const QString parent = parentPath.isRoot()
        ? realHome
        : realLocation(realHome + QLatin1Char('/') + parentPath.segments().join(QLatin1Char('/')));
    if (parent.isEmpty() || !isInside(parent, realHome))
        return denied;
    Location location{parent, parent + QLatin1Char('/') + path.name(), QString()};
    location.target = realLocation(location.entry);
    if (location.target.isEmpty() || !isInside(location.target, realHome))
        return denied;
    return location;
}

Error LocalHome::missing(const VirtualPath &path, const Location &location)
{
    const QString existing = deepestExisting(location.parent);
    if (!QFileInfo(existing).isDir())
        return Error::make(ErrorCode::NotADirectory,
                           QStringLiteral("Cannot reach %1: a part of the path is not a folder.").arg(quoted(path)));
    if (existing != location.parent)
        return Error::make(ErrorCode::NotFound, QStringLiteral("Cannot reach %1: the folder %2 does not exist.")
                                                    .arg(quoted(path), quoted(path.parent())));
    return Error::make(ErrorCode::NotFound, QStringLiteral("%1 does not exist.").arg(quoted(path)));
}

Result<EntryInfo> LocalHome::stat(const VirtualPath &path) const
{
    Result<Location> location = locate(path);
    if (!location)
        return location.error();
    const QFileInfo info(location->target);
    if (!info.exists())
        return missing(path, *location);
    std::optional<EntryInfo> entry = entryFor(info, path.isRoot() ? QStringLiteral("/") : path.name());
    if (!entry)
        return Error::make(ErrorCode::PermissionDenied,
                           QStringLiteral("%1 is not a regular file or folder.").arg(quoted(path)));
    return *entry;
}

Result<std::unique_ptr<DirectoryCursor>> LocalHome::openDirectory(const VirtualPath &path) const
{
    Result<Location> location = locate(path);
    if (!location)
        return location.error();
    const QFileInfo info(location->target);
    if (!info.exists())
        return missing(path, *location);
    if (!info.isDir())
        return Error::make(ErrorCode::NotADirectory, QStringLiteral("%1 is not a folder.").arg(quoted(path)));
    if (!info.isReadable() || !info.isExecutable())
        return Error::make(ErrorCode::PermissionDenied,
                           QStringLiteral("The folder %1 cannot be read: permission denied.").arg(quoted(path)));
    DIR *folder = ::opendir(QFile::encodeName(location->target).constData());
    if (!folder)
        return osError(errno, QStringLiteral("Cannot list %1").arg(quoted(path)));
    const QString realHome = QFileInfo(m_home).canonicalFilePath();
    return std::unique_ptr<DirectoryCursor>(new LocalDirectoryCursor(folder, location->target, realHome));
}

Status LocalHome::makeDirectory(const VirtualPath &path, bool parents)
{
    Result<Location> location = locate(path);
    if (!location)
        return location.error();
    const QFileInfo target(location->target);
    if (target.exists() || QFileInfo(location->entry).isSymLink()) {
        if (parents && target.isDir())
            return Status::success();
        return Error::make(ErrorCode::Exists, QStringLiteral("%1 already exists.").arg(quoted(path)));
    }
    const QString existing = deepestExisting(location->parent);
    if (!QFileInfo(existing).isDir() || (!parents && existing != location->parent))
        return missing(path, *location);
    const bool made = parents ? QDir().mkpath(location->target) : QDir().mkdir(location->target);
    if (!made)
        return refusal(existing, QStringLiteral("Cannot create %1").arg(quoted(path)));
    return Status::success();
}

Result<qint64> LocalHome::rename(const VirtualPath &from, const VirtualPath &to, bool overwrite)
{
    const QString what = QStringLiteral("Cannot rename %1 to %2").arg(quoted(from), quoted(to));
    if (from.isRoot() || to.isRoot())
        return Error::make(ErrorCode::PermissionDenied, what + QStringLiteral(": the home folder cannot be renamed or replaced."));
    if (from.contains(to) && from != to)
        return Error::make(ErrorCode::InvalidPath, what + QStringLiteral(": a folder cannot move into itself."));

    Result<Location> source = locate(from);
    if (!source)
        return source.error();
    Result<Location> target = locate(to);
    if (!target)
        return target.error();
    const QFileInfo sourceEntry(source->entry);
    if (!sourceEntry.exists() && !sourceEntry.isSymLink())
        return missing(from, *source);
    if (source->entry == target->entry)
        return qint64(0);  // the same entry under another name (through a link): nothing to do
    if (!QFileInfo(target->parent).isDir())
        return missing(to, *target);
    // Symlinks can hide that the target folder lies inside the source: check the real locations too.
    const bool sourceIsRealFolder = sourceEntry.isDir() && !sourceEntry.isSymLink();
    if (sourceIsRealFolder && isInside(target->parent, source->entry))
        return Error::make(ErrorCode::InvalidPath, what + QStringLiteral(": a folder cannot move into itself."));

    const QFileInfo targetEntry(target->entry);
    if (!targetEntry.exists() && !targetEntry.isSymLink()) {
        if (!renameNoReplace(source->entry, target->entry))
            return osError(errno, what);
        return qint64(0);
    }
    if (!overwrite)
        return Error::make(ErrorCode::Exists, what + QStringLiteral(": the target already exists."));
    if (sourceEntry.isDir())
        return Error::make(ErrorCode::Exists, what + QStringLiteral(": a folder never replaces an existing name."));
    if (targetEntry.isDir())
        return Error::make(ErrorCode::IsADirectory, what + QStringLiteral(": the target is a folder."));
    const qint64 freed = targetEntry.isSymLink() ? 0 : targetEntry.size();
    if (std::rename(QFile::encodeName(source->entry).constData(), QFile::encodeName(target->entry).constData()) != 0)
        return osError(errno, what);
    return freed;
}

Result<qint64> LocalHome::remove(const VirtualPath &path, bool recursive)
{
    if (path.isRoot())
        return Error::make(ErrorCode::PermissionDenied, QStringLiteral("The home folder itself cannot be removed."));
    Result<Location> location = locate(path);
    if (!location)
        return location.error();
    const QFileInfo entry(location->entry);
    if (!entry.exists() && !entry.isSymLink())
        return missing(path, *location);
    const QString what = QStringLiteral("Cannot remove %1").arg(quoted(path));

    if (entry.isSymLink() || !entry.isDir()) {
        const qint64 freed = entry.isSymLink() ? 0 : entry.size();
        if (!QFile::remove(location->entry))
            return refusal(location->parent, what);
        return freed;
    }
    if (!recursive) {
        // Only the server's own regular ".ferry-" files may remain for the folder to count as empty.
        QDirIterator it(location->entry, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
        while (it.hasNext()) {
            it.next();
            const QFileInfo child = it.fileInfo();
            if (!it.fileName().startsWith(ReservedPrefix) || child.isSymLink() || !child.isFile())
                return Error::make(ErrorCode::NotEmpty, what + QStringLiteral(": the folder is not empty."));
        }
    }
    return removeTree(location->entry, path);
}

Result<qint64> LocalHome::removeTree(const QString &realFolder, const VirtualPath &path)
{
    qint64 freed = 0;
    bool complete = true;
    QStringList folders;  // pre-order, so removing them in reverse empties children before parents
    // No FollowSymlinks: a link inside is removed as a link, never descended into.
    QDirIterator it(realFolder, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString child = it.next();
        const QFileInfo info = it.fileInfo();
        if (info.isDir() && !info.isSymLink()) {
            folders.append(child);
            continue;
        }
        const qint64 size = info.isSymLink() || !info.isFile() ? 0 : info.size();
        if (QFile::remove(child))
            freed += size;
        else
            complete = false;
    }
    folders.prepend(realFolder);
    for (auto folder = folders.crbegin(); folder != folders.crend(); ++folder)
        complete = QDir().rmdir(*folder) && complete;
    if (!complete)
        return refusal(realFolder, QStringLiteral("Cannot remove everything in %1").arg(quoted(path)));
    return freed;
}

qint64 LocalHome::usage() const
{
    const QString &home = m_home;
    qint64 total = 0;
    QDirIterator it(home, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        if (info.isFile() && !info.isSymLink())
            total += info.size();
    }
    return total;
}

} // namespace ferry
