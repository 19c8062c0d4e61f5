#pragma once
// What ferry-cli's command line asks for, as parsed by CommandLine, and the exit codes of the program.

#include <QString>
#include <QStringList>

namespace ferry::cli {

// The process's exit status; scripts rely on these numbers.
enum ExitCode : int {
    ExitOk = 0,
    ExitFailed = 1,          // the operation failed
    ExitUsage = 2,           // bad command line
    ExitAuthFailed = 3,      // auth_failed, throttled, a forged server signature, or no password
    ExitCannotConnect = 4,   // no connection, or it dropped before login
    ExitIdentity = 5,        // the server's identity is unknown (not accepted) or changed
};

enum class ProgressMode { Auto, Bar, None };

enum class CommandKind { Ls, Mkdir, Rm, Mv, Quota, Put, Get };

struct CliCommand {
    CommandKind kind = CommandKind::Ls;
    QString name;              // as typed: "ls", "mkdir", …
    QStringList remotePaths;   // normalised, absolute
    QStringList localPaths;    // as given (put: sources; get: the target folder)
    bool longFormat = false;   // ls -l
    bool parents = false;      // mkdir -p
    bool recursive = false;    // rm -r, put -r, get -r
    bool overwrite = false;    // mv, put, get --overwrite
    bool resume = false;       // put, get --resume
    QString targetName;        // put, get --as NAME: the one source's name in the target folder
};

struct ServerAddress {
    QString user;
    QString host;
    quint16 port = 0;
};

struct CliOptions {
    // --reconnect=SECONDS: how long put and get keep trying to reconnect after a lost connection.
    static constexpr int DefaultReconnectSeconds = 60;
    static constexpr int MaxReconnectSeconds = 24 * 60 * 60;

    ProgressMode progress = ProgressMode::Auto;
    int reconnectSeconds = DefaultReconnectSeconds;   // 0: a lost connection ends the transfer at once
    QString trustCode;         // --trust CODE (or FERRY_TRUST): accept this identity on first contact
    ServerAddress server;
    CliCommand command;
};

struct ParseOutcome {
    // Discover: `ferry-cli discover`; Forget: drop the remembered identity of options.server;
    // ShowIdentity: print a server's identity.
    enum class Action { Run, ShowHelp, ShowVersion, UsageError, Discover, Forget, ShowIdentity };
    Action action = Action::UsageError;
    CliOptions options;
    QString error;   // for UsageError: one translated sentence, without the program name
};

} // namespace ferry::cli
