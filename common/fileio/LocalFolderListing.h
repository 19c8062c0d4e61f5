#pragma once
// What a folder upload takes from a local folder: its regular files (a link to a file counts as that file) and
// its folders (a linked folder does not: a link to an ancestor would never end). Special files, dangling links,
// linked folders and our own part files are left out.

#include <QList>
#include <QString>

namespace ferry {

struct LocalFolderEntry {
    QString name;
    QString path;         // the folder's path and the name
    bool isDir = false;
    qint64 size = 0;      // files only
    qint64 mtimeMs = 0;   // files only
};

// A local folder read in two steps, so that the first files of a big folder can leave while the others are
// still being looked at: the constructor takes the names and kinds (the type readdir gives; only links, and the
// entries of a file system that gives none, are looked at there), lookAt() then gives a file its size and time.
class LocalFolderReader {
public:
    // No entries when the folder cannot be read.
    explicit LocalFolderReader(const QString &folder);
    ~LocalFolderReader();
    LocalFolderReader(const LocalFolderReader &) = delete;
    LocalFolderReader &operator=(const LocalFolderReader &) = delete;

    // Folders and files in the order the file system gives them; files not looked at yet (size and mtime 0).
    const QList<LocalFolderEntry> &entries() const { return m_entries; }
    // Size and mtime of a file entry; false when it is gone or no longer a regular file.
    bool lookAt(LocalFolderEntry &entry) const;

private:
    QList<LocalFolderEntry> m_entries;
    int m_folderFd = -1;
};

} // namespace ferry
