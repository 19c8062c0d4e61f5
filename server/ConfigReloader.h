#pragma once
// ferryd's reload (SIGHUP): re-reads the configuration the server was started with — the same command line,
// so its options still win over the file — and applies what can change while serving: the name, the idle
// timeout, the session limits, the part-file lifetime and quiet (Server::applyLiveSettings). A changed setting
// that needs a restart (data, listen, port, workers, discovery) keeps its running value and gets one log line;
// a file with an error changes nothing. One log line says what was reloaded.
// Accounts need no reload: the users file is re-read whenever it changes (UsersFile).

#include "ServerCommandLine.h"

#include <QObject>
#include <QStringList>

namespace ferry {

class Server;

class ConfigReloader : public QObject {
    Q_OBJECT
public:
    // `arguments` and `defaults`: what main() parsed at start; `running`: the configuration it started with.
    ConfigReloader(Server &server, const QStringList &arguments, const ServerDefaults &defaults,
                   const ServerConfig &running, QObject *parent = nullptr);

    // The configuration keys whose values differ between `running` and `next`, in table order.
    struct Changes {
        QStringList live;      // applied by a reload
        QStringList restart;   // need a restart
    };
    static Changes compare(const ServerConfig &running, const ServerConfig &next);

    // Reads and applies; false (and the file:line error logged) when the configuration is bad.
    bool reload();

private:
    void logRestartNeeded(const QString &key, const ServerConfig &next) const;

    Server &m_server;
    const QStringList m_arguments;
    const ServerDefaults m_defaults;
    ServerConfig m_running;   // the start settings, with the live ones as last applied
};

} // namespace ferry
