#include "ConfigReloader.h"

#include "OpLog.h"
#include "Server.h"

namespace ferry {

namespace {

QString yesNo(bool value)
{
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

// A setting's value as the configuration file spells it, by key; empty for a key this does not know.
QString valueOf(const ServerConfig &config, const QString &key)
{
    if (key == QLatin1String("data"))
        return config.dataDir;
    if (key == QLatin1String("listen"))
        return config.listenAddress.toString();
    if (key == QLatin1String("port"))
        return QString::number(config.port);
    if (key == QLatin1String("name"))
        return config.name;
    if (key == QLatin1String("idle-timeout"))
        return QString::number(config.idleTimeoutMs / 1000);
    if (key == QLatin1String("workers"))
        return QString::number(config.workerThreads);
    if (key == QLatin1String("max-sessions"))
        return QString::number(config.maxSessions);
    if (key == QLatin1String("max-sessions-per-address"))
        return QString::number(config.maxSessionsPerAddress);
    if (key == QLatin1String("part-file-lifetime"))
        return QString::number(config.partFileLifetimeSeconds) + QLatin1Char('s');
    if (key == QLatin1String("discovery"))
        return yesNo(config.discovery);
    if (key == QLatin1String("quiet"))
        return yesNo(!config.logOperations);
    return QString();
}

// What a running server can take without a restart; the rest binds sockets, threads or the data folder.
const QStringList LiveKeys{QStringLiteral("name"), QStringLiteral("idle-timeout"), QStringLiteral("max-sessions"),
                           QStringLiteral("max-sessions-per-address"), QStringLiteral("part-file-lifetime"),
                           QStringLiteral("quiet")};

} // namespace

ConfigReloader::ConfigReloader(Server &server, const QStringList &arguments, const ServerDefaults &defaults,
                               const ServerConfig &running, QObject *parent)
    : QObject(parent), m_server(server), m_arguments(arguments), m_defaults(defaults), m_running(running)
{
}

ConfigReloader::Changes ConfigReloader::compare(const ServerConfig &running, const ServerConfig &next)
{
    Changes changes;
    const QStringList keys = ServerCommandLineParser::configKeys();
    for (const QString &key : keys) {
        if (valueOf(running, key) == valueOf(next, key))
            continue;
        (LiveKeys.contains(key) ? changes.live : changes.restart).append(key);
    }
    return changes;
}

bool ConfigReloader::reload()
{
    const ServerCommandLine line = ServerCommandLineParser::parse(m_arguments, m_defaults);
    if (line.action == ServerCommandLine::Action::Error) {
        qWarning("%s", qPrintable(tr("ferryd: reload failed, the settings stay as they were: %1").arg(line.error)));
        return false;
    }
    const ServerConfig &next = line.config;
    const Changes changes = compare(m_running, next);
    for (const QString &key : changes.restart)
        logRestartNeeded(key, next);

    m_server.applyLiveSettings(next);
    setOpLogEnabled(next.logOperations);
    m_running.name = next.name;
    m_running.idleTimeoutMs = next.idleTimeoutMs;
    m_running.maxSessions = next.maxSessions;
    m_running.maxSessionsPerAddress = next.maxSessionsPerAddress;
    m_running.partFileLifetimeSeconds = next.partFileLifetimeSeconds;
    m_running.logOperations = next.logOperations;

    const QString source = line.configFile.isEmpty() ? tr("the command line (no --config)") : line.configFile;
    const QString applied = changes.live.isEmpty() ? tr("no setting that applies live changed")
                                                   : tr("applied %1").arg(changes.live.join(QLatin1String(", ")));
    qInfo("%s", qPrintable(tr("ferryd: reloaded %1: %2").arg(source, applied)));
    return true;
}

void ConfigReloader::logRestartNeeded(const QString &key, const ServerConfig &next) const
{
    qWarning("%s", qPrintable(tr("ferryd: '%1' changed from '%2' to '%3': this needs a restart, until then '%2' stays")
                                  .arg(key, valueOf(m_running, key), valueOf(next, key))));
}

} // namespace ferry
