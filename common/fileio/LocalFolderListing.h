#pragma once
// What a folder upload takes from a local folder: its regular files (a link to a file counts as that file) and
// its folders (a linked folder does not: a link to an ancestor would never end), each with one look at the file
// system. Special files, dangling links, linked folders and our own part files are left out.

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

// Unsorted, in the order the file system gives them; empty when the folder cannot be read.
QList<LocalFolderEntry> listLocalFolder(const QString &folder);

} // namespace ferry
