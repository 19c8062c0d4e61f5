#pragma once
// Seam: where users' homes live. Today the local disk (LocalStorage); a distributed file system or
// object store later. Every operation takes a VirtualPath and enforces the jail: nothing outside the
// user's home is reachable, symlinks resolved.

#include "Result.h"
#include "VirtualPath.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace ferry {

struct EntryInfo {
    QString name;
    bool isDir = false;
    qint64 size = 0;
    qint64 mtimeMs = 0;

    // {"name","type":"file"|"dir","size","mtime"}
    QJsonObject toJson() const;
};

// Streams a folder's entries; part files and symlinks leading outside the home are skipped.
class DirectoryCursor {
public:
    virtual ~DirectoryCursor() = default;
    virtual std::optional<EntryInfo> next() = 0;
};

class Storage {
public:
    virtual ~Storage() = default;

    // The real location of `path` in `home`, symlinks resolved: permission_denied when it leads outside.
    // The path need not exist (then its nearest existing ancestor is checked).
    virtual Result<QString> resolve(const QString &home, const VirtualPath &path) const = 0;

    virtual Result<EntryInfo> stat(const QString &home, const VirtualPath &path) const = 0;
    virtual Result<std::unique_ptr<DirectoryCursor>> openDirectory(const QString &home, const VirtualPath &path) const = 0;
    virtual Status makeDirectory(const QString &home, const VirtualPath &path, bool parents) = 0;
    // Returns the bytes freed (the size of a replaced file).
    virtual Result<qint64> rename(const QString &home, const VirtualPath &from, const VirtualPath &to, bool overwrite) = 0;
    // Returns the bytes freed (all files removed, part files included).
    virtual Result<qint64> remove(const QString &home, const VirtualPath &path, bool recursive) = 0;
    // Bytes the home holds: all files, part files included (the quota usage).
    virtual qint64 usage(const QString &home) const = 0;
};

} // namespace ferry
