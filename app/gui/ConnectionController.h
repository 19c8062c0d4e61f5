#pragma once
// What the window shows of its connection: the status text ("Connected to demo@localhost:7420",
// "Connection lost. Reconnecting in 4 s…", refreshed every second while waiting) and problems in plain words.
// Connecting, logging in and reconnecting with backoff are the engine's SessionKeeper; this class remembers
// the parameters the user chose (ConnectionParams) and says in tr() what the keeper does. The keeper's
// default backoff applies: a window keeps waiting for its server as long as it is open.

#include "ConnectionParams.h"
#include "Result.h"
#include "SessionKeeper.h"

#include <QObject>
#include <QTimer>

namespace ferry::gui {

class ConnectionController : public QObject {
    Q_OBJECT
public:
    using Phase = SessionKeeper::Phase;

    explicit ConnectionController(SessionKeeper *keeper, QObject *parent = nullptr);

    void open(const ConnectionParams &params);
    void close();           // says bye; no reconnect
    void reconnectNow();    // skips the wait

    SessionKeeper *keeper() const { return m_keeper; }
    Phase phase() const { return m_keeper->phase(); }
    const ConnectionParams &params() const { return m_keeper->account(); }
    bool hasParams() const { return params().isComplete(); }
    int secondsUntilRetry() const;
    QString statusText() const;

signals:
    void phaseChanged(ferry::SessionKeeper::Phase phase);
    void statusTextChanged(const QString &text);
    // Logged in. reconnected: to the same server and user as before, after a drop.
    void online(bool reconnected);
    // Something the user should read, in plain words; `willRetry` when a reconnect is scheduled.
    void problem(const QString &message, bool willRetry);

private:
    void onPhaseChanged(Phase phase);
    void onFailed(const Error &error, SessionKeeper::Failure failure);
    // statusTextChanged() when the text differs from the last one (the Log keeps every one).
    void announce();

    SessionKeeper *m_keeper;
    QTimer m_countdown;   // refreshes the "in N s" of the status text
    QString m_announced;
};

} // namespace ferry::gui
