// ferry-cli: Ferry's terminal client. All the work is in ferry-cli-core (CommandLine, CliRunner, …).

#include "BulkAllocator.h"
#include "CliRunner.h"
#include "CommandLine.h"
#include "Console.h"
#include "DiscoverCommand.h"
#include "ServerTrust.h"
#include "Translations.h"

#include <QCoreApplication>

using namespace ferry::cli;

int main(int argc, char *argv[])
{
    ferry::keepBulkBuffersMapped();
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
