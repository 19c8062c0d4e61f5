#include "CommandLine.h"

#include "CommandTable.h"
#include "Protocol.h"
#include "ServerIdentity.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QUrl>

#include <utility>

namespace ferry::cli {

using namespace commandtable;

namespace {

const CommandSpec *findCommand(const QString &name)
{
    for (const CommandSpec &spec : Commands) {
        if (name == QLatin1String(spec.name))
            return &spec;
    }
    return nullptr;
}

ParseOutcome usageError(const QString &message)
{
    ParseOutcome outcome;
    outcome.action = ParseOutcome::Action::UsageError;
    outcome.error = message;
    return outcome;
}

// A name that --as can give: one path segment, not "." or "..". (The server checks a remote name further.)
bool isPlainName(const QString &name)
{
    return !name.isEmpty() && name != QLatin1String(".") && name != QLatin1String("..")
           && !name.contains(QLatin1Char('/')) && !name.contains(QChar(0));
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
    const QCommandLineOption asOption(QStringLiteral("as"), QString(), QStringLiteral("name"));

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
    if (spec.flags & AsFlag)
        parser.addOption(asOption);
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
    if ((spec.flags & AsFlag) && parser.isSet(asOption)) {
        command->targetName = parser.value(asOption);
        if (!isPlainName(command->targetName))
            return CommandLine::tr("%1: --as needs a name without \"/\", other than \".\" and \"..\" (not \"%2\")")
                    .arg(name, command->targetName);
        if (positional.size() != 2)
            return CommandLine::tr("%1: --as names one copy: give one source").arg(name);
    }

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

} // namespace ferry::cli
