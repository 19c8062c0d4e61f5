#include "LocalFolderListing.h"

#include "Protocol.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#ifdef Q_OS_UNIX
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace ferry {

namespace {

QString childPath(const QString &folder, const QString &name)
{
    if (folder.endsWith(QLatin1Char('/')))
        return folder + name;
    return folder + QLatin1Char('/') + name;
}

} // namespace

#ifdef Q_OS_UNIX
LocalFolderReader::LocalFolderReader(const QString &folder)
{
    // readdir's type, and a look only where it does not tell: QDirIterator and QFileInfo looked twice at every
    // entry (lstat and stat), and a look at each file before the first one left kept a `put -r` of 2 000 small
    // files from sending anything for ~15 ms.
    DIR *dir = ::opendir(QFile::encodeName(folder).constData());
    if (!dir)
        return;
    m_folderFd = ::fcntl(::dirfd(dir), F_DUPFD_CLOEXEC, 0);
    while (const struct dirent *entry = ::readdir(dir)) {
        const char *raw = entry->d_name;
        if (raw[0] == '.' && (raw[1] == '\0' || (raw[1] == '.' && raw[2] == '\0')))
            continue;
        const QString name = QFile::decodeName(raw);
        if (name.startsWith(PartFilePrefix))
            continue;   // an unfinished download of ours, not the user's data
        bool isDir = entry->d_type == DT_DIR;
        if (entry->d_type == DT_LNK || entry->d_type == DT_UNKNOWN) {
            struct stat own {};
            struct stat info {};
            if (::fstatat(m_folderFd, raw, &own, AT_SYMLINK_NOFOLLOW) != 0 || ::fstatat(m_folderFd, raw, &info, 0) != 0)
                continue;   // dangling link, or gone meanwhile
            if (S_ISDIR(info.st_mode) && S_ISLNK(own.st_mode))
                continue;   // a linked folder
            if (!S_ISDIR(info.st_mode) && !S_ISREG(info.st_mode))
                continue;   // special files
            isDir = S_ISDIR(info.st_mode);
        } else if (entry->d_type != DT_DIR && entry->d_type != DT_REG) {
            continue;   // special files
        }
        LocalFolderEntry item;
        item.name = name;
        item.path = childPath(folder, name);
        item.isDir = isDir;
        m_entries.append(std::move(item));
    }
    ::closedir(dir);
}

LocalFolderReader::~LocalFolderReader()
{
    if (m_folderFd >= 0)
        ::close(m_folderFd);
}

bool LocalFolderReader::lookAt(LocalFolderEntry &entry) const
{
    struct stat info {};
    if (::fstatat(m_folderFd, QFile::encodeName(entry.name).constData(), &info, 0) != 0 || !S_ISREG(info.st_mode))
        return false;
    entry.size = qint64(info.st_size);
    entry.mtimeMs = qint64(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1'000'000;
    return true;
}
#else
LocalFolderReader::LocalFolderReader(const QString &folder)
{
    QDirIterator it(folder, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        if (info.fileName().startsWith(PartFilePrefix))
            continue;
        const bool isDir = info.isDir() && !info.isSymLink();
        if (!isDir && !info.isFile())
            continue;
        m_entries.append(LocalFolderEntry{info.fileName(), info.filePath(), isDir});
    }
}

LocalFolderReader::~LocalFolderReader() = default;

bool LocalFolderReader::lookAt(LocalFolderEntry &entry) const
{
    const QFileInfo info(entry.path);
    if (!info.isFile())
        return false;
    entry.size = info.size();
    entry.mtimeMs = info.lastModified().toMSecsSinceEpoch();
    return true;
}
#endif

} // namespace ferry
