// ferryd: the Ferry file server, and its admin subcommands (`ferryd [--data DIR] user …`).

#include "AdminCommands.h"
#include "BulkAllocator.h"
#include "ConfigReloader.h"
#include "DemoSetup.h"
#include "HangupNotifier.h"
#include "OpLog.h"
#include "OpenFileLimit.h"
#include "Protocol.h"
#include "Server.h"
#include "ServerCommandLine.h"
#include "TlsIdentity.h"
#include "Translations.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHostInfo>
#include <QStandardPaths>
#include <QTextStream>

#include <unistd.h>

using namespace ferry;

namespace {

struct Translate {
    Q_DECLARE_TR_FUNCTIONS(ferryd)
};

// root running `ferryd user …` on the service's data would leave files the service user cannot read: the
// owner of an existing data folder other than root, when run as root; empty otherwise.
QString foreignOwner(const QString &dataDir)
{
    const QFileInfo info(dataDir);
    if (::geteuid() != 0 || !info.exists() || info.ownerId() == 0)
        return QString();
    return info.owner().isEmpty() ? QString::number(info.ownerId()) : info.owner();
}

} // namespace

// `ferryd identity`: the code on line 1, the fingerprint on line 2. Makes the key on a fresh data folder, as the
// first start would, so the code printed is the one served.
static int printIdentity(const QString &dataDir, QTextStream &out, QTextStream &err)
{
    const Result<TlsIdentity> tls = TlsIdentity::loadOrCreate(dataDir);
    if (!tls) {
        err << Translate::tr("ferryd: %1").arg(tls.error().message) << Qt::endl;
        return 1;
    }
    out << tls->identity().code() << Qt::endl << tls->identity().fingerprint() << Qt::endl;
    return 0;
}

// `ferryd identity` and `ferryd user …`: run once and exit.
static int runSubcommand(const ServerCommandLine &line, QTextStream &out, QTextStream &err)
{
    if (line.subcommand.first() == QLatin1String("identity"))
        return printIdentity(line.config.dataDir, out, err);
    if (line.subcommand.first() != QLatin1String("user")) {
        err << Translate::tr("ferryd: unknown command '%1' (see --help)").arg(line.subcommand.first()) << Qt::endl;
        return 2;
    }
    if (const QString owner = foreignOwner(line.config.dataDir); !owner.isEmpty()) {
        err << Translate::tr("ferryd: %1 belongs to the user '%2'; run this as that user so the server can still "
                             "read its files, e.g. sudo -u %2 ferryd user …").arg(line.config.dataDir, owner)
            << Qt::endl;
        return 1;
    }
    return runAdminCommand(line.config.dataDir, line.subcommand, out, err);
}

static void printDemoBanner(Server &server, const DemoAccount &demo, QTextStream &out)
{
    const QString address = server.serverAddress().toString();
    const QString host = (server.serverAddress() == QHostAddress::Any || server.serverAddress() == QHostAddress::AnyIPv4)
                             ? QStringLiteral("127.0.0.1") : address;
    const QString url = QStringLiteral("ferry://%1@%2:%3").arg(demo.user, host).arg(server.serverPort());
    out << Translate::tr("\nFerry demo server is ready.\n"
                         "  Address:  %1\n  User:     %2\n  Password: %3\n  Identity: %4\n\n"
                         "Your client shows the identity at the first connection: it must be the same code.\n"
                         "Try it from another terminal:\n  FERRY_PASSWORD=%3 ferry-cli %1 ls -l /\n")
               .arg(url, demo.user, demo.password, server.services().tls.identity().code())
        << Qt::endl;
}

// Starts the server and runs the event loop until it ends.
static int serve(QCoreApplication &app, const ServerCommandLine &line, const ServerDefaults &defaults,
                 QTextStream &out, QTextStream &err)
{
    const ServerConfig &config = line.config;
    const QString &dataDir = config.dataDir;
    setOpLogEnabled(config.logOperations);
    ferry::raiseOpenFileLimit();

    DemoAccount demo;
    if (line.demo) {
        QString error;
        if (!ensureDemoAccount(dataDir, &demo, &error)) {
            err << Translate::tr("ferryd: %1").arg(error) << Qt::endl;
            return 1;
        }
    }

    // From here on SIGHUP reloads instead of ending the server; one sent while starting waits for the loop.
    HangupNotifier hangup;
    Server server(config);
    QString error;
    if (!server.start(&error)) {
        err << Translate::tr("ferryd: %1").arg(error) << Qt::endl;
        return 1;
    }
    ConfigReloader reloader(server, QCoreApplication::arguments(), defaults, config);
    QObject::connect(&hangup, &HangupNotifier::hangup, &reloader, &ConfigReloader::reload);
    out << Translate::tr("ferryd: listening on %1:%2 (data: %3), identity %4")
               .arg(server.serverAddress().toString()).arg(server.serverPort())
               .arg(dataDir, server.services().tls.identity().code())
        << Qt::endl;
    if (line.demo)
        printDemoBanner(server, demo, out);
    return app.exec();
}

int main(int argc, char *argv[])
{
    ferry::keepBulkBuffersMapped();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ferryd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    installTranslations(&app);
    QTextStream out(stdout);
    QTextStream err(stderr);

    const ServerDefaults defaults{QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
                                  QHostInfo::localHostName(), QStringLiteral(FERRY_SYSTEM_CONFIG)};
    const ServerCommandLine line = ServerCommandLineParser::parse(QCoreApplication::arguments(), defaults);
    switch (line.action) {
    case ServerCommandLine::Action::Help:
        out << ServerCommandLineParser::helpText(defaults) << Qt::flush;
        return 0;
    case ServerCommandLine::Action::Version:
        out << QStringLiteral("ferryd %1").arg(QStringLiteral(FERRY_VERSION)) << Qt::endl;
        return 0;
    case ServerCommandLine::Action::Error:
        err << Translate::tr("ferryd: %1 (see --help)").arg(line.error) << Qt::endl;
        return 2;
    case ServerCommandLine::Action::Subcommand:
        return runSubcommand(line, out, err);
    case ServerCommandLine::Action::Serve:
        break;
    }
    return serve(app, line, defaults, out, err);
}
