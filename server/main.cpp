// ferryd: the Ferry file server, and its admin subcommands (`ferryd [--data DIR] user …`).

#include "AdminCommands.h"
#include "DemoSetup.h"
#include "OpLog.h"
#include "Protocol.h"
#include "Server.h"
#include "TlsIdentity.h"
#include "Translations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostInfo>
#include <QStandardPaths>
#include <QTextStream>

#include <cstdio>

using namespace ferry;

namespace {

struct Translate {
    Q_DECLARE_TR_FUNCTIONS(ferryd)
};

// Options come before the subcommand; everything from the first positional word on is the subcommand's.
QStringList splitSubcommand(const QStringList &arguments, const QStringList &valueOptions, QStringList *subcommand)
{
    QStringList options{arguments.first()};
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        if (!arg.startsWith(u'-')) {
            *subcommand = arguments.mid(i);
            break;
        }
        options.append(arg);
        if (valueOptions.contains(arg) && i + 1 < arguments.size())
            options.append(arguments[++i]);
    }
    return options;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ferryd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    installTranslations(&app);
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(Translate::tr(
        "Ferry file server.\n\n"
        "Serves each user's home folder with a disk quota. Admin subcommands (they work whether the\n"
        "server runs or not; passwords come from FERRY_PASSWORD or are asked on the terminal):\n"
        "  user add NAME [--quota SIZE]     add a user (SIZE: bytes or K/M/G/T, powers of 1024)\n"
        "  user passwd NAME                 set a new password\n"
        "  user quota NAME SIZE|unlimited   change the quota\n"
        "  user del NAME [--purge]          delete a user (--purge also deletes the home)\n"
        "  user list                        names, quotas and usage\n"
        "  identity                         the server's identity code (line 1) and fingerprint (line 2),\n"
        "                                   for users to compare with what their client shows"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QString defaultData = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QCommandLineOption dataOption(QStringLiteral("data"), Translate::tr("Data folder: users file and homes (default %1).").arg(defaultData),
                                  Translate::tr("DIR"), defaultData);
    QCommandLineOption listenOption(QStringLiteral("listen"), Translate::tr("Address to listen on (default: all interfaces)."),
                                    Translate::tr("ADDR"), QStringLiteral("0.0.0.0"));
    QCommandLineOption portOption(QStringLiteral("port"), Translate::tr("TCP port (default 7420; 0 picks a free one)."),
                                  Translate::tr("N"), QString::number(Limits::DefaultPort));
    QCommandLineOption nameOption(QStringLiteral("name"), Translate::tr("Server name shown to clients (default: host name)."),
                                  Translate::tr("NAME"), QHostInfo::localHostName());
    QCommandLineOption idleOption(QStringLiteral("idle-timeout"),
                                  Translate::tr("Close logged-in sessions idle this many seconds (default 600)."),
                                  Translate::tr("SECONDS"), QStringLiteral("600"));
    QCommandLineOption workersOption(QStringLiteral("workers"), Translate::tr("Worker threads serving sessions (default 2)."),
                                     Translate::tr("N"), QStringLiteral("2"));
    QCommandLineOption noDiscoveryOption(QStringLiteral("no-discovery"), Translate::tr("Do not answer LAN discovery queries."));
    QCommandLineOption quietOption(QStringLiteral("quiet"), Translate::tr("Do not log every operation."));
    QCommandLineOption maxSessionsOption(QStringLiteral("max-sessions"),
                                         Translate::tr("Most connections open at once (default 512)."), Translate::tr("N"),
                                         QStringLiteral("512"));
    QCommandLineOption maxPerAddressOption(QStringLiteral("max-sessions-per-address"),
                                           Translate::tr("Most connections open at once from one address (default 32)."),
                                           Translate::tr("N"), QStringLiteral("32"));
    QCommandLineOption demoOption(QStringLiteral("demo"),
                                  Translate::tr("Create a demo account with sample files (once), print how to connect, and serve."));
    parser.addOptions({dataOption, listenOption, portOption, nameOption, idleOption, workersOption, noDiscoveryOption,
                       quietOption, demoOption, maxSessionsOption, maxPerAddressOption});

    QStringList subcommand;
    const QStringList valueOptions{QStringLiteral("--data"), QStringLiteral("--listen"), QStringLiteral("--port"),
                                   QStringLiteral("--name"), QStringLiteral("--idle-timeout"), QStringLiteral("--workers"),
                                   QStringLiteral("--max-sessions"), QStringLiteral("--max-sessions-per-address")};
    parser.process(splitSubcommand(QCoreApplication::arguments(), valueOptions, &subcommand));
    const QString dataDir = parser.value(dataOption);

    if (subcommand.value(0) == QLatin1String("identity")) {
        // Makes the key on a fresh data folder, as the first start would: the code is then the one served.
        const Result<TlsIdentity> tls = TlsIdentity::loadOrCreate(dataDir);
        if (!tls) {
            err << Translate::tr("ferryd: %1").arg(tls.error().message) << Qt::endl;
            return 1;
        }
        out << tls->identity().code() << Qt::endl << tls->identity().fingerprint() << Qt::endl;
        return 0;
    }
    if (!subcommand.isEmpty()) {
        if (subcommand.first() != QLatin1String("user")) {
            err << Translate::tr("ferryd: unknown command '%1' (see --help)").arg(subcommand.first()) << Qt::endl;
            return 2;
        }
        return runAdminCommand(dataDir, subcommand, out, err);
    }

    ServerConfig config;
    config.dataDir = dataDir;
    config.name = parser.value(nameOption);
    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    const int idleSeconds = parser.value(idleOption).toInt();
    const int workers = parser.value(workersOption).toInt();
    const int maxSessions = parser.value(maxSessionsOption).toInt();
    const int maxPerAddress = parser.value(maxPerAddressOption).toInt();
    if (!ok || port > 65535 || idleSeconds <= 0 || workers <= 0 || workers > 64
        || !config.listenAddress.setAddress(parser.value(listenOption))) {
        err << Translate::tr("ferryd: invalid --listen, --port, --idle-timeout or --workers value (see --help)") << Qt::endl;
        return 2;
    }
    if (maxSessions <= 0 || maxPerAddress <= 0) {
        err << Translate::tr("ferryd: --max-sessions and --max-sessions-per-address must be positive numbers") << Qt::endl;
        return 2;
    }
    config.maxSessions = maxSessions;
    config.maxSessionsPerAddress = maxPerAddress;
    config.port = quint16(port);
    config.idleTimeoutMs = idleSeconds * 1000;
    config.workerThreads = workers;
    config.discovery = !parser.isSet(noDiscoveryOption);
    setOpLogEnabled(!parser.isSet(quietOption));

    DemoAccount demo;
    if (parser.isSet(demoOption)) {
        QString error;
        if (!ensureDemoAccount(dataDir, &demo, &error)) {
            err << Translate::tr("ferryd: %1").arg(error) << Qt::endl;
            return 1;
        }
    }

    Server server(config);
    QString error;
    if (!server.start(&error)) {
        err << Translate::tr("ferryd: %1").arg(error) << Qt::endl;
        return 1;
    }
    const QString address = server.serverAddress().toString();
    const QString code = server.services().tls.identity().code();
    out << Translate::tr("ferryd: listening on %1:%2 (data: %3), identity %4")
               .arg(address).arg(server.serverPort()).arg(dataDir, code)
        << Qt::endl;
    if (parser.isSet(demoOption)) {
        const QString host = (server.serverAddress() == QHostAddress::Any || server.serverAddress() == QHostAddress::AnyIPv4)
                                 ? QStringLiteral("127.0.0.1") : address;
        const QString url = QStringLiteral("ferry://%1@%2:%3").arg(demo.user, host).arg(server.serverPort());
        out << Translate::tr("\nFerry demo server is ready.\n"
                             "  Address:  %1\n  User:     %2\n  Password: %3\n  Identity: %4\n\n"
                             "Your client shows the identity at the first connection: it must be the same code.\n"
                             "Try it from another terminal:\n  FERRY_PASSWORD=%3 ferry-cli %1 ls -l /\n")
                   .arg(url, demo.user, demo.password, code)
            << Qt::endl;
    }
    return app.exec();
}
