#pragma once
// ferry-cli's command line:
//
//   ferry-cli [--progress=auto|bar|none] ferry://USER@HOST[:PORT] COMMAND [ARGS]
//
// Parsing is pure (no I/O): it turns the arguments into CliOptions or a usage error, so that every rule
// is unit-tested (tests/unit/tst_clisyntax.cpp). Remote paths come out normalised ("a/b/" -> "/a/b").

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
};

struct ServerAddress {
    QString user;
    QString host;
    quint16 port = 0;
};

struct CliOptions {
    ProgressMode progress = ProgressMode::Auto;
    ServerAddress server;
    CliCommand command;
};

struct ParseOutcome {
    enum class Action { Run, ShowHelp, ShowVersion, UsageError };
    Action action = Action::UsageError;
    CliOptions options;
    QString error;   // for UsageError: one translated sentence, without the program name
};

class CommandLine {
public:
    // `arguments` as from QCoreApplication::arguments(): the first one is the program.
    static ParseOutcome parse(const QStringList &arguments);

    // "ferry://USER@HOST[:PORT]" (port 7420 when absent); false with a translated *error otherwise.
    static bool parseServerUrl(const QString &text, ServerAddress *address, QString *error);
    // Remote paths are relative to the home "/": "a/b" -> "/a/b"; one trailing "/" is dropped.
    // The server judges everything else (".." and such come back as invalid_path).
    static QString normaliseRemotePath(const QString &text);

    static QString helpText();
    static QString versionText();   // "ferry-cli 0.1.0"
    // Shown after a usage error.
    static QString tryHelpText();
};

} // namespace ferry::cli
