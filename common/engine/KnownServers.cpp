#include "KnownServers.h"

#include "JsonConfigFile.h"
#include "Protocol.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStandardPaths>

namespace ferry {

namespace {
struct Translate {
    Q_DECLARE_TR_FUNCTIONS(ferry::KnownServers)
};
} // namespace

QString IdentityCheck::address() const
{
    return KnownServers::key(host, port);
}

KnownServers::KnownServers(const QString &path) : m_path(path.isEmpty() ? defaultPath() : path)
{
}

QString KnownServers::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/known_servers.json");
}

QString KnownServers::key(const QString &host, quint16 port)
{
    const QString lower = host.toLower();
    return lower.contains(u':') ? QStringLiteral("[%1]:%2").arg(lower).arg(port) : QStringLiteral("%1:%2").arg(lower).arg(port);
}

QHash<QString, QString> KnownServers::load() const
{
    QHash<QString, QString> entries;
    const QJsonObject object = readJsonConfig(m_path);
    for (auto it = object.begin(); it != object.end(); ++it)
        entries.insert(it.key(), it.value().toString());
    return entries;
}

ServerIdentity KnownServers::find(const QString &host, quint16 port) const
{
    return ServerIdentity::fromFingerprint(load().value(key(host, port)));
}

static Status save(const QString &path, const QHash<QString, QString> &entries)
{
    QJsonObject object;
    for (auto it = entries.begin(); it != entries.end(); ++it)
        object.insert(it.key(), it.value());
    if (const QString failure = writeJsonConfig(path, object); !failure.isEmpty())
        return Error::make(ErrorCode::IoError, Translate::tr("Cannot save the known servers to %1: %2").arg(path, failure));
    return {};
}

Status KnownServers::remember(const QString &host, quint16 port, const ServerIdentity &identity)
{
    QHash<QString, QString> entries = load();
    entries.insert(key(host, port), identity.fingerprint());
    return save(m_path, entries);
}

Result<bool> KnownServers::forget(const QString &host, quint16 port)
{
    QHash<QString, QString> entries = load();
    if (!entries.remove(key(host, port)))
        return false;
    const Status saved = save(m_path, entries);
    if (!saved)
        return saved.error();
    return true;
}

Status KnownServers::verify(IdentityCheck check, const FirstUsePrompt &askFirstUse)
{
    check.known = find(check.host, check.port);
    if (check.known.isValid() && check.known == check.identity)
        return {};
    if (check.known.isValid()) {
        return Error::make(ErrorCode::IdentityChanged,
                           Translate::tr("The identity of %1 has CHANGED: it was %2, it is now %3. Someone may be "
                                         "intercepting the connection, or the server was reinstalled. Ask the server's "
                                         "admin which code `ferryd identity` prints; if it is the new one, forget the old "
                                         "identity (ferry-cli forget %1, or \"Forget identity\" in Ferry's Connect "
                                         "dialog) and connect again.")
                               .arg(check.address(), check.known.code(), check.identity.code()),
                           QJsonObject{{QStringLiteral("identity"), check.identity.code()},
                                       {QStringLiteral("known_identity"), check.known.code()}});
    }
    if (!askFirstUse || !askFirstUse(check)) {
        return Error::make(ErrorCode::IdentityUnknown,
                           Translate::tr("The identity of %1 (%2) is not trusted yet.").arg(check.address(), check.identity.code()),
                           QJsonObject{{QStringLiteral("identity"), check.identity.code()}});
    }
    return remember(check.host, check.port, check.identity);
}

} // namespace ferry
