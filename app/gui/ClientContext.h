#pragma once
// The desktop client's engine side, owned by the application rather than by a window: one session, the
// SessionKeeper that keeps it logged in (reconnecting after a drop) with the ConnectionController that
// presents it, the transfer queue, and the queue file this instance owns.
//
// Queue files: one running instance owns a file (StateFileLock). A second instance runs with its own
// ("transfers-2.json", …) instead of re-running the first one's jobs; after a crash the next instance takes
// the crashed one's file over and its transfers come back.

#include "RemoteEntry.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace ferry {
class ClientSession;
struct ConnectionParams;
class SessionKeeper;
class StateFileLock;
class TransferQueue;
}

namespace ferry::gui {

class ConnectionController;

class ClientContext : public QObject {
    Q_OBJECT
public:
    // queueStateFile: where unfinished transfers are kept (empty: defaultQueueStateFile()).
    explicit ClientContext(const QString &queueStateFile = {}, QObject *parent = nullptr);
    ~ClientContext() override;

    static QString defaultQueueStateFile();

    ClientSession *session() const { return m_session; }
    SessionKeeper *keeper() const { return m_keeper; }
    ConnectionController *connection() const { return m_connection; }
    TransferQueue *queue() const { return m_queue; }
    // The queue file in use: the preferred one, an alternative when another instance holds it, or empty
    // (transfers are not remembered) when none could be locked.
    QString queueStateFile() const;
    // The account's usage and limit as last reported by the server; nullopt while not logged in.
    std::optional<QuotaInfo> quota() const { return m_quota; }

    // Unfinished transfers that belong to an account other than the one logged in now, by account.
    struct Waiting {
        QString host;
        quint16 port = 0;
        QString user;
        int count = 0;
    };
    QList<Waiting> waitingAccounts() const;
    static ConnectionParams paramsOf(const Waiting &waiting);

private:
    std::unique_ptr<StateFileLock> m_queueLock;
    std::optional<QuotaInfo> m_quota;
    ClientSession *m_session;
    SessionKeeper *m_keeper;
    ConnectionController *m_connection;
    TransferQueue *m_queue;
};

} // namespace ferry::gui
