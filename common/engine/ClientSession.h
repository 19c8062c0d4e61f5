#pragma once
// The client engine's session: one connection to ferryd, login by SCRAM-SHA-256, and requests with ids
// and pipelining. Used by ferry-cli and by the GUI; transfers (UploadRunner, DownloadRunner) are built on request().
//
// Replies arrive through callbacks, called at most once per request for the one-shot ops and for every
// answering frame for request(). When the connection drops, every open request gets connection_lost.
//
// Callbacks always run from the event loop, never from inside the call that made the request. They may
// run after the object that made the request is gone: a caller that can die first captures a QPointer to
// itself and checks it. When the ClientSession itself is destroyed, open callbacks are dropped uncalled.
//
// Signals: connected() is followed by exactly one disconnected(); before connected(), a failure is
// reported by connectionFailed() alone (a connect cancelled by disconnectFromServer() by neither).
// Connection errors carry the code connection_lost (unsupported for another protocol version).
//
// Transport: TLS 1.3. Right after the handshake, before any frame is sent or read, the server's identity
// (its key) is put to the identity verifier; a refusal ends the connect with identity_unknown or
// identity_changed. The login is SCRAM-SHA-256-PLUS bound to this TLS channel (tls-server-end-point).

#include "FrameConnection.h"
#include "KnownServers.h"
#include "Protocol.h"
#include "RemoteEntry.h"
#include "Result.h"
#include "Scram.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace ferry {

class ScramClient;

class ClientSession : public QObject {
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Authenticating, Ready };
    Q_ENUM(State)

    explicit ClientSession(QObject *parent = nullptr);
    ~ClientSession() override;

    // Connects and waits for hello; then login(). Emits connected() or connectionFailed().
    void connectToServer(const QString &host, quint16 port);
    // SCRAM-SHA-256; emits loggedIn() or loginFailed() (auth_failed, throttled, or a forged server signature).
    // guess: SaltedPassword derived ahead from `password` for the salt expected (SessionKeeper's LoginSalts).
    void login(const QString &user, const QString &password, SaltedPasswordGuess guess = {});
    // The salt and iteration count the server named in the last login's challenge (invalid before one).
    const ScramSalt &lastLoginSalt() const { return m_lastLoginSalt; }
    // Says bye and closes; emits disconnected() with an empty error (when a connection existed).
    void disconnectFromServer();

    // Decides whether to trust the server's identity after the handshake: an empty Status trusts it.
    // Default: the process default (setDefaultIdentityVerifier), else the user's KnownServers store with
    // no first-use prompt (unknown servers are refused).
    using IdentityVerifier = std::function<Status(const IdentityCheck &check)>;
    void setIdentityVerifier(IdentityVerifier verifier) { m_verifier = std::move(verifier); }
    static void setDefaultIdentityVerifier(IdentityVerifier verifier);
    // The process default set above (tests set one), or an empty function.
    static IdentityVerifier defaultIdentityVerifier();
    // The identity the TLS handshake showed (valid once connected).
    ServerIdentity identity() const { return m_identity; }

    // Limits for the TCP connect and for the server's hello after it (defaults: 10 s each).
    void setTimeouts(int connectMs, int helloMs);
    static constexpr int DefaultConnectTimeoutMs = 10 * 1000;
    static constexpr int DefaultHelloTimeoutMs = 10 * 1000;
    // The connection's kernel receive buffer, fixed: what it holds when the client is killed must be fetched
    // again by a resume, and left to grow with the traffic it held ~4.4 MB of a 1 GiB download on loopback.
    // A LAN needs far less (1 Gbit/s x 1 ms is 125 KB); the download's writer backlog rides out the disk.
    static constexpr int ReceiveBufferBytes = 1024 * 1024;

    State state() const { return m_state; }
    const ServerHello &hello() const { return m_hello; }
    QString user() const { return m_user; }
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }

    // One-shot operations; `done` is called exactly once.
    using StatusHandler = std::function<void(const Status &)>;
    void ping(StatusHandler done);
    void list(const QString &path, std::function<void(const Result<QList<RemoteEntry>> &)> done);
    // Each page as it arrives (for huge folders); `last` is true on the final page or on error.
    void listPaged(const QString &path,
                   std::function<void(const Result<QList<RemoteEntry>> &page, bool last)> onPage);
    void stat(const QString &path, std::function<void(const Result<RemoteEntry> &)> done);
    void mkdir(const QString &path, bool parents, StatusHandler done);
    void rename(const QString &from, const QString &to, bool overwrite, StatusHandler done);
    void remove(const QString &path, bool recursive, StatusHandler done);
    void quota(std::function<void(const Result<QuotaInfo> &)> done);

    // Low level, for transfers: sends a request with a fresh id; `onFrame` gets every frame answering it
    // (ok/error/entries/data/end) and returns true while more frames are expected.
    using FrameHandler = std::function<bool(const Frame &frame)>;
    qint64 request(QJsonObject header, FrameHandler onFrame);
    // Sends a frame of an open request (data/end of a put) with that request's id.
    void sendForRequest(qint64 id, QJsonObject header, const QByteArray &payload = {});
    // Forget a request: later frames for it are dropped (after a cancel, for instance).
    void abandon(qint64 id);

    // Flow control for bulk senders: true while the socket's pending bytes are under the watermark.
    bool canWrite() const;
    // Holds back incoming frames (a download whose disk fell behind); the socket's read buffer then pushes back
    // on the server. Holds add up, and each ends with releaseReceiving(the value holdReceiving returned);
    // the holds taken on a connection end with it.
    quint64 holdReceiving();
    void releaseReceiving(quint64 hold);

    // loginFailed() carries this key in Error::extra when the server's SCRAM signature was wrong (an
    // impostor, not a wrong password): {"server_signature": "invalid"}.
    static constexpr QLatin1String ServerSignatureKey = ErrorExtra::ServerSignature;

    // Turns an error frame into an Error (code, message, extra fields).
    static Error errorFromFrame(const Frame &frame);
    // used/limit of a reply (login, quota, put); limit null or absent: unlimited.
    static QuotaInfo quotaFromReply(const QJsonObject &header);

signals:
    void stateChanged(ferry::ClientSession::State state);
    void connected(const ferry::ServerHello &hello);
    void connectionFailed(const ferry::Error &error);
    void loggedIn(const QString &user, const ferry::QuotaInfo &quota);
    void loginFailed(const ferry::Error &error);
    // The session ended; error.code is empty after disconnectFromServer() or bye.
    void disconnected(const ferry::Error &error);
    void writable();
    // Every reply carrying used/limit (login, quota, put) updates this.
    void quotaChanged(const ferry::QuotaInfo &quota);

private:
    void setState(State state);
    void onFrame(const Frame &frame);
    void onHello(const Frame &frame);
    void onEncrypted();
    void onClosed();
    void onTimeout();
    // Ends the connection (if any) for `reason` (empty code: a requested close) and reports it.
    void shutDown(const Error &reason, bool graceful);
    void failAll(QHash<qint64, FrameHandler> pending, const Error &error);
    // Calls the handler of `id` with an error frame later, from the event loop (unless abandoned first).
    void failLater(qint64 id, const Error &error);
    void onLoginChallenge(const Frame &frame);
    void onLoginFinal(const Frame &frame);
    void finishLoginWithError(const Error &error);
    Error connectionError(const QString &reason) const;
    qint64 nextId() { return ++m_lastId; }

    QPointer<FrameConnection> m_connection;
    quint64 m_connectionSerial = 0;   // counts connections, so that a hold names the one it was taken on
    int m_receiveHolds = 0;           // on m_connection
    IdentityVerifier m_verifier;
    ServerIdentity m_identity;
    QByteArray m_channelBinding;   // tls-server-end-point data of the certificate the handshake showed
    QTimer m_timer;   // connect timeout, then hello timeout
    int m_connectTimeoutMs = DefaultConnectTimeoutMs;
    int m_helloTimeoutMs = DefaultHelloTimeoutMs;
    QString m_loginUser;
    State m_state = State::Disconnected;
    ServerHello m_hello;
    QString m_host;
    quint16 m_port = 0;
    QString m_user;
    qint64 m_lastId = 0;
    QHash<qint64, FrameHandler> m_pending;
    std::unique_ptr<ScramClient> m_scram;
    ScramSalt m_lastLoginSalt;
    Error m_closeReason;
    // The request whose handler onFrame() is running, and whether the session ended meanwhile.
    qint64 m_dispatchingId = 0;
    bool m_dispatchInterrupted = false;
    Error m_interruptError;
};

} // namespace ferry
