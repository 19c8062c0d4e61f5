#include "UsersFile.h"

#include "Protocol.h"
#include "UsersFileFormat.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSaveFile>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/stat.h>
#endif

namespace ferry {

namespace {

Q_LOGGING_CATEGORY(lcUsers, "ferry.users")

constexpr int SecretBytes = 32;
constexpr int LockTimeoutMs = 10000;
constexpr qint64 MaxSecretFileBytes = 4096;

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

Error ioError(const QString &message)
{
    return Error::make(ErrorCode::IoError, message);
}

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), count / 4);
    return bytes;
}

UsersFile::FileStamp stampOf(const QString &path)
{
#ifdef Q_OS_LINUX
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0) {
        // Only "not there" means no users; anything else must surface as a read error, not as an empty file.
        return errno == ENOENT ? UsersFile::FileStamp{} : UsersFile::FileStamp{true, -1, 0, 0};
    }
    return {true, qint64(info.st_size), qint64(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec,
            quint64(info.st_ino)};
#else
    const QFileInfo info(path);
    if (!info.exists())
        return {};
    return {true, info.size(), info.lastModified().toMSecsSinceEpoch() * 1000000, 0};
#endif
}

// Writes `bytes` to `path` atomically, readable by the owner only.
Status saveAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return ioError(QStringLiteral("Cannot write %1: %2").arg(nativePath(path), file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (file.write(bytes) != bytes.size() || !file.commit())
        return ioError(QStringLiteral("Cannot write %1: %2").arg(nativePath(path), file.errorString()));
    return {};
}

QByteArray readSecret(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray secret = file.read(MaxSecretFileBytes);
    if (!secret.isEmpty() && secret.size() != SecretBytes)
        qCWarning(lcUsers, "The server secret %s is %d bytes instead of %d; using it anyway.",
                  qPrintable(nativePath(path)), int(secret.size()), SecretBytes);
    return secret;
}

} // namespace

bool UsersFile::FileStamp::operator==(const FileStamp &other) const
{
    return exists == other.exists && size == other.size && modifiedNs == other.modifiedNs && inode == other.inode;
}

UsersFile::UsersFile(const QString &dataDir)
    : m_dataDir(dataDir)
    , m_filePath(QDir(dataDir).filePath(QStringLiteral("users.json")))
    , m_lockPath(QDir(dataDir).filePath(QStringLiteral("users.json.lock")))
{
}

QString UsersFile::homePath(const QString &dataDir, const QString &user)
{
    return QDir::cleanPath(dataDir + QLatin1String("/homes/") + user);
}

std::optional<UserAccount> UsersFile::find(const QString &name)
{
    QMutexLocker locker(&m_mutex);
    refreshLocked(false);
    const auto it = m_users.constFind(name);
    if (it == m_users.constEnd())
        return std::nullopt;
    return *it;
}

Result<QList<UserAccount>> UsersFile::list()
{
    QMutexLocker locker(&m_mutex);
    if (const Status loaded = refreshLocked(false); !loaded)
        return loaded.error();
    return m_users.values();
}

Status UsersFile::add(const UserAccount &account)
{
    if (const Error invalid = checkUserName(account.name); invalid.isError())
        return invalid;
    if (const QString problem = UsersFileFormat::accountProblem(account); !problem.isEmpty())
        return Error::make(ErrorCode::BadRequest, QStringLiteral("Cannot add \"%1\": %2.").arg(account.name, problem));
    return modify([&account](Users &users) -> Status {
        if (users.contains(account.name))
            return Error::make(ErrorCode::Exists, QStringLiteral("A user named \"%1\" already exists.").arg(account.name));
        users.insert(account.name, account);
        return {};
    });
}

Status UsersFile::update(const UserAccount &account)
{
    if (const QString problem = UsersFileFormat::accountProblem(account); !problem.isEmpty())
        return Error::make(ErrorCode::BadRequest, QStringLiteral("Cannot update \"%1\": %2.").arg(account.name, problem));
    return modify([&account](Users &users) -> Status {
        if (!users.contains(account.name))
            return Error::make(ErrorCode::NotFound, QStringLiteral("There is no user named \"%1\".").arg(account.name));
        users.insert(account.name, account);
        return {};
    });
}

Status UsersFile::remove(const QString &name)
{
    return modify([&name](Users &users) -> Status {
        if (users.remove(name) == 0)
            return Error::make(ErrorCode::NotFound, QStringLiteral("There is no user named \"%1\".").arg(name));
        return {};
    });
}

QByteArray UsersFile::serverSecret()
{
    QMutexLocker locker(&m_mutex);
    if (!m_secret.isEmpty())
        return m_secret;
    const QString path = QDir(m_dataDir).filePath(QStringLiteral("secret"));
    m_secret = readSecret(path);
    if (m_secret.isEmpty() && QDir().mkpath(m_dataDir)) {
        QLockFile lock(m_lockPath);
        if (lock.tryLock(LockTimeoutMs)) {
            m_secret = readSecret(path);   // another process may have made it meanwhile
            const QByteArray fresh = randomBytes(SecretBytes);
            if (m_secret.isEmpty() && saveAtomically(path, fresh).ok())
                m_secret = fresh;
        }
    }
    if (m_secret.isEmpty()) {
        // Still serve: only the fake salts of unknown names will differ after a restart.
        qCWarning(lcUsers, "Cannot create the server secret %s; using a temporary one.", qPrintable(nativePath(path)));
        m_secret = randomBytes(SecretBytes);
    }
    return m_secret;
}

Status UsersFile::refreshLocked(bool force)
{
    const FileStamp stamp = stampOf(m_filePath);
    if (m_loaded && !force && stamp == m_stamp)
        return m_loadError.isError() ? Status(m_loadError) : Status();

    const QString previousError = m_loadError.message;
    m_loaded = true;
    m_stamp = stamp;
    m_users.clear();
    m_loadError = {};
    if (!stamp.exists)
        return {};   // no file yet: no users
    QFile file(m_filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        m_loadError = ioError(QStringLiteral("Cannot read the users file %1: %2").arg(nativePath(m_filePath), file.errorString()));
    } else if (Result<Users> parsed = UsersFileFormat::parse(file.readAll(), m_filePath); parsed) {
        m_users = *parsed;
    } else {
        m_loadError = parsed.error();
    }
    if (m_loadError.isError()) {
        if (m_loadError.message != previousError)   // once, not at every look-up
            qCWarning(lcUsers).noquote() << m_loadError.message;
        return m_loadError;
    }
    return {};
}

Status UsersFile::modify(const std::function<Status(Users &)> &change)
{
    QMutexLocker locker(&m_mutex);
    if (!QDir().mkpath(m_dataDir))
        return ioError(QStringLiteral("Cannot create the data folder %1.").arg(nativePath(m_dataDir)));
    QLockFile lock(m_lockPath);
    if (!lock.tryLock(LockTimeoutMs))
        return ioError(QStringLiteral("The users file %1 is locked by another process (lock file %2); try again.")
                           .arg(nativePath(m_filePath), nativePath(m_lockPath)));
    // Under the lock, always from disk: another process may have written within our stamp's resolution.
    if (const Status loaded = refreshLocked(true); !loaded)
        return loaded;   // never overwrite a file we could not read
    Users users = m_users;
    if (const Status changed = change(users); !changed)
        return changed;
    if (const Status written = saveAtomically(m_filePath, UsersFileFormat::serialize(users)); !written)
        return written;
    m_users = users;
    m_stamp = stampOf(m_filePath);
    return {};
}

} // namespace ferry
