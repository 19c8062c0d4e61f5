#pragma once
// One TLS 1.3 connection, with OpenSSL driven directly on the TCP socket (docs/PERFORMANCE.md, "TLS without
// Qt's buffers"). QSslSocket passes every byte through three buffers of its own (its read or write buffer, a
// memory BIO, the plain socket's buffer) besides the kernel's; here OpenSSL reads records from the socket into
// its own buffer, decrypts them there and copies them once into the reader's memory, and encrypts straight from
// the writer's (shared, not copied) QByteArrays into the socket.
//
// Reading is pulled: readyRead says data may be there, and the reader calls read() until it returns 0. Only
// then does the socket watch the descriptor again, so a reader that stops early (paused) is not called again
// until it reads, and TCP pushes back on the peer meanwhile. Writes are queued and leave when the event loop
// turns (or at flush()), as with QSslSocket.

#include "Result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QSslCertificate>
#include <QString>

#include <deque>
#include <memory>

class QSocketNotifier;
class QSslKey;
class QTcpSocket;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace ferry {

// OpenSSL's settings for one side, shared by all its connections and threads: TLS 1.3 only, and for a server
// its certificate and key. A client checks no certificate chain or name: trust is the identity check that
// follows the handshake (ClientSession), before any frame is sent.
class TlsContext {
public:
    static std::shared_ptr<const TlsContext> client();
    static Result<std::shared_ptr<const TlsContext>> server(const QSslCertificate &certificate, const QSslKey &key);
    ~TlsContext();
    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

    SSL_CTX *handle() const { return m_context; }

private:
    explicit TlsContext(SSL_CTX *context) : m_context(context) {}
    SSL_CTX *m_context;
};

class TlsSocket : public QObject {
    Q_OBJECT
public:
    enum class State { Unconnected, Connecting, Handshaking, Encrypted, Closing };

    explicit TlsSocket(std::shared_ptr<const TlsContext> context, QObject *parent = nullptr);
    ~TlsSocket() override;

    // Client: connects (any address the name resolves to), then shakes hands.
    void connectToHost(const QString &host, quint16 port);
    // Server: takes over an accepted descriptor (closed here on failure) and shakes hands. `peer`: the peer's
    // address when the caller has it already (else it is looked up).
    bool startServer(qintptr descriptor, const QHostAddress &peer = {});

    State state() const { return m_state; }
    bool isEncrypted() const { return m_state == State::Encrypted; }
    // The TCP connection is up (shaking hands, encrypted or closing).
    bool isConnected() const { return m_descriptor >= 0; }
    qintptr socketDescriptor() const { return m_descriptor; }
    // Fixes the kernel's receive buffer at `bytes` (Linux allocates twice that), so that it no longer grows
    // with the traffic. Once connected.
    void limitReceiveBuffer(int bytes);
    QHostAddress peerAddress() const { return m_peerAddress; }
    // The peer's address as people write it (an IPv4 address mapped into IPv6 as IPv4).
    QString peerAddressText() const { return addressText(m_peerAddress); }
    static QString addressText(const QHostAddress &address);
    // The server's certificate as the handshake delivered it (DER; empty for a client's peer). The engine reads
    // only this: a QSslCertificate would load Qt's TLS plugin, which lists the system's CA folder (~7 ms a login).
    QByteArray peerCertificateDer() const;
    QSslCertificate peerCertificate() const;
    // Why the connection ended; empty while it is open and after a clean close.
    QString errorString() const { return m_error; }

    // Decrypted bytes into `data`: 0 when nothing more is there now (readyRead follows when there is) or the
    // connection is not open.
    qint64 read(char *data, qint64 maxSize);
    QByteArray read(qint64 maxSize);
    // Queued; large arrays are kept as they are (implicitly shared), small ones gathered into larger records.
    void write(const QByteArray &data);
    qint64 bytesToWrite() const { return m_queuedBytes; }
    // Encrypts and sends what is queued, as far as the socket takes it now.
    void flush();

    // Sends what is queued, then closes.
    void disconnectFromHost();
    // Closes at once, discarding what is queued.
    void abort();

signals:
    void connected();
    void encrypted();
    void readyRead();
    void bytesWritten(qint64 bytes);
    void handshakeFailed(const QString &message);
    // Once, whichever way the connection ended (closed by either side, failed, aborted).
    void disconnected();

private:
    struct Outgoing {
        QByteArray data;
        qint64 offset = 0;
        bool gathering = false;   // small writes may still be appended (until SSL_write first sees it)
    };

    bool adopt(qintptr descriptor, bool asServer, const QHostAddress &peer = {});
    void continueHandshake();
    // Sends the records gathered in the write buffer; false when that found the connection broken.
    bool flushRecords();
    void scheduleFlush();
    void onReadable();
    void onWritable();
    // Reads OpenSSL's verdict on a call that returned `result`: true when it only has to wait.
    bool awaitOrFail(int result, bool fromRead);
    void fail(const QString &message, bool reportLater);
    void finishClosing();
    // Releases OpenSSL and the descriptor; true if the connection was open.
    bool release();

    std::shared_ptr<const TlsContext> m_context;
    State m_state = State::Unconnected;
    QTcpSocket *m_connector = nullptr;
    int m_descriptor = -1;
    SSL *m_ssl = nullptr;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QHostAddress m_peerAddress;
    QString m_error;
    std::deque<Outgoing> m_queue;
    qint64 m_queuedBytes = 0;
    bool m_flushPosted = false;
    bool m_readWantsWrite = false;   // SSL_read waits for the socket to take output (a TLS key update)
    bool m_writeWantsRead = false;   // SSL_write waits for input
};

} // namespace ferry
