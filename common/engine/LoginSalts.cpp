#include "LoginSalts.h"

#include "KnownServers.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
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

QJsonObject LoginSalts::load() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

ScramSalt LoginSalts::find(const ConnectionParams &account) const
{
    const QJsonObject entry = load().value(key(account)).toObject();
    ScramSalt salt;
    salt.salt = QByteArray::fromBase64(entry.value(SaltKey).toString().toLatin1());
    salt.iterations = entry.value(IterationsKey).toInt();
    return salt.isValid() ? salt : ScramSalt();
}

bool LoginSalts::remember(const ConnectionParams &account, const ScramSalt &salt)
{
    QJsonObject entries = load();
    entries.insert(key(account), QJsonObject{{SaltKey, QString::fromLatin1(salt.salt.toBase64())},
                                             {IterationsKey, salt.iterations}});
    QDir().mkpath(QFileInfo(m_path).path());
    QSaveFile file(m_path);
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(entries).toJson()) >= 0 && file.commit();
}

} // namespace ferry
