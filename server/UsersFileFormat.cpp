#include "UsersFileFormat.h"

#include "Protocol.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

namespace ferry::UsersFileFormat {

namespace {

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

Error corrupt(const QString &path, const QString &what)
{
    return Error::make(ErrorCode::IoError, QStringLiteral("The users file %1 is corrupt: %2. Fix or restore it; Ferry will not change it until then.")
                       .arg(QDir::toNativeSeparators(path), what));
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

} // namespace

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

Result<QMap<QString, UserAccount>> parse(const QByteArray &bytes, const QString &path)
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

QByteArray serialize(const QMap<QString, UserAccount> &users)
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

} // namespace ferry::UsersFileFormat
