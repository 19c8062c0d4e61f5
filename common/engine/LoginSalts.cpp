#include "LoginSalts.h"

#include "JsonConfigFile.h"
#include "KnownServers.h"

#include <QStandardPaths>

namespace ferry {

namespace {
const QString SaltKey = QStringLiteral("salt");
const QString IterationsKey = QStringLiteral("i");
} // namespace

LoginSalts::LoginSalts(const QString &path) : m_path(path.isEmpty() ? defaultPath() : path)
{
}

QString LoginSalts::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/login_salts.json");
}

QString LoginSalts::key(const ConnectionParams &account)
{
    return account.user + u'@' + KnownServers::key(account.host, account.port);
}

ScramSalt LoginSalts::find(const ConnectionParams &account) const
{
    const QJsonObject entry = readJsonConfig(m_path).value(key(account)).toObject();
    ScramSalt salt;
    salt.salt = QByteArray::fromBase64(entry.value(SaltKey).toString().toLatin1());
    salt.iterations = entry.value(IterationsKey).toInt();
    return salt.isValid() ? salt : ScramSalt();
}

bool LoginSalts::remember(const ConnectionParams &account, const ScramSalt &salt)
{
    QJsonObject entries = readJsonConfig(m_path);
    entries.insert(key(account), QJsonObject{{SaltKey, QString::fromLatin1(salt.salt.toBase64())},
                                             {IterationsKey, salt.iterations}});
    return writeJsonConfig(m_path, entries).isEmpty();
}

} // namespace ferry
