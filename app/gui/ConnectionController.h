#pragma once
// Keeps the window's one ClientSession connected: connect + login with the given parameters, and after
// a dropped connection reconnect by itself (1 s, 2 s, 4 s … up to 30 s apart) with the state visible.
// A refused login or a first connection that fails is not retried: the user has to change something.

#include "ConnectionParams.h"
#include "Result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace ferry {
class ClientSession;
struct QuotaInfo;
}

namespace ferry::gui {

class ConnectionController : public QObject {
    Q_OBJECT
public:
    enum class Phase { Offline, Connecting, LoggingIn, Online, WaitingToReconnect };
    Q_ENUM(Phase)

    explicit ConnectionController(ClientSession *session, QObject *parent = nullptr);

    void open(const ConnectionParams &params);
    void close();           // says bye; no reconnect
    void reconnectNow();    // skips the wait

    Phase phase() const { return m_phase; }
    ConnectionParams params() const { return m_params; }
    bool hasParams() const { return m_params.isComplete(); }
    int secondsUntilRetry() const;
    // "Connected to demo@localhost:7420", "Connection lost. Reconnecting in 4 s…", "Not connected"…
    QString statusText() const;

    static constexpr int MaxRetryDelayMs = 30 * 1000;

signals:
    void phaseChanged(ferry::gui::ConnectionController::Phase phase);
    void statusTextChanged(const QString &text);
    // Logged in. reconnected: to the same server and user as before, after a drop.
    void online(bool reconnected);
    // Something the user should read, in plain words; `willRetry` when a reconnect is scheduled.
    void problem(const QString &message, bool willRetry);

private:
    void setPhase(Phase phase);
    void attempt();
    void scheduleRetry();
    void onConnectionFailed(const Error &error);
    void onLoginFailed(const Error &error);
    void onDisconnected(const Error &error);

    ClientSession *m_session;
    ConnectionParams m_params;
    Phase m_phase = Phase::Offline;
    bool m_wasOnline = false;     // logged in at least once with m_params: drops are reconnected
    bool m_closing = false;       // our own disconnect, not a drop
    int m_retryDelayMs = 1000;
    QTimer m_retryTimer;
    QTimer m_countdown;           // refreshes the "in N s" of the status text
};

} // namespace ferry::gui
