#include "SessionKeeper.h"

#include "ClientSession.h"
#include "LoginSalts.h"
#include "Protocol.h"

#include <utility>

namespace ferry {

namespace {

// Only a lost or refused connection may come back by itself; an identity the user did not accept, a
// protocol this client does not speak or a refused login stays as it is until someone acts.
bool mayComeBack(const Error &error)
{
    return error.code == ErrorCode::ConnectionLost;
}

} // namespace

SessionKeeper::SessionKeeper(ClientSession *session, QObject *parent) : QObject(parent), m_session(session)
{
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setTimerType(Qt::PreciseTimer);   // a coarse timer may fire early: the waits are measured
    connect(&m_retryTimer, &QTimer::timeout, this, &SessionKeeper::attempt);
    connect(m_session, &ClientSession::connected, this, [this] {
        setPhase(Phase::LoggingIn);
        m_session->login(m_account.user, m_account.password, std::exchange(m_guess, {}));
    });
    connect(m_session, &ClientSession::loggedIn, this, &SessionKeeper::onLoggedIn);
    connect(m_session, &ClientSession::connectionFailed, this, &SessionKeeper::onConnectionFailed);
    connect(m_session, &ClientSession::loginFailed, this, &SessionKeeper::onLoginFailed);
    connect(m_session, &ClientSession::disconnected, this, &SessionKeeper::onDisconnected);
}

void SessionKeeper::open(const ConnectionParams &account)
{
    m_retryTimer.stop();
    endSession();
    m_wasOnline = m_wasOnline && account.sameServerAndUser(m_account);
    m_account = account;
    m_nextDelayMs = m_backoff.firstDelayMs;
    m_failedAttempts = 0;
    m_sinceDrop.invalidate();
    m_lastAttemptMade = false;
    attempt();
}

void SessionKeeper::close()
{
    m_retryTimer.stop();
    m_wasOnline = false;
    m_sinceDrop.invalidate();
    endSession();
    setPhase(Phase::Offline);
}

void SessionKeeper::reconnectNow()
{
    if (!m_account.isComplete() || (m_phase != Phase::WaitingToReconnect && m_phase != Phase::Offline))
        return;
    m_retryTimer.stop();
    if (m_phase == Phase::Offline) {
        // Asked for by someone after the keeper stopped: a fresh series of waits, if this one fails too.
        m_nextDelayMs = m_backoff.firstDelayMs;
        m_failedAttempts = 0;
        m_sinceDrop.invalidate();
        m_lastAttemptMade = false;
    }
    attempt();
}

void SessionKeeper::attempt()
{
    setPhase(Phase::Connecting);
    // PBKDF2 for the salt this server named last time runs on a thread while the connection is made: a
    // client that starts, logs in and does one thing (ferry-cli) spent ~14 of its ~30 ms of set-up there.
    m_expectedSalt = LoginSalts().find(m_account);
    m_guess = m_expectedSalt.isValid() ? SaltedPasswordGuess::start(m_account.password, m_expectedSalt)
                                       : SaltedPasswordGuess();
    m_session->connectToServer(m_account.host, m_account.port);
}

void SessionKeeper::endSession()
{
    // The session reports a requested close with an empty error, later: onDisconnected() ignores it.
    if (m_session->state() != ClientSession::State::Disconnected)
        m_session->disconnectFromServer();
}

void SessionKeeper::onLoggedIn()
{
    if (const ScramSalt named = m_session->lastLoginSalt(); named.isValid() && named != m_expectedSalt)
        LoginSalts().remember(m_account, named);   // a file that cannot be written costs the next login ~14 ms

    const bool reconnected = m_wasOnline;
    m_wasOnline = true;
    m_nextDelayMs = m_backoff.firstDelayMs;
    m_failedAttempts = 0;
    m_sinceDrop.invalidate();
    m_lastAttemptMade = false;
    setPhase(Phase::Online);
    emit online(reconnected);
}

void SessionKeeper::onConnectionFailed(const Error &error)
{
    retryOrFail(error, Failure::ConnectFailed);
}

void SessionKeeper::onLoginFailed(const Error &error)
{
    // The connection dropped while logging in: disconnected() follows and is handled as a drop.
    if (error.code == ErrorCode::ConnectionLost)
        return;
    m_wasOnline = false;   // a refused password is not retried
    m_sinceDrop.invalidate();
    setPhase(Phase::Offline);
    endSession();
    emit failed(error, Failure::LoginRefused);
}

void SessionKeeper::onDisconnected(const Error &error)
{
    // Offline: reported already (a refused login ends its connection too). An empty error is a close
    // someone asked for: ours from open() (already Connecting again) or close(), or the session's owner's.
    if (m_phase == Phase::Offline)
        return;
    if (!error.isError()) {
        if (m_phase != Phase::Connecting)
            setPhase(Phase::Offline);
        return;
    }
    retryOrFail(error, Failure::Dropped);
}

void SessionKeeper::retryOrFail(const Error &error, Failure failure)
{
    if (!m_wasOnline || !mayComeBack(error)) {
        setPhase(Phase::Offline);
        emit failed(error, failure);
        return;
    }
    if (!m_sinceDrop.isValid())
        m_sinceDrop.start();
    else
        ++m_failedAttempts;
    const qint64 left = m_backoff.giveUpAfterMs < 0 ? qint64(m_nextDelayMs)
                                                      : m_backoff.giveUpAfterMs - m_sinceDrop.elapsed();
    if (left <= 0 || m_lastAttemptMade) {
        setPhase(Phase::Offline);
        emit failed(error, Failure::GaveUp);
        return;
    }
    // The last wait is cut short so that one attempt starts right at the limit; after it, no other.
    m_lastAttemptMade = m_backoff.giveUpAfterMs >= 0 && left <= m_nextDelayMs;
    m_retryDelayMs = int(qMin(qint64(m_nextDelayMs), left));
    m_nextDelayMs = qMin(m_nextDelayMs * 2, m_backoff.maxDelayMs);
    m_retryTimer.start(m_retryDelayMs);
    setPhase(Phase::WaitingToReconnect);
    emit retryScheduled(error, m_retryDelayMs);
}

void SessionKeeper::setPhase(Phase phase)
{
    if (m_phase == phase)
        return;
    m_phase = phase;
    emit phaseChanged(phase);
}

} // namespace ferry
