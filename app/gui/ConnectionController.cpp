#include "ConnectionController.h"

#include "Messages.h"

namespace ferry::gui {

ConnectionController::ConnectionController(SessionKeeper *keeper, QObject *parent)
    : QObject(parent), m_keeper(keeper)
{
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &ConnectionController::announce);
    connect(m_keeper, &SessionKeeper::phaseChanged, this, &ConnectionController::onPhaseChanged);
    connect(m_keeper, &SessionKeeper::online, this, &ConnectionController::online);
    connect(m_keeper, &SessionKeeper::retryScheduled, this, [this](const Error &error) {
        // The server is away for a moment (restarting, network hiccup): the keeper keeps trying.
        emit problem(tr("%1 Reconnecting…").arg(Messages::sentence(error.message)), true);
    });
    connect(m_keeper, &SessionKeeper::failed, this, &ConnectionController::onFailed);
}

void ConnectionController::open(const ConnectionParams &params)
{
    m_keeper->open(params);
    announce();   // another server while Connecting: the phase stays, the text does not
}

void ConnectionController::close()
{
    m_keeper->close();
}

void ConnectionController::reconnectNow()
{
    if (hasParams())
        m_keeper->reconnectNow();
}

void ConnectionController::onPhaseChanged(Phase phase)
{
    if (phase == Phase::WaitingToReconnect)
        m_countdown.start();
    else
        m_countdown.stop();
    emit phaseChanged(phase);
    announce();
}

void ConnectionController::announce()
{
    const QString text = statusText();
    if (text == m_announced)
        return;
    m_announced = text;
    emit statusTextChanged(text);
}

void ConnectionController::onFailed(const Error &error, SessionKeeper::Failure failure)
{
    if (failure == SessionKeeper::Failure::LoginRefused)
        emit problem(Messages::loginFailure(params().user, error), false);
    else
        emit problem(error.message.isEmpty() ? Messages::reason(error) : error.message, false);
}

int ConnectionController::secondsUntilRetry() const
{
    return (m_keeper->msUntilRetry() + 999) / 1000;
}

QString ConnectionController::statusText() const
{
    const QString where = params().displayName();
    switch (phase()) {
    case Phase::Offline:
        return tr("Not connected");
    case Phase::Connecting:
        return m_keeper->hasBeenOnline() ? tr("Reconnecting to %1…").arg(where) : tr("Connecting to %1…").arg(where);
    case Phase::LoggingIn:
        return tr("Logging in to %1…").arg(where);
    case Phase::Online:
        return tr("Connected to %1").arg(where);
    case Phase::WaitingToReconnect:
        return tr("Connection lost. Reconnecting in %n s…", nullptr, secondsUntilRetry());
    }
    return {};
}

} // namespace ferry::gui
