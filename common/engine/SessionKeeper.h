#pragma once
// Keeps one ClientSession logged in to one account: connect + login, and after a dropped connection
// reconnect by itself, waiting longer each time (1 s, 2 s, 4 s … up to 30 s apart), for ever or for a
// bounded time after the drop (Backoff::giveUpAfterMs). A first connection that fails, a refused login, a
// server identity the verifier refuses or a server that speaks another protocol is not retried: something
// has to change first (the server, the password, the user's trust).
//
// Transfers need nothing from it: the TransferQueue puts the items a drop interrupted back in the queue and
// starts them again, from their part files, once the session is logged in to their account again.
// Used by the desktop client (ConnectionController presents it) and by ferry-cli's put and get.

#include "ConnectionParams.h"
#include "Result.h"
#include "Scram.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

namespace ferry {

class ClientSession;

class SessionKeeper : public QObject {
    Q_OBJECT
public:
    enum class Phase { Offline, Connecting, LoggingIn, Online, WaitingToReconnect };
    Q_ENUM(Phase)
    // Why the keeper went Offline by itself.
    enum class Failure {
        ConnectFailed,   // the first connection, or a reconnect the server's identity or protocol refused
        LoginRefused,    // wrong password, throttled, a forged server signature
        Dropped,         // lost before the first login, or for a reason a reconnect would not cure
        GaveUp,          // Backoff::giveUpAfterMs passed without a reconnect
    };
    Q_ENUM(Failure)

    struct Backoff {
        int firstDelayMs = 1000;
        int maxDelayMs = 30 * 1000;
        // How long after a drop attempts may start; -1: for ever, 0: a drop is not reconnected at all.
        qint64 giveUpAfterMs = -1;
    };

    explicit SessionKeeper(ClientSession *session, QObject *parent = nullptr);

    void setBackoff(const Backoff &backoff) { m_backoff = backoff; }
    Backoff backoff() const { return m_backoff; }

    // Connects and logs in (ending a session that is open, without reconnecting it).
    void open(const ConnectionParams &account);
    // Says bye; nothing is reconnected until open() or reconnectNow().
    void close();
    // While waiting to reconnect (or Offline with an account): the next attempt now.
    void reconnectNow();

    ClientSession *session() const { return m_session; }
    Phase phase() const { return m_phase; }
    // The account it keeps logged in; the password stays in memory for the reconnects.
    const ConnectionParams &account() const { return m_account; }
    // Logged in to account() at least once: a drop is reconnected, a login is a reconnect.
    bool hasBeenOnline() const { return m_wasOnline; }
    // While WaitingToReconnect: the wait chosen and what is left of it; 0 otherwise.
    int retryDelayMs() const { return m_retryTimer.isActive() ? m_retryDelayMs : 0; }
    int msUntilRetry() const { return m_retryTimer.isActive() ? m_retryTimer.remainingTime() : 0; }
    // Attempts that failed since the last drop.
    int failedAttempts() const { return m_failedAttempts; }

signals:
    void phaseChanged(ferry::SessionKeeper::Phase phase);
    // Logged in; reconnected: to the same account as before, after a drop.
    void online(bool reconnected);
    // The connection dropped, or a reconnect attempt failed; the next attempt starts in delayMs.
    void retryScheduled(const ferry::Error &error, int delayMs);
    // Offline until open() or reconnectNow(): what went wrong, at which step.
    void failed(const ferry::Error &error, ferry::SessionKeeper::Failure failure);

private:
    void attempt();
    void endSession();
    void retryOrFail(const Error &error, Failure failure);
    void setPhase(Phase phase);
    void onLoggedIn();
    void onConnectionFailed(const Error &error);
    void onLoginFailed(const Error &error);
    void onDisconnected(const Error &error);

    ClientSession *m_session;
    ConnectionParams m_account;
    Backoff m_backoff;
    Phase m_phase = Phase::Offline;
    bool m_wasOnline = false;
    int m_nextDelayMs = 1000;
    int m_retryDelayMs = 0;
    int m_failedAttempts = 0;
    QElapsedTimer m_sinceDrop;   // valid from a drop until the next login
    bool m_lastAttemptMade = false;   // the wait before it was cut to the give-up time
    QTimer m_retryTimer;
    // The salt the server named at the last login (LoginSalts), and the salted password being derived for it
    // while the connection is made.
    ScramSalt m_expectedSalt;
    SaltedPasswordGuess m_guess;
};

} // namespace ferry
