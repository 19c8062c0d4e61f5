// LocalStorage's homes and LocalHome's file objects: reads and part files. Every file is opened relative
// to its folder's descriptor with O_NOFOLLOW, so a symlink planted as a part file (or swapped in for
// one) is never followed, and the final rename happens inside that same folder.

#include "LocalStorage.h"

#include "BulkWriteGate.h"
#include "CacheAwareReader.h"
#include "PartFileWriter.h"
#include "Protocol.h"
#include "Sha256.h"

#include <QCache>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QThreadPool>
#include <QtEndian>

#include <cerrno>
#include <optional>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace ferry {

namespace {

const char HashAttribute[] = "user.ferry.sha256";

qint64 msOf(const struct timespec &time)
{
    return qint64(time.tv_sec) * 1000 + time.tv_nsec / 1000000;
}

qint64 mtimeOf(const struct timespec &mtime)
{
    return qMax<qint64>(0, msOf(mtime));
}

qint64 mtimeOf(const struct stat &info)
{
    return mtimeOf(info.st_mtim);
}

// The hash attribute holds the size, mtime and SHA-256 of the file it was computed for, in 48 bytes: size and
// mtime (ms) as 64-bit little-endian integers, then the digest. Small enough to live inside an ext4 inode (up to
// 60 bytes with this name); the text form of earlier versions ("size:mtime:hex", 83 bytes) took a 4 KiB block
// of its own per file, written and journaled with every upload. Files that carry the text form are still read.
constexpr int HashValueBytes = 8 + 8 + 32;

struct StoredHash {
    qint64 size = -1;
    qint64 mtimeMs = -1;
    QByteArray sha256Hex;
};

// False when the file cannot carry it (not ferryd's to write, or a file system without user attributes).
bool storeSha256(int fd, qint64 size, qint64 mtimeMs, const QByteArray &sha256Hex)
{
    const QByteArray digest = QByteArray::fromHex(sha256Hex);
    if (digest.size() != 32)
        return false;
    char value[HashValueBytes];
    qToLittleEndian<qint64>(size, value);
    qToLittleEndian<qint64>(mtimeMs, value + 8);
    std::memcpy(value + 16, digest.constData(), 32);
    return ::fsetxattr(fd, HashAttribute, value, sizeof value, 0) == 0;
}

StoredHash readStoredHash(int fd)
{
    char buffer[128];
    const ssize_t length = ::fgetxattr(fd, HashAttribute, buffer, sizeof buffer);
    StoredHash stored;
    if (length == HashValueBytes) {
        stored.size = qFromLittleEndian<qint64>(buffer);
        stored.mtimeMs = qFromLittleEndian<qint64>(buffer + 8);
        stored.sha256Hex = QByteArray(buffer + 16, 32).toHex();
    } else if (length > 0) {
        const QList<QByteArray> parts = QByteArray(buffer, int(length)).split(':');
        if (parts.size() == 3 && parts[2].size() == 64) {
            stored.size = parts[0].toLongLong();
            stored.mtimeMs = parts[1].toLongLong();
            stored.sha256Hex = parts[2];
        }
    }
    return stored;
}

bool storeSha256(int fd, const struct stat &info, const QByteArray &sha256Hex)
{
    return storeSha256(fd, qint64(info.st_size), mtimeOf(info), sha256Hex);
}

bool sameTime(const struct timespec &a, const struct timespec &b)
{
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

// Hashes of files that cannot carry the attribute: a file an administrator placed in a home as another user (the
// usual way to share one big file with everybody) was hashed again at every download, 0.6 CPU-s per GiB. Kept
// for the life of the process, by device and inode, and valid only while size, mtime and ctime are the ones it
// was computed for: the ctime moves with every change, also one that puts the mtime back.
class HashMemory {
public:
    static HashMemory &instance()
    {
        static HashMemory memory;
        return memory;
    }
    QByteArray find(const struct stat &info)
    {
        const QMutexLocker lock(&m_mutex);
        const Entry *entry = m_entries.object(keyOf(info));
        if (!entry || entry->size != info.st_size || !sameTime(entry->mtime, info.st_mtim)
            || !sameTime(entry->ctime, info.st_ctim))
            return {};
        return entry->sha256Hex;
    }
    void remember(const struct stat &info, const QByteArray &sha256Hex)
    {
        const QMutexLocker lock(&m_mutex);
        m_entries.insert(keyOf(info), new Entry{info.st_size, info.st_mtim, info.st_ctim, sha256Hex});
    }

private:
    static constexpr int MaxEntries = 4096;   // ~1 MiB
    struct Entry {
        off_t size;
        struct timespec mtime;
        struct timespec ctime;
        QByteArray sha256Hex;
    };
    static std::pair<quint64, quint64> keyOf(const struct stat &info) { return {info.st_dev, info.st_ino}; }

    QMutex m_mutex;
    QCache<std::pair<quint64, quint64>, Entry> m_entries{MaxEntries};
};

Error ioError(const QString &what, int error)
{
    return Error::make(ErrorCode::IoError, QStringLiteral("%1: %2.").arg(what, QString::fromLocal8Bit(strerror(error))));
}

Error fileError(int error, const QString &what)
{
    if (error == ENOSPC || error == EDQUOT)
        return Error::make(ErrorCode::IoError, what + QStringLiteral(": the disk is full."));
    if (error == EACCES || error == EPERM || error == EROFS)
        return Error::make(ErrorCode::PermissionDenied, what + QStringLiteral(": permission denied."));
    return ioError(what, error);
}

QString quoted(const VirtualPath &path)
{
    return QLatin1Char('"') + path.toString() + QLatin1Char('"');
}

class LocalReadFile : public ReadFile {
public:
    LocalReadFile(int fd, const struct stat &info)
        : m_fd(fd), m_opened(info), m_openedAtMs(QDateTime::currentMSecsSinceEpoch()), m_reader(fd)
    {
    }
    ~LocalReadFile() override { ::close(m_fd); }

    qint64 size() const override { return m_opened.st_size; }
    qint64 mtimeMs() const override { return mtimeOf(m_opened); }
    qint64 readAt(char *data, qint64 length, qint64 offset) override { return m_reader.readAt(data, length, offset); }
    QByteArray knownSha256() override
    {
        const StoredHash stored = readStoredHash(m_fd);
        if (!stored.sha256Hex.isEmpty() && stored.size == m_opened.st_size && stored.mtimeMs == mtimeMs())
            return stored.sha256Hex;
        return HashMemory::instance().find(m_opened);
    }
    void rememberSha256(const QByteArray &sha256Hex) override
    {
        if (mtimeMs() > m_openedAtMs - SettledMtimeMs)
            return;
        // The ctime too: it moves with every change, also one that puts the mtime back.
        struct stat now {};
        if (::fstat(m_fd, &now) != 0 || now.st_size != m_opened.st_size || !sameTime(now.st_mtim, m_opened.st_mtim)
            || !sameTime(now.st_ctim, m_opened.st_ctim))
            return;
        // In memory only when the ctime had settled too: a change within its granularity could hide as well.
        if (!storeSha256(m_fd, now, sha256Hex) && msOf(now.st_ctim) <= m_openedAtMs - SettledMtimeMs)
            HashMemory::instance().remember(now, sha256Hex);
    }

private:
    int m_fd;
    const struct stat m_opened;
    const qint64 m_openedAtMs;
    CacheAwareReader m_reader;
};

// One thread deletes replaced files, off every reply path; ferryd waits for it at exit.
QThreadPool &reclaimThread()
{
    static QThreadPool pool;
    pool.setMaxThreadCount(1);
    return pool;
}

void deleteLater(int folder, const QByteArray &name)
{
    const int fd = ::fcntl(folder, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        ::unlinkat(folder, name.constData(), 0);
        return;
    }
    reclaimThread().start([fd, name] {
        ::unlinkat(fd, name.constData(), 0);
        ::close(fd);
    });
}

class LocalPartFile : public PartFile {
public:
    // `folder` may be an O_PATH descriptor: it names the folder for the rename, and a readable one is opened
    // only to sync it.
    LocalPartFile(UniqueFd folder, int fd, const QByteArray &partName, const QByteArray &targetName,
                  const struct stat &opened)
        : m_folder(std::move(folder)), m_fd(fd), m_partName(partName), m_targetName(targetName), m_size(opened.st_size),
          // No writer thread: append() is called on ferryd's disk pool (DiskQueue), which is where it may wait.
          m_writer(std::make_unique<PartFileWriter>(fd, opened, 0, 0))
    {
        m_writer->goAroundPageCache();
        m_writer->offsetUnused();
    }
    ~LocalPartFile() override
    {
        close();
    }

    qint64 size() const override { return m_size; }
    Status hashContents(Sha256 &hash) override
    {
        QByteArray buffer(1024 * 1024, Qt::Uninitialized);
        for (qint64 at = 0; at < m_size;) {
            const ssize_t got = ::pread(m_fd, buffer.data(), size_t(qMin<qint64>(buffer.size(), m_size - at)), off_t(at));
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                return ioError(QStringLiteral("Cannot read the part file"), got < 0 ? errno : EIO);
            hash.update(buffer.constData(), got);
            at += got;
        }
        return Status::success();
    }
    Status append(const QByteArray &bytes) override
    {
        if (m_size >= PartFileWriter::DirectFromBytes)   // a big file: small files' group syncs go first
            BulkWriteGate::awaitGroupSyncs(device());
        QString failure;
        if (!m_writer->write(bytes, &failure))
            return Error::make(ErrorCode::IoError, QStringLiteral("Cannot write the part file: %1.").arg(failure));
        m_size += bytes.size();
        return Status::success();
    }
    Status finishWrites() override
    {
        QString failure;
        if (!m_writer->finish(&failure))
            return Error::make(ErrorCode::IoError, QStringLiteral("Cannot write the part file: %1.").arg(failure));
        return Status::success();
    }
    Status sync() override
    {
        if (::fdatasync(m_fd) != 0)
            return ioError(QStringLiteral("Cannot make the file durable"), errno);
        return Status::success();
    }
    void setMtime(qint64 mtimeMs) override
    {
        const struct timespec times[2] = {{0, UTIME_OMIT}, {time_t(mtimeMs / 1000), long(mtimeMs % 1000) * 1000000L}};
        if (::futimens(m_fd, times) == 0)
            m_mtimeSetMs = mtimeOf(times[1]);
    }
    void setKnownSha256(const QByteArray &sha256Hex) override
    {
        // Size and time as this file set them (m_size counts every append), else as the file says. A file system
        // that rounds times only makes the next download hash the file again.
        struct stat info {};
        if (m_mtimeSetMs)
            storeSha256(m_fd, m_size, *m_mtimeSetMs, sha256Hex);
        else if (::fstat(m_fd, &info) == 0)
            storeSha256(m_fd, info, sha256Hex);
    }
    Result<qint64> commit(bool replace) override
    {
        if (!m_partName.endsWith(m_targetName))
            ::fremovexattr(m_fd, PartTargetAttribute);   // the stored file does not need it
        close();
#if defined(Q_OS_LINUX) && defined(RENAME_NOREPLACE)
        // The usual case, a new name, in one call (it refuses atomically if the name is taken). Taken names,
        // and file systems without the flag, go the way below.
        if (::renameat2(m_folder.get(), m_partName.constData(), m_folder.get(), m_targetName.constData(), RENAME_NOREPLACE) == 0)
            return qint64(0);
        if (errno != EEXIST && errno != EINVAL && errno != ENOSYS)
            return fileError(errno, QStringLiteral("Cannot move the file into place"));
#endif
        struct stat replaced {};
        const bool replacing = ::fstatat(m_folder.get(), m_targetName.constData(), &replaced, AT_SYMLINK_NOFOLLOW) == 0;
        if (replacing && S_ISDIR(replaced.st_mode))
            return Error::make(ErrorCode::IsADirectory, QStringLiteral("The target became a folder."));
        if (replacing && !replace)
            return Error::make(ErrorCode::Exists, QStringLiteral("The target appeared meanwhile."));
        if (replacing && S_ISREG(replaced.st_mode) && exchangeWithTarget(replaced))
            return qint64(replaced.st_size);
        if (::renameat(m_folder.get(), m_partName.constData(), m_folder.get(), m_targetName.constData()) != 0)
            return fileError(errno, QStringLiteral("Cannot move the file into place"));
        return qint64(replacing && S_ISREG(replaced.st_mode) ? replaced.st_size : 0);
    }
    void syncFolder() override
    {
        const int readable = ::openat(m_folder.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (readable < 0)
            return;
        ::fsync(readable);
        ::close(readable);
    }
    QString folderId() const override
    {
        struct stat info {};
        ::fstat(m_folder.get(), &info);
        return QString::number(info.st_dev) + u':' + QString::number(info.st_ino);
    }
    void discard() override
    {
        close();
        ::unlinkat(m_folder.get(), m_partName.constData(), 0);
    }

private:
    // Replaces the target without freeing it inline: a rename over an existing file frees the old inode inside
    // the rename (~1 ms each here, serial on the disk queue: PERFORMANCE.md). The swap is atomic; the old file,
    // now under the part file's name, moves at once to a trash name and is deleted on the reclaim thread.
    // False when the file system cannot swap (then a plain rename replaces it).
    bool exchangeWithTarget(const struct stat &replaced)
    {
#if defined(Q_OS_LINUX) && defined(RENAME_EXCHANGE)
        if (::renameat2(m_folder.get(), m_partName.constData(), m_folder.get(), m_targetName.constData(), RENAME_EXCHANGE) != 0)
            return false;
        const QByteArray trash = QByteArray(TrashFilePrefix) + QByteArray::number(qulonglong(replaced.st_ino));
        if (::renameat(m_folder.get(), m_partName.constData(), m_folder.get(), trash.constData()) == 0)
            deleteLater(m_folder.get(), trash);
        else
            ::unlinkat(m_folder.get(), m_partName.constData(), 0);
        return true;
#else
        Q_UNUSED(replaced);
        return false;
#endif
    }

    void close()
    {
        if (m_fd < 0)
            return;
        m_writer.reset();   // writes what is queued first
        ::close(m_fd);
        m_fd = -1;
    }

    // Its file system (st_dev), looked up once: a part file made afresh was not looked at.
    quint64 device()
    {
        struct stat info {};
        if (!m_device && ::fstat(m_fd, &info) == 0)
            m_device = quint64(info.st_dev);
        return m_device.value_or(0);
    }

    UniqueFd m_folder;
    int m_fd;
    QByteArray m_partName;
    QByteArray m_targetName;
    qint64 m_size;
    std::optional<quint64> m_device;
    std::optional<qint64> m_mtimeSetMs;   // by setMtime()
    std::unique_ptr<PartFileWriter> m_writer;
};

// Opens a regular file in `folderFd` without following a final symlink. A planted symlink or a hard link
// (shared with a file elsewhere) is unlinked and replaced by a new empty file: it was never ours.
int openOwnPartFile(int folderFd, const QByteArray &name, bool truncate, struct stat *info)
{
    const int flags = O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | (truncate ? O_TRUNC : 0);
    // Usually there is none: made here, it is an empty regular file of its own, with no need to look at it.
    if (const int fd = ::openat(folderFd, name.constData(), flags | O_EXCL, 0644); fd >= 0 || errno != EEXIST) {
        if (fd < 0)
            return -errno;
        *info = {};
        info->st_mode = S_IFREG | 0644;
        info->st_nlink = 1;
        return fd;
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        const int fd = ::openat(folderFd, name.constData(), flags & ~(attempt ? O_TRUNC : 0), 0644);
        if (fd >= 0 && ::fstat(fd, info) == 0 && S_ISREG(info->st_mode) && info->st_nlink == 1)
            return fd;
        const int error = fd >= 0 ? ELOOP : errno;
        if (fd >= 0)
            ::close(fd);
        if (error != ELOOP && error != ENXIO && error != EWOULDBLOCK)
            return -error;
        if (::unlinkat(folderFd, name.constData(), 0) != 0 && errno != ENOENT)
            return -errno;
    }
    return -ELOOP;
}

} // namespace

LocalStorage::LocalStorage(const QString &homesRoot) : m_root(homesRoot) {}

QString LocalStorage::homeFolder(const QString &user) const
{
    return QDir::cleanPath(m_root + u'/' + user);
}

Result<std::shared_ptr<StorageHome>> LocalStorage::openHome(const QString &user)
{
    if (VirtualPath::checkSegment(user).isError())
        return Error::make(ErrorCode::PermissionDenied, QStringLiteral("No home for this user name."));
    if (!QFileInfo(homeFolder(user)).isDir())
        return Error::make(ErrorCode::IoError, QStringLiteral("The home folder is not available."));
    return std::shared_ptr<StorageHome>(std::make_shared<LocalHome>(homeFolder(user)));
}

Status LocalStorage::createHome(const QString &user)
{
    if (VirtualPath::checkSegment(user).isError() || !QDir().mkpath(homeFolder(user)))
        return Error::make(ErrorCode::IoError, QStringLiteral("Cannot create the home folder."));
    return Status::success();
}

Status LocalStorage::removeHome(const QString &user)
{
    // removeRecursively() deletes symlinks, never what they point to.
    if (VirtualPath::checkSegment(user).isError() || !QDir(homeFolder(user)).removeRecursively())
        return Error::make(ErrorCode::IoError, QStringLiteral("Cannot delete the home folder completely."));
    return Status::success();
}

Result<std::unique_ptr<ReadFile>> LocalHome::openRead(const VirtualPath &path)
{
    Result<HomeEntry> entry = locateReached(path, HomeWalker::Final::Follow);
    if (!entry)
        return entry.error();
    if (!entry->exists)
        return missing(path, *entry);
    if (S_ISDIR(entry->info.st_mode))
        return Error::make(ErrorCode::IsADirectory, QStringLiteral("%1 is a folder.").arg(quoted(path)));
    const Error special = Error::make(ErrorCode::PermissionDenied,
                                      QStringLiteral("%1 is not a regular file or folder.").arg(quoted(path)));
    if (!S_ISREG(entry->info.st_mode))
        return special;   // never opened: opening a pipe blocks, a device may do anything
    // O_NOFOLLOW, O_NONBLOCK and the fstat after opening: something swapped in meanwhile is refused.
    const int fd = ::openat(entry->folder(), entry->name(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return errno == ELOOP ? special : fileError(errno, QStringLiteral("Cannot read %1").arg(quoted(path)));
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return special;
    }
    return std::unique_ptr<ReadFile>(new LocalReadFile(fd, info));
}

qint64 LocalHome::partSize(const VirtualPath &target) const
{
    Result<HomeEntry> entry = locateReached(target, HomeWalker::Final::Follow);
    if (!entry || entry->isHome())
        return 0;
    return partBytesBeside(*entry);
}

qint64 LocalHome::partBytesBeside(const HomeEntry &entry)
{
    struct stat info {};
    const QByteArray part = QFile::encodeName(LocalStorage::partFileName(QFile::decodeName(entry.names.last())));
    if (::fstatat(entry.folder(), part.constData(), &info, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(info.st_mode)
        || info.st_nlink != 1)
        return 0;
    return info.st_size;
}

Result<std::unique_ptr<PartFile>> LocalHome::openPart(const VirtualPath &target, PartMode mode, const UploadTarget *found)
{
    // Where the upload's look at its target was (that folder was locked and counted): no second walk. The
    // part file takes the place's folder over.
    if (auto *place = found ? dynamic_cast<Place *>(found->place.get()) : nullptr; place && place->folder) {
        if (found->existing && found->existing->isDir)
            return Error::make(ErrorCode::IsADirectory, QStringLiteral("%1 is a folder.").arg(quoted(target)));
        return openPartIn(std::move(place->folder), place->name, target, mode);
    }
    // An upload to an inside link writes the file it names.
    Result<HomeEntry> entry = locateReached(target, HomeWalker::Final::Follow);
    if (!entry)
        return entry.error();
    if (entry->isHome() || (entry->exists && S_ISDIR(entry->info.st_mode)))
        return Error::make(ErrorCode::IsADirectory, QStringLiteral("%1 is a folder.").arg(quoted(target)));
    return openPartIn(UniqueFd(::fcntl(entry->folder(), F_DUPFD_CLOEXEC, 0)), entry->names.last(), target, mode);
}

Result<std::unique_ptr<PartFile>> LocalHome::openPartIn(UniqueFd folder, const QByteArray &name, const VirtualPath &target,
                                                        PartMode mode)
{
    const QString what = QStringLiteral("Cannot write %1").arg(quoted(target));
    if (!folder)
        return fileError(errno, what);
    const QByteArray partName = QFile::encodeName(LocalStorage::partFileName(QFile::decodeName(name)));
    struct stat info {};
    const int fd = openOwnPartFile(folder.get(), partName, mode == PartMode::Truncate, &info);
    if (fd < 0)
        return fileError(-fd, what);
    if (!partName.endsWith(name))   // a hashed name: the sweep reads the target's from here
        ::fsetxattr(fd, PartTargetAttribute, name.constData(), size_t(name.size()), 0);
    return std::unique_ptr<PartFile>(new LocalPartFile(std::move(folder), fd, partName, name, info));
}

QString LocalHome::lockKey(const VirtualPath &path) const
{
    Result<HomeEntry> entry = locate(path, HomeWalker::Final::Follow);
    return entry ? m_walker->realLocation(*entry) : QString();
}

bool LocalHome::syncAll()
{
    if (!m_walker->isOpen())
        return false;
    const int home = m_walker->homeFd();
    struct stat info {};
    if (::fstat(home, &info) != 0)
        return false;
    return BulkWriteGate::groupSync(quint64(info.st_dev), [home] { return ::syncfs(home) == 0; });
}

} // namespace ferry
