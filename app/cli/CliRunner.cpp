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
    : QObject(parent), m_options(options), m_session(new ClientSession(this))
{
    m_session->setIdentityVerifier(ServerTrust::verifier(options.trustCode));
    connect(m_session, &ClientSession::connected, this, &CliRunner::onConnected);
    connect(m_session, &ClientSession::connectionFailed, this, &CliRunner::onConnectionFailed);
    connect(m_session, &ClientSession::loggedIn, this, &CliRunner::onLoggedIn);
    connect(m_session, &ClientSession::loginFailed, this, &CliRunner::onLoginFailed);
    connect(m_session, &ClientSession::disconnected, this, &CliRunner::onDisconnected);
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
    m_password = *password;
    // Only now: while the password prompt runs, Ctrl-C must keep its usual meaning there.
    m_interrupts = new InterruptWatcher(this);
    connect(m_interrupts, &InterruptWatcher::interrupted, this, &CliRunner::onInterrupted);
    m_session->connectToServer(m_options.server.host, m_options.server.port);
}

void CliRunner::onConnected()
{
    m_session->login(m_options.server.user, m_password);
}

void CliRunner::onLoggedIn()
{
    m_password.clear();
    m_loggedIn = true;
    runCommand();
}

void CliRunner::onLoginFailed(const Error &error)
{
    m_password.clear();
    if (error.code == ErrorCode::ConnectionLost) {
        Console::error(error.message);
        finish(ExitCannotConnect);
        return;
    }
    Console::error(tr("cannot log in as '%1': %2").arg(m_options.server.user, ErrorText::loginReason(error)));
    finish(ExitAuthFailed);
}

void CliRunner::onConnectionFailed(const Error &error)
{
    Console::error(error.message);
    const bool identity = error.code == ErrorCode::IdentityUnknown || error.code == ErrorCode::IdentityChanged;
    finish(identity ? ExitIdentity : ExitCannotConnect);
}

void CliRunner::onDisconnected(const Error &error)
{
    // After login, the running command learns of the drop through its requests and reports it.
    if (m_loggedIn)
        return;
    Console::error(error.isError() ? error.message : tr("the server closed the connection before login"));
    finish(ExitCannotConnect);
}

void CliRunner::runCommand()
{
    if (TransferCommand::handles(m_options.command.kind)) {
        m_transfer = new TransferCommand(m_session, m_options.command, m_options.progress, this);
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
    m_session->disconnect(this);   // the close below is ours: nothing more to report
    m_session->disconnectFromServer();
    Console::flush();
    // Queued: the application's event loop may not run yet when start() fails at once.
    QMetaObject::invokeMethod(this, [this, exitCode] { emit finished(exitCode); }, Qt::QueuedConnection);
}

} // namespace ferry::cli
