#pragma once
// The account store of one ferryd data directory: <dataDir>/users.json, holding per user only the SCRAM
// salt, iteration count, StoredKey and ServerKey, and the quota (format: UsersFileFormat.h). Written
// atomically (QSaveFile, mode 0600) under <dataDir>/users.json.lock so that admin commands and a running
// server can change it at once; re-read whenever the file changed.
// A file that cannot be read or parsed is never overwritten: changes are refused until it is fixed.

#include "AccountStore.h"

#include <QMap>
#include <QMutex>

#include <functional>

namespace ferry {

class UsersFile : public AccountStore {
public:
    explicit UsersFile(const QString &dataDir);

    std::optional<UserAccount> find(const QString &name) override;
    // Sorted by name; io_error when the file is unreadable or corrupt.
    Result<QList<UserAccount>> list() override;
    Status add(const UserAccount &account) override;
    Status update(const UserAccount &account) override;
    Status remove(const QString &name) override;
    // <dataDir>/secret: 32 random bytes made once (0600) and kept.
    QByteArray serverSecret() override;

    QString filePath() const { return m_filePath; }
    // Where a user's files live: <dataDir>/homes/<user>.
    static QString homePath(const QString &dataDir, const QString &user);

    // What identifies one version of the file, to notice changes made by other processes.
    struct FileStamp {
        bool exists = false;
        qint64 size = 0;
        qint64 modifiedNs = 0;
        quint64 inode = 0;   // QSaveFile renames a new file into place: a new inode on every write
        bool operator==(const FileStamp &other) const;
        bool operator!=(const FileStamp &other) const { return !(*this == other); }
    };

private:
    using Users = QMap<QString, UserAccount>;

    // Re-reads the file when its stamp changed (always when `force`); the load error if it is bad.
    Status refreshLocked(bool force);
    // Lock file, fresh read, change, atomic write: the read-modify-write of the admin commands.
    Status modify(const std::function<Status(Users &)> &change);

    const QString m_dataDir;
    const QString m_filePath;
    const QString m_lockPath;
    QMutex m_mutex;
    bool m_loaded = false;
    FileStamp m_stamp;
    Users m_users;
    Error m_loadError;
    QByteArray m_secret;
};

} // namespace ferry
