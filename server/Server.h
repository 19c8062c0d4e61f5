#pragma once
// ferryd's listener: accepts connections and hands each descriptor to the worker thread (each with its own
// event loop) that has the fewest connections, where a TlsAcceptor runs the TLS handshake and a Session serves
// it. Owns the services all sessions share, the server's TLS identity among them.

#include "ServerConfig.h"

#include <QList>
#include <QTcpServer>

#include <memory>

class QThread;

namespace ferry {

class Discovery;
class MdnsAnnouncer;
class SessionAdmission;
class TlsAcceptor;

class Server : public QTcpServer {
    Q_OBJECT
public:
    explicit Server(const ServerConfig &config, QObject *parent = nullptr);
    ~Server() override;

    // Opens the users file, rebuilds the quota ledger from disk, starts workers and listens.
    bool start(QString *error);
    ServerServices &services() { return *m_services; }
    // The settings that change while serving (LiveSettings: name, idle timeout, session limits, part-file
    // lifetime) from `config`; the name also in discovery replies and the mDNS announcement. Its other
    // settings are ignored. Call in the thread the server lives in.
    void applyLiveSettings(const ServerConfig &config);
    int sessionCount() const;
    // Open connections per worker thread, handshakes included (for tests).
    QList<int> connectionsPerWorker() const;

signals:
    void sessionCountChanged(int count);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    std::unique_ptr<ServerServices> m_services;
    QList<QThread *> m_workers;
    QList<QObject *> m_hosts;   // one per worker, lives in that thread: parent of its sessions
    QList<TlsAcceptor *> m_acceptors;   // one per worker, child of its host
    std::unique_ptr<SessionAdmission> m_admission;
    int m_nextWorker = 0;   // where the search for the least busy worker starts: ties take turns
    QAtomicInt m_sessions = 0;
    Discovery *m_discovery = nullptr;
    MdnsAnnouncer *m_mdns = nullptr;
};

} // namespace ferry
