#include "UsersFile.h"

#include "Protocol.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSaveFile>

#include <limits>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/stat.h>
#endif

namespace ferry {

namespace {

Q_LOGGING_CATEGORY(lcUsers, "ferry.users")

// The file's field names, in one place.
namespace Key {
const QLatin1String Version{"version"};
const QLatin1String Users{"users"};
const QLatin1String Name{"name"};
const QLatin1String Salt{"salt"};
const QLatin1String Iterations{"iterations"};
const QLatin1String StoredKey{"stored_key"};
const QLatin1String ServerKey{"server_key"};
const QLatin1String Quota{"quota"};
} // namespace Key

constexpr int FileVersion = 1;
constexpr int KeyBytes = 32;
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

Error corrupt(const QString &path, const QString &what)
{
    return ioError(QStringLiteral("The users file %1 is corrupt: %2. Fix or restore it; Ferry will not change it until then.")
                       .arg(nativePath(path), what));
}

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), count / 4);
    return bytes;
}

// What makes an account unfit to store; empty when it is fine.
QString accountProblem(const UserAccount &account)
{
    const ScramCredentials &credentials = account.credentials;
    if (credentials.salt.isEmpty())
        return QStringLiteral("the salt is empty");
    if (credentials.iterations < Limits::MinScramIterations)
        return QStringLiteral("the iteration count is below %1").arg(Limits::MinScramIterations);
    if (credentials.storedKey.size() != KeyBytes || credentials.serverKey.size() != KeyBytes)
        return QStringLiteral("stored_key and server_key must be %1 bytes").arg(KeyBytes);
    if (account.quotaBytes && *account.quotaBytes < 0)
        return QStringLiteral("the quota is negative");
    return {};
}

std::optional<QByteArray> base64Field(const QJsonObject &entry, QLatin1String key)
{
    const QJsonValue value = entry.value(key);
    if (!value.isString())
        return std::nullopt;
    const QByteArray::FromBase64Result decoded =
        QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return decoded.decoded;
}

// One entry of "users"; a sentence saying what is wrong with it otherwise.
Result<UserAccount> parseEntry(const QJsonObject &entry)
{
    const auto wrong = [](const QString &why) { return Error::make(ErrorCode::IoError, why); };
    UserAccount account;
    if (!entry.value(Key::Name).isString())
        return wrong(QStringLiteral("\"name\" is missing or not a string"));
    account.name = entry.value(Key::Name).toString();
    if (const Error invalid = checkUserName(account.name); invalid.isError())
        return wrong(invalid.message.chopped(invalid.message.endsWith(QLatin1Char('.')) ? 1 : 0));

    const std::optional<QByteArray> salt = base64Field(entry, Key::Salt);
    const std::optional<QByteArray> storedKey = base64Field(entry, Key::StoredKey);
    const std::optional<QByteArray> serverKey = base64Field(entry, Key::ServerKey);
    if (!salt || !storedKey || !serverKey)
        return wrong(QStringLiteral("\"salt\", \"stored_key\" and \"server_key\" must be base64 strings"));
    const qint64 iterations = entry.value(Key::Iterations).toInteger(-1);
    if (iterations > std::numeric_limits<int>::max())
        return wrong(QStringLiteral("\"iterations\" is too large"));
    account.credentials = ScramCredentials{*salt, int(iterations), *storedKey, *serverKey};

    const QJsonValue quota = entry.value(Key::Quota);
    if (!quota.isUndefined() && !quota.isNull()) {
        const qint64 bytes = quota.toInteger(-1);
        if (bytes < 0)
            return wrong(QStringLiteral("\"quota\" must be a whole number of bytes or null"));
        account.quotaBytes = bytes;
    }
    if (const QString problem = accountProblem(account); !problem.isEmpty())
        return wrong(problem);
    return account;
}

Result<QMap<QString, UserAccount>> parseUsers(const QByteArray &bytes, const QString &path)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return corrupt(path, QStringLiteral("it is not valid JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        return corrupt(path, QStringLiteral("the top level is not a JSON object"));
    const QJsonObject root = document.object();
    if (root.value(Key::Version).toInteger(-1) != FileVersion)
        return corrupt(path, QStringLiteral("\"version\" is not %1").arg(FileVersion));
    if (!root.value(Key::Users).isArray())
        return corrupt(path, QStringLiteral("\"users\" is not an array"));

    QMap<QString, UserAccount> users;
    const QJsonArray entries = root.value(Key::Users).toArray();
    for (int i = 0; i < entries.size(); ++i) {
        const QString where = QStringLiteral("users[%1]").arg(i);
        if (!entries.at(i).isObject())
            return corrupt(path, where + QStringLiteral(" is not an object"));
        const Result<UserAccount> account = parseEntry(entries.at(i).toObject());
        if (!account)
            return corrupt(path, where + QStringLiteral(": ") + account.error().message);
        if (users.contains(account->name))
            return corrupt(path, QStringLiteral("the user \"%1\" appears twice").arg(account->name));
        users.insert(account->name, *account);
    }
    return users;
}

QByteArray serializeUsers(const QMap<QString, UserAccount> &users)
{
    QJsonArray entries;
    for (const UserAccount &account : users) {
        const ScramCredentials &credentials = account.credentials;
        entries.append(QJsonObject{
            {Key::Name, account.name},
            {Key::Salt, QString::fromLatin1(credentials.salt.toBase64())},
            {Key::Iterations, credentials.iterations},
            {Key::StoredKey, QString::fromLatin1(credentials.storedKey.toBase64())},
            {Key::ServerKey, QString::fromLatin1(credentials.serverKey.toBase64())},
            {Key::Quota, account.quotaBytes ? QJsonValue(*account.quotaBytes) : QJsonValue(QJsonValue::Null)},
        });
    }
    return QJsonDocument(QJsonObject{{Key::Version, FileVersion}, {Key::Users, entries}}).toJson(QJsonDocument::Indented);
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
    if (const QString problem = accountProblem(account); !problem.isEmpty())
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
    if (const QString problem = accountProblem(account); !problem.isEmpty())
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
    } else if (Result<Users> parsed = parseUsers(file.readAll(), m_filePath); parsed) {
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
    if (const Status written = saveAtomically(m_filePath, serializeUsers(users)); !written)
        return written;
    m_users = users;
    m_stamp = stampOf(m_filePath);
    return {};
}

} // namespace ferry
