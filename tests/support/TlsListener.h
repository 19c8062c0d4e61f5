#pragma once
// Test support: a TLS 1.3 listener with a key of its own (a fresh DATA/tls in a temporary folder), for fake
// servers and for the man in the middle of the security tests. Each accepted connection is announced once
// its handshake is done.

#include "TlsIdentity.h"
#include "TlsSocket.h"

#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>

namespace ferry::test {

class TlsListener : public QTcpServer {
    Q_OBJECT
public:
    // A new key in a temporary folder, or the identity given.
    TlsListener();
    explicit TlsListener(const TlsIdentity &identity);
    bool listenLocal() { return listen(QHostAddress::LocalHost, 0); }
    const TlsIdentity &tls() const { return m_tls; }

signals:
    void encryptedConnection(QSslSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QTemporaryDir m_folder;
    TlsIdentity m_tls;
};

// The same with Ferry's own TlsSocket on the accepted end, as ferryd has it.
class TlsSocketListener : public QTcpServer {
    Q_OBJECT
public:
    TlsSocketListener();
    bool listenLocal() { return listen(QHostAddress::LocalHost, 0); }
    const TlsIdentity &tls() const { return m_tls; }

signals:
    // A connection accepted, before its handshake (to watch it fail); then the same once it is encrypted.
    void newConnectionSocket(ferry::TlsSocket *socket);
    void encryptedConnection(ferry::TlsSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QTemporaryDir m_folder;
    TlsIdentity m_tls;
    std::shared_ptr<const TlsContext> m_context;
};

// A TLS relay with its own key between a client and `targetPort`: what a man in the middle on the LAN does.
// It decrypts and re-encrypts every byte unchanged (it could read or change them).
class TlsRelay : public QObject {
    Q_OBJECT
public:
    explicit TlsRelay(quint16 targetPort);
    quint16 port() const { return m_listener.serverPort(); }
    ServerIdentity identity() const { return m_listener.tls().identity(); }
    qint64 bytesFromClient() const { return m_fromClient; }

private:
    TlsListener m_listener;
    quint16 m_target;
    qint64 m_fromClient = 0;
};

} // namespace ferry::test
