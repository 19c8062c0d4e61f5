// ferry-cli: Ferry's terminal client. All the work is in ferry-cli-core (CommandLine, CliRunner, …).

#include "BulkAllocator.h"
#include "CliRunner.h"
#include "CommandLine.h"
#include "Console.h"
#include "DiscoverCommand.h"
#include "OpenFileLimit.h"
#include "ServerTrust.h"
#include "Translations.h"

#include <QCoreApplication>
#include <QFile>

using namespace ferry::cli;

int main(int argc, char *argv[])
{
    ferry::keepBulkBuffersMapped();
    ferry::raiseOpenFileLimit();
    // Every local time Qt makes (a file's modification time) calls tzset(), and with TZ unset glibc then
    // stats /etc/localtime again: four times per file of a folder upload, 7 % of ferry-cli's CPU for 2000
    // small files. A command ends long before the machine's time zone could change, so name it once.
    if (qEnvironmentVariableIsEmpty("TZ") && QFile::exists(QStringLiteral("/etc/localtime")))
        qputenv("TZ", ":/etc/localtime");
    // Qt's own event loop instead of GLib's: GLib's wakes the thread with an eventfd write for every event
    // posted, also from the thread itself (5 250 writes in a 2000-file get -r, 420 without); Qt's writes only
    // when the thread sleeps. Nothing here needs GLib's loop (Avahi runs its own thread). Small-file put -r and
    // get -r took 2-5 % less time, ferry-cli 6-8 % less CPU. (ferryd, measured the same way, gained nothing;
    // the desktop client's platform widgets expect GLib's loop.) A QT_NO_GLIB the user set is left as it is.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ferry-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    ferry::installTranslations(&app);

    const ParseOutcome outcome = CommandLine::parse(QCoreApplication::arguments());
    switch (outcome.action) {
    case ParseOutcome::Action::ShowHelp:
        Console::out() << CommandLine::helpText();
        Console::flush();
        return ExitOk;
    case ParseOutcome::Action::ShowVersion:
        Console::out() << CommandLine::versionText() << '\n';
        Console::flush();
        return ExitOk;
    case ParseOutcome::Action::UsageError:
        Console::error(outcome.error);
        Console::err() << CommandLine::tryHelpText() << '\n';
        Console::flush();
        return ExitUsage;
    case ParseOutcome::Action::Discover:
        return runDiscover(Console::out(), Console::err());
    case ParseOutcome::Action::Forget:
        return ServerTrust::forget(outcome.options.server);
    case ParseOutcome::Action::ShowIdentity: {
        IdentityProbe probe(outcome.options.server);
        QObject::connect(&probe, &IdentityProbe::finished, &app, [](int exitCode) { QCoreApplication::exit(exitCode); });
        QMetaObject::invokeMethod(&probe, &IdentityProbe::start, Qt::QueuedConnection);
        return app.exec();
    }
    case ParseOutcome::Action::Run:
        break;
    }

    CliRunner runner(outcome.options);
    QObject::connect(&runner, &CliRunner::finished, &app, [](int exitCode) { QCoreApplication::exit(exitCode); });
    QMetaObject::invokeMethod(&runner, &CliRunner::start, Qt::QueuedConnection);
    return app.exec();
}
