#include "CliRunner.h"

#include "BrowseCommand.h"
#include "ClientSession.h"
#include "Console.h"
#include "ErrorText.h"
#include "InterruptWatcher.h"
#include "Protocol.h"
#include "ServerTrust.h"
#include "Terminal.h"
#include "TransferCommand.h"

namespace ferry::cli {

CliRunner::CliRunner(const CliOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_session(new ClientSession(this)),
      m_keeper(new SessionKeeper(m_session, this))
{
    m_session->setIdentityVerifier(ServerTrust::verifier(options.trustCode, m_refusalExplained));
    // Only a transfer is worth waiting for; ls, mkdir and the like report a lost connection at once.
    SessionKeeper::Backoff backoff = m_keeper->backoff();
    backoff.giveUpAfterMs = TransferCommand::handles(options.command.kind) ? options.reconnectSeconds * 1000LL : 0;
    m_keeper->setBackoff(backoff);
    connect(m_keeper, &SessionKeeper::online, this, &CliRunner::onOnline);
    connect(m_keeper, &SessionKeeper::failed, this, &CliRunner::onFailed);
}

void CliRunner::start()
{
    // Asked before connecting: the server closes sessions that stay unauthenticated for long.
    QString error;
    const std::optional<QString> password = passwordFromEnvironmentOrTerminal(false, &error);
    if (!password) {
        Console::error(tr("cannot log in as '%1': %2").arg(m_options.server.user, error));
        finish(ExitAuthFailed);
        return;
    }
    // Only now: while the password prompt runs, Ctrl-C must keep its usual meaning there.
    m_interrupts = new InterruptWatcher(this);
    connect(m_interrupts, &InterruptWatcher::interrupted, this, &CliRunner::onInterrupted);
    // The keeper holds the password in memory for reconnects (as this process did until the login).
    m_keeper->open(ConnectionParams{m_options.server.host, m_options.server.port, m_options.server.user, *password});
}

void CliRunner::onOnline(bool reconnected)
{
    if (reconnected || m_loggedIn)
        return;   // the running command continues by itself
    m_loggedIn = true;
    runCommand();
}

void CliRunner::onFailed(const Error &error, SessionKeeper::Failure failure)
{
    // After login, the running command learns of the loss through its requests or the keeper, and reports it.
    if (m_loggedIn)
        return;
    switch (failure) {
    case SessionKeeper::Failure::LoginRefused:
        Console::error(tr("cannot log in as '%1': %2").arg(m_options.server.user, ErrorText::loginReason(error)));
        finish(ExitAuthFailed);
        return;
    case SessionKeeper::Failure::ConnectFailed: {
        // An unknown server refused with the reason and the way out already printed: once is enough.
        if (!(error.code == ErrorCode::IdentityUnknown && *m_refusalExplained))
            Console::error(error.message);
        const bool identity = error.code == ErrorCode::IdentityUnknown || error.code == ErrorCode::IdentityChanged;
        finish(identity ? ExitIdentity : ExitCannotConnect);
        return;
    }
    case SessionKeeper::Failure::Dropped:
    case SessionKeeper::Failure::GaveUp:
        Console::error(error.isError() ? error.message : tr("the server closed the connection before login"));
        finish(ExitCannotConnect);
        return;
    }
}

void CliRunner::runCommand()
{
    if (TransferCommand::handles(m_options.command.kind)) {
        m_transfer = new TransferCommand(m_keeper, m_options.command, m_options.progress, this);
        connect(m_transfer, &TransferCommand::finished, this, &CliRunner::finish);
        m_transfer->start();
        return;
    }
    auto *command = new BrowseCommand(m_session, m_options.command, this);
    connect(command, &BrowseCommand::finished, this, &CliRunner::finish);
    command->start();
}

void CliRunner::onInterrupted(int signalNumber)
{
    if (m_finished)
        return;
    if (m_transfer)
        m_transfer->interrupt();
    else
        Console::error(tr("interrupted"));
    finish(128 + signalNumber);
}

void CliRunner::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_keeper->disconnect(this);   // the close below is ours: nothing more to report
    m_keeper->close();            // no reconnect is pending any more either
    Console::flush();
    // Queued: the application's event loop may not run yet when start() fails at once.
    QMetaObject::invokeMethod(this, [this, exitCode] { emit finished(exitCode); }, Qt::QueuedConnection);
}

} // namespace ferry::cli
