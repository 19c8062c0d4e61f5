#include "ConnectionController.h"

#include "ClientSession.h"
#include "Messages.h"

namespace ferry::gui {

ConnectionController::ConnectionController(ClientSession *session, QObject *parent)
    : QObject(parent), m_session(session)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ConnectionController::attempt);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, [this] { emit statusTextChanged(statusText()); });

    connect(m_session, &ClientSession::connected, this, [this] {
        setPhase(Phase::LoggingIn);
        m_session->login(m_params.user, m_params.password);
    });
    connect(m_session, &ClientSession::loggedIn, this, [this] {
        const bool reconnected = m_wasOnline;
        m_wasOnline = true;
        m_retryDelayMs = 1000;
        setPhase(Phase::Online);
        emit online(reconnected);
    });
    connect(m_session, &ClientSession::connectionFailed, this, &ConnectionController::onConnectionFailed);
    connect(m_session, &ClientSession::loginFailed, this, &ConnectionController::onLoginFailed);
    connect(m_session, &ClientSession::disconnected, this, &ConnectionController::onDisconnected);
}

void ConnectionController::open(const ConnectionParams &params)
{
    m_retryTimer.stop();
    if (m_session->state() != ClientSession::State::Disconnected) {
        m_closing = true;
        m_session->disconnectFromServer();
        m_closing = false;
    }
    m_wasOnline = m_wasOnline && params.sameServerAndUser(m_params);
    m_params = params;
    m_retryDelayMs = 1000;
    attempt();
}

void ConnectionController::close()
{
    m_retryTimer.stop();
    m_wasOnline = false;
    if (m_session->state() != ClientSession::State::Disconnected) {
        m_closing = true;
        m_session->disconnectFromServer();
        m_closing = false;
    }
    setPhase(Phase::Offline);
}

void ConnectionController::reconnectNow()
{
    if (!hasParams())
        return;
    m_retryTimer.stop();
    attempt();
}

void ConnectionController::attempt()
{
    setPhase(Phase::Connecting);
    m_session->connectToServer(m_params.host, m_params.port);
}

void ConnectionController::scheduleRetry()
{
    m_retryTimer.start(m_retryDelayMs);
    m_retryDelayMs = qMin(m_retryDelayMs * 2, MaxRetryDelayMs);
    setPhase(Phase::WaitingToReconnect);
}

void ConnectionController::onConnectionFailed(const Error &error)
{
    if (m_wasOnline) {
        // The server is away for a moment (restarting, network hiccup): keep trying.
        scheduleRetry();
        emit problem(tr("%1 Reconnecting…").arg(Messages::sentence(error.message)), true);
        return;
    }
    setPhase(Phase::Offline);
    emit problem(error.message.isEmpty() ? Messages::reason(error) : error.message, false);
}

void ConnectionController::onLoginFailed(const Error &error)
{
    m_wasOnline = false;   // a refused password is not retried
    m_closing = true;
    m_session->disconnectFromServer();
    m_closing = false;
    setPhase(Phase::Offline);
    emit problem(Messages::loginFailure(m_params.user, error), false);
}

void ConnectionController::onDisconnected(const Error &error)
{
    if (m_closing || !error.isError()) {
        if (m_phase != Phase::Connecting)
            setPhase(Phase::Offline);
        return;
    }
    if (m_wasOnline) {
        scheduleRetry();
        emit problem(tr("%1 Reconnecting…").arg(Messages::sentence(error.message)), true);
    } else {
        setPhase(Phase::Offline);
        emit problem(error.message, false);
    }
}

void ConnectionController::setPhase(Phase phase)
{
    if (phase == Phase::WaitingToReconnect)
        m_countdown.start();
    else
        m_countdown.stop();
    if (m_phase != phase) {
        m_phase = phase;
        emit phaseChanged(phase);
    }
    emit statusTextChanged(statusText());
}

int ConnectionController::secondsUntilRetry() const
{
    return m_retryTimer.isActive() ? (m_retryTimer.remainingTime() + 999) / 1000 : 0;
}

QString ConnectionController::statusText() const
{
    const QString where = m_params.displayName();
    switch (m_phase) {
    case Phase::Offline:
        return tr("Not connected");
    case Phase::Connecting:
        return m_wasOnline ? tr("Reconnecting to %1…").arg(where) : tr("Connecting to %1…").arg(where);
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
