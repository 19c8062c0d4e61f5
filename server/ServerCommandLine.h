#pragma once
// ferryd's command line and configuration file, parsed into a ServerConfig without starting anything:
//
//   ferryd [--config FILE] [OPTION…] [SUBCOMMAND ARGS…]
//
// The configuration file holds the same settings as the options, one `key = value` a line (keys are the
// long option names; `discovery = no` and `quiet = yes` stand for the two flags); `#` starts a comment line.
// Order of precedence: built-in defaults, then the file, then the command line. An unknown key, a repeated key
// or a bad value is an error naming the file and the line. Without --config, a subcommand (`ferryd user …`)
// reads the system file (/etc/ferryd/ferryd.conf) when it exists, so an admin works on the service's data.
//
// Every setting is one row of the table in ServerCommandLine.cpp; adding one is adding a row.

#include "ServerConfig.h"

#include <QCoreApplication>
#include <QStringList>

namespace ferry {

struct ServerDefaults {
    QString dataDir;        // --data when neither the file nor the command line says
    QString name;           // --name likewise (the host name)
    QString systemConfig;   // read by subcommands when no --config is given and it exists; empty: none
};

struct ServerCommandLine {
    enum class Action { Serve, Subcommand, Help, Version, Error };
    Action action = Action::Serve;
    ServerConfig config;
    QString configFile;       // the file that was read; empty when none
    QStringList subcommand;   // {"user", "add", …} for Action::Subcommand
    bool demo = false;
    QString error;            // translated, for Action::Error (exit code 2)
};

class ServerCommandLineParser {
    Q_DECLARE_TR_FUNCTIONS(ferry::ServerCommandLineParser)
public:
    // `arguments` as from QCoreApplication::arguments(): the first one is the program. Reads the
    // configuration file (the only I/O).
    static ServerCommandLine parse(const QStringList &arguments, const ServerDefaults &defaults);

    // Applies the text of a configuration file onto *config; false with "FILE:LINE: …" in *error otherwise.
    static bool applyConfigText(const QString &text, const QString &fileName, ServerConfig *config, QString *error);

    // The keys a configuration file may hold, in table order (for docs, completion and tests).
    static QStringList configKeys();
    static QString helpText(const ServerDefaults &defaults);
};

} // namespace ferry
