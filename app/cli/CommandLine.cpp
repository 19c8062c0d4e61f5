#include "CommandLine.h"

#include "Protocol.h"
#include "ServerIdentity.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QUrl>

#include <utility>

namespace ferry::cli {

namespace {

const char *const Context = "ferry::cli::CommandLine";

enum CommandFlag {
    LongFlag = 1 << 0,        // -l, --long
    ParentsFlag = 1 << 1,     // -p, --parents
    RecursiveFlag = 1 << 2,   // -r, --recursive
    OverwriteFlag = 1 << 3,   // --overwrite
    ResumeFlag = 1 << 4,      // --resume
};

// Which arguments are remote paths and which local ones.
enum class Layout { Remote, LocalsThenRemote, RemotesThenLocal };

struct CommandSpec {
    const char *name;
    CommandKind kind;
    int minArguments;
    int maxArguments;   // -1: no limit
    Layout layout;
    int flags;
    const char *synopsis;
    const char *summary;
    // Shown in --help (a command parsed before it can run is left out).
    bool available;
};

const CommandSpec Commands[] = {
    {"ls", CommandKind::Ls, 0, 1, Layout::Remote, LongFlag, "ls [-l] [PATH]",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "List a folder (default \"/\"); folders end in \"/\". -l: type, size, modification "
                       "time and name in columns."),
     true},
    {"mkdir", CommandKind::Mkdir, 1, -1, Layout::Remote, ParentsFlag, "mkdir [-p] PATH...",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "Create folders. -p: create missing parent folders too; an existing folder is fine."),
     true},
    {"rm", CommandKind::Rm, 1, -1, Layout::Remote, RecursiveFlag, "rm [-r] PATH...",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "Remove files and empty folders. -r: remove folders with everything in them."),
     true},
    {"mv", CommandKind::Mv, 2, 2, Layout::Remote, OverwriteFlag, "mv [--overwrite] FROM TO",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "Rename or move FROM so that its full path becomes TO (TO is not a folder to move "
                       "into). --overwrite: replace an existing TO."),
     true},
    {"quota", CommandKind::Quota, 0, 0, Layout::Remote, 0, "quota",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine", "Show the space you use and your limit, in bytes and readable."),
     true},
    {"put", CommandKind::Put, 2, -1, Layout::LocalsThenRemote, RecursiveFlag | OverwriteFlag | ResumeFlag,
     "put [-r] [--resume|--overwrite] LOCAL... REMOTE_DIR",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "Upload files into the folder REMOTE_DIR, each under its own name. -r: folders too, with "
                       "everything in them (a folder that exists is merged into). A file that exists is an error "
                       "unless --overwrite (replace it) or --resume (continue interrupted uploads, see "
                       "\"Transfers\")."),
     true},
    {"get", CommandKind::Get, 2, -1, Layout::RemotesThenLocal, RecursiveFlag | OverwriteFlag | ResumeFlag,
     "get [-r] [--resume|--overwrite] REMOTE... LOCAL_DIR",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "Download files into the existing folder LOCAL_DIR, each under its own name (\"/\" with "
                       "-r: everything). -r: folders too. A file that exists is an error unless --overwrite "
                       "(replace it) or --resume (continue interrupted downloads, see \"Transfers\")."),
     true},
};

const CommandSpec *findCommand(const QString &name)
{
    for (const CommandSpec &spec : Commands) {
        if (name == QLatin1String(spec.name))
            return &spec;
    }
    return nullptr;
}

// Word-wraps `text` into lines of at most `width` columns, each indented by `indent` spaces.
QString wrapped(const QString &text, int indent, int width)
{
    const QString margin(indent, QLatin1Char(' '));
    QString out;
    QString line;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && indent + line.size() + 1 + word.size() > width) {
            out += margin + line + QLatin1Char('\n');
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    if (!line.isEmpty())
        out += margin + line + QLatin1Char('\n');
    return out;
}

ParseOutcome usageError(const QString &message)
{
    ParseOutcome outcome;
    outcome.action = ParseOutcome::Action::UsageError;
    outcome.error = message;
    return outcome;
}

// The command's arguments into its local and (normalised) remote paths, as its layout says.
void assignPaths(Layout layout, const QStringList &positional, CliCommand *command)
{
    QStringList remote;
    switch (layout) {
    case Layout::Remote:
        remote = positional;
        break;
    case Layout::LocalsThenRemote:
        command->localPaths = positional.mid(0, positional.size() - 1);
        remote = QStringList{positional.last()};
        break;
    case Layout::RemotesThenLocal:
        remote = positional.mid(0, positional.size() - 1);
        command->localPaths = QStringList{positional.last()};
        break;
    }
    for (const QString &path : remote)
        command->remotePaths.append(CommandLine::normaliseRemotePath(path));
}

// Parses COMMAND [ARGS] into options->command, or returns the usage error.
QString parseCommand(const CommandSpec &spec, const QStringList &arguments, CliCommand *command)
{
    const QString name = QLatin1String(spec.name);
    const QCommandLineOption longOption(QStringList{QStringLiteral("l"), QStringLiteral("long")});
    const QCommandLineOption parentsOption(QStringList{QStringLiteral("p"), QStringLiteral("parents")});
    const QCommandLineOption recursiveOption(QStringList{QStringLiteral("r"), QStringLiteral("recursive")});
    const QCommandLineOption overwriteOption(QStringLiteral("overwrite"));
    const QCommandLineOption resumeOption(QStringLiteral("resume"));

    QCommandLineParser parser;
    if (spec.flags & LongFlag)
        parser.addOption(longOption);
    if (spec.flags & ParentsFlag)
        parser.addOption(parentsOption);
    if (spec.flags & RecursiveFlag)
        parser.addOption(recursiveOption);
    if (spec.flags & OverwriteFlag)
        parser.addOption(overwriteOption);
    if (spec.flags & ResumeFlag)
        parser.addOption(resumeOption);
    // The parser skips its first argument as the program's name: here that is the command.
    if (!parser.parse(QStringList{name} + arguments))
        return CommandLine::tr("%1: %2").arg(name, parser.errorText());

    const QStringList positional = parser.positionalArguments();
    const QString synopsis = QLatin1String(spec.synopsis);
    if (positional.size() < spec.minArguments)
        return CommandLine::tr("%1: missing arguments (usage: %2)").arg(name, synopsis);
    if (spec.maxArguments >= 0 && positional.size() > spec.maxArguments)
        return CommandLine::tr("%1: too many arguments (usage: %2)").arg(name, synopsis);
    for (const QString &argument : positional) {
        if (argument.isEmpty())
            return CommandLine::tr("%1: a path cannot be empty").arg(name);
    }

    command->kind = spec.kind;
    command->name = name;
    command->longFormat = (spec.flags & LongFlag) && parser.isSet(longOption);
    command->parents = (spec.flags & ParentsFlag) && parser.isSet(parentsOption);
    command->recursive = (spec.flags & RecursiveFlag) && parser.isSet(recursiveOption);
    command->overwrite = (spec.flags & OverwriteFlag) && parser.isSet(overwriteOption);
    command->resume = (spec.flags & ResumeFlag) && parser.isSet(resumeOption);
    if (command->overwrite && command->resume)
        return CommandLine::tr("%1: --resume and --overwrite exclude each other").arg(name);

    assignPaths(spec.layout, positional, command);
    return {};
}

// --progress=MODE into options; the usage error otherwise.
QString parseProgress(const QString &mode, CliOptions *options)
{
    if (mode == QLatin1String("auto"))
        options->progress = ProgressMode::Auto;
    else if (mode == QLatin1String("bar"))
        options->progress = ProgressMode::Bar;
    else if (mode == QLatin1String("none"))
        options->progress = ProgressMode::None;
    else
        return CommandLine::tr("invalid --progress value '%1' (use auto, bar or none)").arg(mode);
    return {};
}

// --reconnect=SECONDS into options; the usage error otherwise.
QString parseReconnect(const QString &text, CliOptions *options)
{
    bool ok = false;
    const int seconds = text.toInt(&ok);
    if (!ok || seconds < 0 || seconds > CliOptions::MaxReconnectSeconds) {
        return CommandLine::tr("invalid --reconnect value '%1' (use seconds from 0 to %2)")
                .arg(text)
                .arg(CliOptions::MaxReconnectSeconds);
    }
    options->reconnectSeconds = seconds;
    return {};
}

// --trust=CODE (or FERRY_TRUST) into options, normalised; the usage error otherwise.
QString parseTrustCode(const QString &code, CliOptions *options)
{
    options->trustCode = code;
    if (!options->trustCode.isEmpty()) {
        const QString normalized = ServerIdentity::normalizeCode(options->trustCode);
        if (normalized.isEmpty())
            return CommandLine::tr("'%1' is not an identity code (like 7Q2M-K9XD-4RTA-HW3E)").arg(options->trustCode);
        options->trustCode = normalized;
    }
    return {};
}

// What follows ferry-cli's own options: discover, a trust command, or URL COMMAND [ARGS].
ParseOutcome parseServerAndCommand(const QStringList &positional, ParseOutcome outcome)
{
    CliOptions &options = outcome.options;
    if (positional.isEmpty())
        return usageError(CommandLine::tr("missing the server URL (ferry://USER@HOST[:PORT])"));
    // `ferry-cli discover` needs no server.
    if (positional.first() == QLatin1String("discover")) {
        if (positional.size() > 1)
            return usageError(CommandLine::tr("discover: too many arguments (usage: discover)"));
        outcome.action = ParseOutcome::Action::Discover;
        return outcome;
    }
    if (positional.first() == QLatin1String("forget") || positional.first() == QLatin1String("identity"))
        return CommandLine::parseTrustCommand(positional, options);
    QString error;
    if (!CommandLine::parseServerUrl(positional.first(), &options.server, &error))
        return usageError(error);
    if (positional.size() < 2)
        return usageError(CommandLine::tr("missing a command after the server URL"));
    const CommandSpec *spec = findCommand(positional.at(1));
    if (!spec)
        return usageError(CommandLine::tr("unknown command '%1'").arg(positional.at(1)));
    error = parseCommand(*spec, positional.mid(2), &options.command);
    if (!error.isEmpty())
        return usageError(error);
    outcome.action = ParseOutcome::Action::Run;
    return outcome;
}

} // namespace

ParseOutcome CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    // Options before the URL are ferry-cli's own; everything from the URL on belongs to the command.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption helpOption(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    const QCommandLineOption versionOption(QStringLiteral("version"));
    const QCommandLineOption progressOption(QStringLiteral("progress"), QString(), QStringLiteral("mode"));
    const QCommandLineOption trustOption(QStringLiteral("trust"), QString(), QStringLiteral("code"));
    const QCommandLineOption reconnectOption(QStringLiteral("reconnect"), QString(), QStringLiteral("seconds"));
    parser.addOptions({helpOption, versionOption, progressOption, trustOption, reconnectOption});
    if (!parser.parse(arguments))
        return usageError(parser.errorText());

    ParseOutcome outcome;
    if (parser.isSet(helpOption)) {
        outcome.action = ParseOutcome::Action::ShowHelp;
        return outcome;
    }
    if (parser.isSet(versionOption)) {
        outcome.action = ParseOutcome::Action::ShowVersion;
        return outcome;
    }

    CliOptions &options = outcome.options;
    QString error;
    if (parser.isSet(progressOption))
        error = parseProgress(parser.value(progressOption), &options);
    if (error.isEmpty() && parser.isSet(reconnectOption))
        error = parseReconnect(parser.value(reconnectOption), &options);
    if (error.isEmpty()) {
        error = parseTrustCode(parser.isSet(trustOption) ? parser.value(trustOption) : qEnvironmentVariable("FERRY_TRUST"),
                               &options);
    }
    if (!error.isEmpty())
        return usageError(error);
    return parseServerAndCommand(parser.positionalArguments(), std::move(outcome));
}

ParseOutcome CommandLine::parseTrustCommand(const QStringList &positional, const CliOptions &options)
{
    const bool forget = positional.first() == QLatin1String("forget");
    if (positional.size() != 2)
        return usageError(forget ? tr("forget: usage: forget HOST[:PORT]") : tr("identity: usage: identity ferry://HOST[:PORT]"));
    ParseOutcome outcome;
    outcome.options = options;
    QString error;
    // forget takes HOST[:PORT] (or a URL); both go through the URL parser, which knows IPv6 brackets.
    const QString text = positional.at(1).startsWith(QLatin1String("ferry://")) ? positional.at(1)
                                                                                  : QStringLiteral("ferry://") + positional.at(1);
    if (!parseServerUrl(text, &outcome.options.server, &error, false))
        return usageError(error);
    outcome.action = forget ? ParseOutcome::Action::Forget : ParseOutcome::Action::ShowIdentity;
    return outcome;
}

bool CommandLine::parseServerUrl(const QString &text, ServerAddress *address, QString *error, bool needUser)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString form = QStringLiteral("ferry://USER@HOST[:PORT]");
    if (!url.isValid() || url.scheme() != QLatin1String("ferry") || url.host().isEmpty()) {
        *error = tr("'%1' is not a server URL of the form %2").arg(text, form);
        return false;
    }
    if (url.userName().isEmpty() && needUser) {
        *error = tr("the server URL '%1' names no user (use %2)").arg(text, form);
        return false;
    }
    if (!url.password().isEmpty()) {
        // Command lines are visible to every user of the machine (ps); passwords do not belong there.
        *error = tr("do not put the password in the URL: set FERRY_PASSWORD or type it when asked");
        return false;
    }
    if ((!url.path().isEmpty() && url.path() != QLatin1String("/")) || url.hasQuery() || url.hasFragment()) {
        *error = tr("the server URL '%1' must not have a path, query or fragment (use %2)").arg(text, form);
        return false;
    }
    const int port = url.port(Limits::DefaultPort);
    if (port < 1 || port > 65535) {
        *error = tr("invalid port in '%1' (use 1 to 65535)").arg(text);
        return false;
    }
    address->user = url.userName(QUrl::FullyDecoded);
    address->host = url.host(QUrl::FullyDecoded);
    address->port = quint16(port);
    return true;
}

QString CommandLine::normaliseRemotePath(const QString &text)
{
    QString path = text.startsWith(QLatin1Char('/')) ? text : QLatin1Char('/') + text;
    if (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return path;
}

QString CommandLine::versionText()
{
    return QStringLiteral("ferry-cli " FERRY_VERSION);
}

QString CommandLine::tryHelpText()
{
    return tr("Try 'ferry-cli --help' for more information.");
}

QString CommandLine::helpText()
{
    // Each command: its synopsis, then what it does, indented and wrapped for an 80-column terminal.
    QString commands;
    for (const CommandSpec &spec : Commands) {
        if (spec.available) {
            commands += QStringLiteral("  ") + QLatin1String(spec.synopsis) + QLatin1Char('\n')
                    + wrapped(QCoreApplication::translate(Context, spec.summary), 6, 78);
        }
    }
    return tr("Usage: ferry-cli [--progress=auto|bar|none] [--reconnect=SECONDS] [--trust CODE]\n"
              "                 ferry://USER@HOST[:PORT] COMMAND [ARGS]\n"
              "       ferry-cli discover\n"
              "       ferry-cli identity ferry://HOST[:PORT]\n"
              "       ferry-cli forget HOST[:PORT]\n"
              "\n"
              "Works with the files of your account on a Ferry server (ferryd).\n"
              "\n"
              "Server URL:\n"
              "  USER is your account on the server, HOST its name or address (IPv6 in\n"
              "  brackets: ferry://alice@[fe80::1]:7420), PORT is 7420 when left out.\n"
              "\n"
              "Commands:\n"
              "%1"
              "\n"
              "Nearby servers:\n"
              "  discover\n"
              "      List the Ferry servers on the local network, found by mDNS and by a\n"
              "      broadcast: name, address, how each was found and the identity it\n"
              "      announces. Exit status 1 when none answered.\n"
              "\n"
              "Remote paths start at your home folder \"/\": \"docs/a.txt\" means \"/docs/a.txt\",\n"
              "and a trailing \"/\" is ignored. Put \"--\" before paths that start with \"-\".\n"
              "\n"
              "Transfers (put, get):\n"
              "  Every file is checked with SHA-256 from end to end and appears under its\n"
              "  name only once complete. An interrupted transfer (Ctrl-C, a lost connection,\n"
              "  a crash) leaves a part file; --resume continues it without sending again\n"
              "  what is already there (without --resume, a file starts from its beginning).\n"
              "  With --resume, a target that already exists with the same size and\n"
              "  modification time is complete and left as it is; any other existing target\n"
              "  is replaced. A folder given without -r, a source that does not exist and\n"
              "  every file that fails are reported by name on standard error; the other\n"
              "  files still go, and the exit status is 1.\n"
              "  A connection lost during put or get is reconnected, 1, 2, 4 ... up to 30\n"
              "  seconds apart, for at most --reconnect seconds after the loss (default 60);\n"
              "  the transfer then continues where it stopped. A refused login or a changed\n"
              "  server identity is not retried.\n"
              "\n"
              "Options (before the URL):\n"
              "  --progress=MODE  progress display of put and get on standard error: auto (a\n"
              "                   bar when standard error is a terminal), bar (always) or\n"
              "                   none. The bar shows the current file and the whole\n"
              "                   transfer (percent, bytes, rate, time left), then a summary.\n"
              "  --reconnect=SECONDS  put and get: how long to keep trying to reconnect after\n"
              "                   a lost connection (default 60; 0: do not reconnect)\n"
              "  --trust CODE     on first contact, trust the server if its identity is CODE\n"
              "                   (also FERRY_TRUST=CODE); needed without a terminal\n"
              "  -h, --help       show this help\n"
              "  --version        show the version\n"
              "\n"
              "Server identity:\n"
              "  Connections use TLS 1.3. Each server has an identity code such as\n"
              "  7Q2M-K9XD-4RTA-HW3E (ferryd prints it at start; `ferryd identity` too).\n"
              "  At the first connection to HOST:PORT, ferry-cli shows the code and asks\n"
              "  \"Trust this server? [y/N]\"; without a terminal it refuses unless --trust\n"
              "  names the code. The accepted code is remembered; if it ever changes,\n"
              "  ferry-cli refuses and names both codes. Check with the server's admin, then\n"
              "  'ferry-cli forget HOST[:PORT]' and connect again.\n"
              "  identity URL     show a server's identity code and fingerprint (no login)\n"
              "  forget HOST[:PORT]  forget the identity remembered for that server\n"
              "\n"
              "Password:\n"
              "  Taken from the environment variable FERRY_PASSWORD when it is set, otherwise\n"
              "  asked on the terminal without echo. It never travels over the network\n"
              "  (SCRAM-SHA-256-PLUS, bound to the TLS connection).\n"
              "\n"
              "Exit status:\n"
              "  0  success\n"
              "  1  the operation failed (the reason is on standard error); for put and\n"
              "     get: any source or file failed, after all the others were tried\n"
              "  2  usage error: bad command line\n"
              "  3  authentication failed: wrong user name or password, too many failed\n"
              "     attempts, a server that could not prove its identity, or no password given\n"
              "  4  cannot connect to the server, or the connection dropped before login\n"
              "     (a connection lost later is a failure: 1, also when reconnecting fails)\n"
              "  5  the server's identity is not trusted: unknown and not accepted, or\n"
              "     changed since it was accepted\n"
              "  130  interrupted by Ctrl-C (143: by SIGTERM); part files are kept\n")
            .arg(commands);
}

} // namespace ferry::cli
