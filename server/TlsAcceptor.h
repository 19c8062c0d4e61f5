#pragma once
// Turns an accepted descriptor into a Session on a worker thread: admission (sessions overall and per
// address), the TLS 1.3 server handshake with its own timeout, then the Session. Runs in the worker.

#include <QAtomicInt>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QTimer;

namespace ferry {

struct ServerServices;
class Session;
class TlsContext;
class TlsSocket;

// Counts open connections (from accept to close), shared by all workers.
class SessionAdmission {
public:
    // Empty: admitted (and counted); otherwise the refusal message.
    QString admit(const QString &address, int maxTotal, int maxPerAddress);
    void release(const QString &address);
    int total() const;

private:
    mutable QMutex m_mutex;
    int m_total = 0;
    QHash<QString, int> m_perAddress;
};

class TlsAcceptor : public QObject {
    Q_OBJECT
public:
    TlsAcceptor(ServerServices &services, SessionAdmission &admission, QObject *parent = nullptr);

    // Call in the thread that hands `descriptor` over (the listener), before accept(): counts it at once,
    // so connections arriving together do not all go to the same worker.
    void expectConnection() { m_connections.ref(); }
    // Call in the worker thread that will own the session.
    void accept(qintptr descriptor, QObject *host);
    // This worker's connections, from expectConnection() until the socket is gone (handshakes included).
    int connections() const { return m_connections.loadRelaxed(); }

signals:
    void sessionStarted();
    void sessionFinished();

private:
    // Until the handshake succeeds: a disconnect or a failed handshake releases the admission and the socket.
    void closeOnHandshakeEnd(TlsSocket *socket, const QString &address, const std::function<void()> &release);
    // After the handshake: refuse the connection if admission said so, otherwise hand it to a Session.
    void startSessionOnceEncrypted(TlsSocket *socket, QTimer *handshakeTimer, QObject *host, const QString &refusal,
                                   const std::function<void()> &release);
    void refuse(TlsSocket *socket, const QString &message);

    ServerServices &m_services;
    SessionAdmission &m_admission;
    std::shared_ptr<const TlsContext> m_context;   // made once from the server's key, shared by its connections
    QAtomicInt m_connections = 0;
};

} // namespace ferry
