#include "ServerCommandLine.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

namespace ferry {

namespace {

using Apply = bool (*)(ServerConfig &config, const QString &value);

bool toInt(const QString &value, int min, int max, int *out)
{
    bool ok = false;
    const int number = value.trimmed().toInt(&ok);
    if (!ok || number < min || number > max)
        return false;
    *out = number;
    return true;
}

bool toBool(const QString &value, bool *out)
{
    static const QStringList yes{QStringLiteral("yes"), QStringLiteral("true"), QStringLiteral("on"), QStringLiteral("1")};
    static const QStringList no{QStringLiteral("no"), QStringLiteral("false"), QStringLiteral("off"), QStringLiteral("0")};
    const QString word = value.trimmed().toLower();
    if (!yes.contains(word) && !no.contains(word))
        return false;
    *out = yes.contains(word);
    return true;
}

// "90", "90s", "30m", "12h", "7d": seconds.
bool toDurationSeconds(const QString &value, qint64 *out)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,9})\\s*([smhd]?)$"));
    const QRegularExpressionMatch match = pattern.match(value.trimmed());
    if (!match.hasMatch())
        return false;
    const qint64 number = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    const qint64 scale = unit == QLatin1String("d") ? 86400 : unit == QLatin1String("h") ? 3600
                       : unit == QLatin1String("m") ? 60 : 1;
    if (number <= 0)
        return false;
    *out = number * scale;
    return true;
}

struct Setting {
    const char *option;      // long option, without "--"
    const char *configKey;   // key in the configuration file; nullptr: command line only
    const char *valueName;   // nullptr: a flag, which applies `flagValue`
    const char *flagValue;
    const char *help;
    Apply apply;
};

// One row per setting. The help texts are translated in helpText().
const Setting Settings[] = {
    {"data", "data", QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "DIR"), nullptr,
     QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "Data folder: users file and homes (default %1)."),
     [](ServerConfig &c, const QString &v) { c.dataDir = v.trimmed(); return !c.dataDir.isEmpty(); }},
    {"listen", "listen", QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "ADDR"), nullptr,
     QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "Address to listen on (default: all interfaces)."),
     [](ServerConfig &c, const QString &v) { return c.listenAddress.setAddress(v.trimmed()); }},
    {"port", "port", QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "N"), nullptr,
     QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "TCP port (default 7420; 0 picks a free one)."),
     [](ServerConfig &c, const QString &v) { int p = 0; return toInt(v, 0, 65535, &p) && (c.port = quint16(p), true); }},
    {"name", "name", QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "NAME"), nullptr,
     QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "Server name shown to clients (default: host name)."),
     [](ServerConfig &c, const QString &v) { c.name = v.trimmed().left(200); return !c.name.isEmpty(); }},
    {"idle-timeout", "idle-timeout", QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "SECONDS"), nullptr,
     QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "Close logged-in sessions idle this many seconds (default 600)."),
     [](ServerConfig &c, const QString &v) { int s = 0; return toInt(v, 1, 7 * 86400, &s) && (c.idleTimeoutMs = s * 1000, true); }},
    {"workers", "workers", QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "N"), nullptr,
     QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "Worker threads serving sessions (default 2)."),
     [](ServerConfig &c, const QString &v) { return toInt(v, 1, 64, &c.workerThreads); }},
    {"max-sessions", "max-sessions", QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "N"), nullptr,
     QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "Sessions served at once, in all (default %1)."),
     [](ServerConfig &c, const QString &v) { return toInt(v, 1, 100000, &c.maxSessions); }},
    {"max-sessions-per-address", "max-sessions-per-address", QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "N"), nullptr,
     QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "Sessions served at once from one address (default %1)."),
     [](ServerConfig &c, const QString &v) { return toInt(v, 1, 100000, &c.maxSessionsPerAddress); }},
    {"part-file-lifetime", "part-file-lifetime", QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "TIME"), nullptr,
     QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser",
                       "Delete unfinished uploads untouched this long: seconds, or with s, m, h or d (default 7d)."),
     [](ServerConfig &c, const QString &v) { return toDurationSeconds(v, &c.partFileLifetimeSeconds); }},
    {"no-discovery", "discovery", nullptr, "no",
     QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "Do not answer LAN discovery nor announce the server over mDNS."),
     [](ServerConfig &c, const QString &v) { return toBool(v, &c.discovery); }},
    {"quiet", "quiet", nullptr, "yes", QT_TRANSLATE_NOOP("ferry::ServerCommandLineParser", "Do not log every operation."),
     [](ServerConfig &c, const QString &v) { bool q = false; return toBool(v, &q) && (c.logOperations = !q, true); }},
};

const Setting *findOption(const QString &name)
{
    for (const Setting &setting : Settings)
        if (name == QLatin1String(setting.option))
            return &setting;
    return nullptr;
}

const Setting *findKey(const QString &key)
{
    for (const Setting &setting : Settings)
        if (setting.configKey && key == QLatin1String(setting.configKey))
            return &setting;
    return nullptr;
}

bool readConfigFile(const QString &path, ServerConfig *config, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = ServerCommandLineParser::tr("cannot read the configuration file %1: %2").arg(path, file.errorString());
        return false;
    }
    if (file.size() > 1024 * 1024) {
        *error = ServerCommandLineParser::tr("%1: the configuration file is larger than 1 MiB").arg(path);
        return false;
    }
    return ServerCommandLineParser::applyConfigText(QString::fromUtf8(file.readAll()), path, config, error);
}

struct OptionValue {
    const Setting *setting;
    QString value;
    QString spelled;   // as typed, for errors
};

// Splits the line into options (before the first positional word) and the subcommand; false on a usage error.
bool scanArguments(const QStringList &arguments, ServerCommandLine *result, QList<OptionValue> *options)
{
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if (!arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-")) {
            result->subcommand = arguments.mid(i);
            return true;
        }
        if (arg == QLatin1String("-h") || arg == QLatin1String("--help") || arg == QLatin1String("-?")) {
            result->action = ServerCommandLine::Action::Help;
            return true;
        }
        if (arg == QLatin1String("-v") || arg == QLatin1String("--version")) {
            result->action = ServerCommandLine::Action::Version;
            return true;
        }
        const QString name = arg.section(QLatin1Char('='), 0, 0).mid(2);
        const bool inlineValue = arg.contains(QLatin1Char('='));
        const Setting *setting = arg.startsWith(QLatin1String("--")) ? findOption(name) : nullptr;
        const bool isConfig = arg.startsWith(QLatin1String("--")) && name == QLatin1String("config");
        const bool isDemo = arg == QLatin1String("--demo");
        if (isDemo) {
            result->demo = true;
            continue;
        }
        if (!setting && !isConfig) {
            result->error = ServerCommandLineParser::tr("unknown option '%1'").arg(arg);
            return false;
        }
        const bool takesValue = isConfig || setting->valueName;
        if (!takesValue && inlineValue) {
            result->error = ServerCommandLineParser::tr("the option '--%1' takes no value").arg(name);
            return false;
        }
        QString value = setting && !takesValue ? QString::fromLatin1(setting->flagValue) : QString();
        if (takesValue) {
            if (inlineValue)
                value = arg.section(QLatin1Char('='), 1);
            else if (i + 1 < arguments.size())
                value = arguments.at(++i);
            else {
                result->error = ServerCommandLineParser::tr("the option '--%1' needs a value").arg(name);
                return false;
            }
        }
        if (isConfig)
            result->configFile = value;
        else
            options->append({setting, value, arg});
    }
    return true;
}

} // namespace

bool ServerCommandLineParser::applyConfigText(const QString &text, const QString &fileName, ServerConfig *config,
                                              QString *error)
{
    QHash<QString, int> seen;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int n = 0; n < lines.size(); ++n) {
        const QString line = lines.at(n).trimmed();
        const QString where = fileName + QLatin1Char(':') + QString::number(n + 1);
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char(';')))
            continue;
        const int equals = line.indexOf(QLatin1Char('='));
        if (equals < 0) {
            *error = tr("%1: expected 'key = value', found '%2'").arg(where, line.left(80));
            return false;
        }
        const QString key = line.left(equals).trimmed();
        QString value = line.mid(equals + 1).trimmed();
        if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"')))
            value = value.mid(1, value.size() - 2);
        const Setting *setting = findKey(key);
        if (!setting) {
            *error = tr("%1: unknown setting '%2' (known: %3)")
                         .arg(where, key.left(80), configKeys().join(QLatin1String(", ")));
            return false;
        }
        if (seen.contains(key)) {
            *error = tr("%1: '%2' is already set on line %3").arg(where, key).arg(seen.value(key));
            return false;
        }
        seen.insert(key, n + 1);
        if (!setting->apply(*config, value)) {
            *error = tr("%1: invalid value '%2' for '%3'").arg(where, value.left(80), key);
            return false;
        }
    }
    return true;
}

ServerCommandLine ServerCommandLineParser::parse(const QStringList &arguments, const ServerDefaults &defaults)
{
    ServerCommandLine result;
    result.config.dataDir = defaults.dataDir;
    result.config.name = defaults.name;
    QList<OptionValue> options;
    if (!scanArguments(arguments, &result, &options)) {
        result.action = ServerCommandLine::Action::Error;
        return result;
    }
    if (result.action != ServerCommandLine::Action::Serve)
        return result;
    if (!result.subcommand.isEmpty())
        result.action = ServerCommandLine::Action::Subcommand;
    if (result.configFile.isEmpty() && result.action == ServerCommandLine::Action::Subcommand
        && !defaults.systemConfig.isEmpty() && QFileInfo::exists(defaults.systemConfig))
        result.configFile = defaults.systemConfig;
    if (!result.configFile.isEmpty() && !readConfigFile(result.configFile, &result.config, &result.error)) {
        result.action = ServerCommandLine::Action::Error;
        return result;
    }
    for (const OptionValue &option : options) {
        if (!option.setting->apply(result.config, option.value)) {
            result.error = tr("invalid value '%1' for '--%2'").arg(option.value.left(80), QLatin1String(option.setting->option));
            result.action = ServerCommandLine::Action::Error;
            return result;
        }
    }
    return result;
}

QStringList ServerCommandLineParser::configKeys()
{
    QStringList keys;
    for (const Setting &setting : Settings)
        if (setting.configKey)
            keys.append(QLatin1String(setting.configKey));
    return keys;
}

QString ServerCommandLineParser::helpText(const ServerDefaults &defaults)
{
    const ServerConfig builtIn;
    QString text = tr("Usage: ferryd [OPTION]... [user SUBCOMMAND ARGS...]\n\n"
                      "Ferry file server. Serves each user's home folder with a disk quota.\n\n"
                      "Admin subcommands (they work whether the server runs or not; passwords come from\n"
                      "FERRY_PASSWORD or are asked on the terminal):\n"
                      "  user add NAME [--quota SIZE]     add a user (SIZE: bytes or K/M/G/T, powers of 1024)\n"
                      "  user passwd NAME                 set a new password\n"
                      "  user quota NAME SIZE|unlimited   change the quota\n"
                      "  user del NAME [--purge]          delete a user (--purge also deletes the home)\n"
                      "  user list                        names, quotas and usage\n"
                      "  identity                         the server's identity code (line 1) and fingerprint (line 2),\n"
                      "                                   for users to compare with what their client shows\n\n"
                      "Options:\n");
    const auto row = [&text](const QString &spelled, const QString &help) {
        text += QStringLiteral("  %1  %2\n").arg(spelled.leftJustified(32), help);
    };
    row(QStringLiteral("--config ") + tr("FILE"),
        tr("Read settings from FILE (command-line options win). Subcommands read %1 by default.")
            .arg(defaults.systemConfig));
    for (const Setting &setting : Settings) {
        QString spelled = QStringLiteral("--") + QLatin1String(setting.option);
        if (setting.valueName)
            spelled += QLatin1Char(' ') + tr(setting.valueName);
        QString help = tr(setting.help);
        if (help.contains(QLatin1String("%1"))) {
            const QString option = QLatin1String(setting.option);
            help = help.arg(option == QLatin1String("data") ? defaults.dataDir
                            : option == QLatin1String("max-sessions") ? QString::number(builtIn.maxSessions)
                                                                      : QString::number(builtIn.maxSessionsPerAddress));
        }
        row(spelled, help);
    }
    row(QStringLiteral("--demo"), tr("Create a demo account with sample files (once), print how to connect, and serve."));
    row(QStringLiteral("-h, --help"), tr("Show this help."));
    row(QStringLiteral("-v, --version"), tr("Show the version."));
    return text;
}

} // namespace ferry
