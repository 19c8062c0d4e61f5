#include "ClientSession.h"

#include "Protocol.h"
#include "Reply.h"
#include "Scram.h"

#include <QJsonArray>

#include <algorithm>
#include <memory>

// Session grammar (docs/PROTOCOL.md):
//   S: hello
//   C: auth(mech, client-first)  S: challenge(server-first) | error
//   C: auth(client-final)        S: ok(server-final "v=…", user, used, limit) | error
//   C: request(id)…              S: ok | error | entries… (each carrying re = id), in any interleaving

namespace ferry {

namespace {

// "host:port", with IPv6 addresses in brackets as in URLs: "[::1]:7420".
QString hostPort(const QString &host, quint16 port)
{
    return host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]:%2").arg(host).arg(port)
                                           : QStringLiteral("%1:%2").arg(host).arg(port);
}

ClientSession::IdentityVerifier &defaultVerifier()
{
    static ClientSession::IdentityVerifier verifier;
    return verifier;
}

Frame errorFrame(qint64 id, const Error &error)
{
    return Frame{Reply::error(id, error), {}};
}

} // namespace

ClientSession::ClientSession(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ClientSession::onTimeout);
}

ClientSession::~ClientSession()
{
    // Nothing may reach a half-destroyed session; open callbacks are dropped (see the header).
    if (m_connection)
        m_connection->disconnect(this);
}

void ClientSession::setDefaultIdentityVerifier(IdentityVerifier verifier)
{
    defaultVerifier() = std::move(verifier);
}

ClientSession::IdentityVerifier ClientSession::defaultIdentityVerifier()
{
    return defaultVerifier();
}

void ClientSession::setTimeouts(int connectMs, int helloMs)
{
    m_connectTimeoutMs = connectMs;
    m_helloTimeoutMs = helloMs;
}

void ClientSession::connectToServer(const QString &host, quint16 port)
{
    if (m_connection)
        shutDown(Error{}, false);
    m_host = host;
    m_port = port;
    m_hello = ServerHello{};
    m_user.clear();
    m_closeReason = Error{};
    m_identity = ServerIdentity();
    m_channelBinding.clear();

    // Trust is the identity check below, not a CA chain or host name (meaningless on a LAN).
    auto *socket = new TlsSocket(TlsContext::client());
    FrameConnection *connection = new FrameConnection(socket, this);
    // Nothing is read until the identity is trusted: a hello must not reach anyone before that.
    connection->setReceivePaused(true);
    m_connection = connection;
    ++m_connectionSerial;
    m_receiveHolds = 0;
    connect(connection, &FrameConnection::frameReceived, this, &ClientSession::onFrame);
    connect(connection, &FrameConnection::closed, this, &ClientSession::onClosed);
    connect(connection, &FrameConnection::writable, this, &ClientSession::writable);
    connect(connection, &FrameConnection::framingError, this, [this](const QString &message) {
        m_closeReason = connectionError(tr("the server broke the protocol (%1)").arg(message));
    });
    connect(socket, &TlsSocket::connected, this, [this, socket] {
        socket->limitReceiveBuffer(ReceiveBufferBytes);
        m_timer.start(m_helloTimeoutMs);
    });
    connect(socket, &TlsSocket::encrypted, this, &ClientSession::onEncrypted);

    setState(State::Connecting);
    m_timer.start(m_connectTimeoutMs);
    // Nothing may follow this call: a failure can be reported from inside it and end the connection.
    socket->connectToHost(host, port);
}

void ClientSession::onEncrypted()
{
    TlsSocket *socket = m_connection ? m_connection->socket() : nullptr;
    if (!socket)
        return;
    const QByteArray certificate = socket->peerCertificateDer();
    m_identity = ServerIdentity::fromCertificateDer(certificate);
    m_channelBinding = tlsServerEndPointFromDer(certificate);
    if (!m_identity.isValid()) {
        shutDown(connectionError(tr("the server sent no usable TLS certificate")), false);
        return;
    }
    IdentityCheck check{m_host, m_port, m_identity, {}};
    const IdentityVerifier &verifier = m_verifier ? m_verifier : defaultVerifier();
    QPointer<ClientSession> self(this);
    QPointer<FrameConnection> connection = m_connection;
    m_timer.stop();   // a person may be reading the code; the hello timer starts again after
    const Status verdict = verifier ? verifier(check) : KnownServers().verify(check, {});
    if (!self || m_connection != connection || !connection)
        return;   // the prompt's event loop saw the session end or reconnect
    if (!verdict) {
        shutDown(verdict.error(), false);
        return;
    }
    m_timer.start(m_helloTimeoutMs);
    connection->setReceivePaused(false);
}

void ClientSession::disconnectFromServer()
{
    shutDown(Error{}, true);
}

void ClientSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void ClientSession::onFrame(const Frame &frame)
{
    if (m_state == State::Connecting) {
        onHello(frame);
        return;
    }
    const std::optional<qint64> re = jsonInteger(frame.header, Field::Re);
    if (!re) {
        // Not an answer to anything we can route; a protocol_error means the server is about to close.
        if (frame.op() == Op::Error
            && frame.header.value(Field::Code).toString() == ErrorCode::ProtocolError) {
            m_closeReason = connectionError(tr("the server reported a protocol error (%1)")
                                                    .arg(frame.header.value(Field::Message).toString()));
        }
        return;
    }
    if (frame.op() == Op::Ok && m_state == State::Ready && frame.header.contains(Field::Used))
        emit quotaChanged(quotaFromReply(frame.header));

    const auto it = m_pending.constFind(*re);
    if (it == m_pending.constEnd())
        return;   // abandoned, or a late frame of a finished request
    // A copy: the handler may send, abandon or disconnect, which changes m_pending under it.
    const FrameHandler handler = it.value();
    QPointer<ClientSession> self(this);
    m_dispatchingId = *re;
    m_dispatchInterrupted = false;
    const bool more = handler(frame);
    if (!self)
        return;
    m_dispatchingId = 0;
    if (m_dispatchInterrupted) {
        // The session ended inside the handler (shutDown left this one out of the handlers it fails):
        // one that still expects frames learns of it now, once.
        if (more) {
            const Error error = m_interruptError;
            QMetaObject::invokeMethod(this, [handler, id = *re, error] { handler(errorFrame(id, error)); },
                                      Qt::QueuedConnection);
        }
        return;
    }
    if (!more)
        m_pending.remove(*re);
}

void ClientSession::onHello(const Frame &frame)
{
    if (frame.op() != Op::Hello) {
        shutDown(connectionError(tr("the server did not greet with hello")), false);
        return;
    }
    const QJsonObject &header = frame.header;
    m_hello.proto = int(jsonInteger(header, Field::Proto).value_or(0));
    m_hello.server = header.value(Field::Server).toString();
    m_hello.name = header.value(Field::Name).toString();
    m_hello.auth.clear();
    for (const QJsonValue &mechanism : header.value(Field::Auth).toArray())
        m_hello.auth.append(mechanism.toString());
    m_hello.tls = header.value(Field::Tls).toBool();
    m_hello.identity = m_identity.code();   // what the handshake proved, not what the hello claims
    m_hello.fingerprint = m_identity.fingerprint();
    if (m_hello.proto != Limits::ProtocolVersion) {
        shutDown(Error::make(ErrorCode::Unsupported,
                             tr("Cannot connect to %1: the server speaks protocol version %2, this client %3.")
                                     .arg(hostPort(m_host, m_port))
                                     .arg(m_hello.proto)
                                     .arg(Limits::ProtocolVersion)),
                 false);
        return;
    }
    m_timer.stop();
    setState(State::Authenticating);
    emit connected(m_hello);
}

void ClientSession::onClosed()
{
    if (m_closeReason.isError()) {
        shutDown(m_closeReason, false);
        return;
    }
    TlsSocket *socket = m_connection ? m_connection->socket() : nullptr;
    const QString reason = socket && !socket->errorString().isEmpty()
            ? socket->errorString()
            : tr("the connection was closed");
    shutDown(connectionError(reason), false);
}

void ClientSession::onTimeout()
{
    if (m_state != State::Connecting || !m_connection)
        return;
    const bool tcpUp = m_connection->socket() && m_connection->socket()->isConnected();
    const QString reason = tcpUp
            ? tr("the server did not say hello within %1 s").arg(m_helloTimeoutMs / 1000.0)
            : tr("no answer within %1 s").arg(m_connectTimeoutMs / 1000.0);
    shutDown(connectionError(reason), false);
}

Error ClientSession::connectionError(const QString &reason) const
{
    const QString where = hostPort(m_host, m_port);
    return Error::make(ErrorCode::ConnectionLost, m_state == State::Connecting
                               ? tr("Cannot connect to %1: %2").arg(where, reason)
                               : tr("The connection to %1 was lost: %2").arg(where, reason));
}

QuotaInfo ClientSession::quotaFromReply(const QJsonObject &header)
{
    QuotaInfo quota;
    quota.used = jsonInteger(header, Field::Used).value_or(0);
    if (!header.value(Field::Limit).isNull())
        quota.limit = jsonInteger(header, Field::Limit);
    return quota;
}

void ClientSession::shutDown(const Error &reason, bool graceful)
{
    if (!m_connection)
        return;
    FrameConnection *connection = m_connection;
    m_connection = nullptr;
    connection->disconnect(this);
    if (TlsSocket *socket = connection->socket())
        socket->disconnect(this);
    m_timer.stop();

    if (graceful && connection->isOpen()) {
        // bye, then let the socket flush before it goes; a peer that never reads gets a few seconds.
        connection->send(QJsonObject{{Field::Op, QString(Op::Bye)}, {Field::Id, nextId()}});
        connect(connection, &FrameConnection::closed, connection, &QObject::deleteLater);
        QTimer::singleShot(5000, connection, &QObject::deleteLater);
        connection->close();
    } else {
        if (TlsSocket *socket = connection->socket())
            socket->abort();
        connection->deleteLater();
    }

    const bool wasConnected = m_state != State::Connecting;
    // Reported from the event loop: shutDown() can run inside calls whose callers do not expect callbacks.
    const Error lost = reason.isError() && reason.code == ErrorCode::ConnectionLost
            ? reason
            : Error::make(ErrorCode::ConnectionLost,
                          reason.isError() ? reason.message : tr("The session was closed."));
    QHash<qint64, FrameHandler> pending = std::exchange(m_pending, {});
    if (m_dispatchingId != 0) {
        // That handler is running right now (onFrame); it must not be called again for this frame.
        pending.remove(m_dispatchingId);
        m_dispatchInterrupted = true;
        m_interruptError = lost;
    }
    m_scram.reset();
    setState(State::Disconnected);

    QMetaObject::invokeMethod(this, [this, pending, lost, reason, wasConnected] {
        QPointer<ClientSession> self(this);
        failAll(pending, lost);
        if (!self)
            return;
        if (wasConnected)
            emit disconnected(reason);
        else if (reason.isError())
            emit connectionFailed(reason);   // a connect cancelled by the caller is no failure
    }, Qt::QueuedConnection);
}

void ClientSession::failAll(QHash<qint64, FrameHandler> pending, const Error &error)
{
    QList<qint64> ids = pending.keys();
    std::sort(ids.begin(), ids.end());   // oldest request first, as they were made
    QPointer<ClientSession> self(this);
    for (qint64 id : ids) {
        pending.value(id)(errorFrame(id, error));
        if (!self)
            return;
    }
}

void ClientSession::failLater(qint64 id, const Error &error)
{
    QMetaObject::invokeMethod(this, [this, id, error] {
        const FrameHandler handler = m_pending.take(id);
        if (handler)
            handler(errorFrame(id, error));
    }, Qt::QueuedConnection);
}

qint64 ClientSession::request(QJsonObject header, FrameHandler onFrame)
{
    const qint64 id = nextId();
    header.insert(Field::Id, id);
    m_pending.insert(id, std::move(onFrame));
    if (m_connection && m_connection->isOpen())
        m_connection->send(header);
    else
        failLater(id, Error::make(ErrorCode::ConnectionLost, tr("Not connected to a server.")));
    return id;
}

void ClientSession::sendForRequest(qint64 id, QJsonObject header, const QByteArray &payload)
{
    if (!m_connection)
        return;
    header.insert(Field::Id, id);
    if (payload.isEmpty())
        m_connection->send(header);
    else
        m_connection->send(header, payload);
}

void ClientSession::abandon(qint64 id)
{
    m_pending.remove(id);
}

bool ClientSession::canWrite() const
{
    return m_connection && m_connection->canWrite();
}

quint64 ClientSession::holdReceiving()
{
    if (!m_connection)
        return 0;   // no connection has serial 0: releasing this changes nothing
    if (m_receiveHolds++ == 0)
        m_connection->setReceivePaused(true);
    return m_connectionSerial;
}

void ClientSession::releaseReceiving(quint64 hold)
{
    if (hold != m_connectionSerial || m_receiveHolds == 0)
        return;   // taken on a connection that has ended
    if (--m_receiveHolds == 0 && m_connection)
        m_connection->setReceivePaused(false);
}

Error ClientSession::errorFromFrame(const Frame &frame)
{
    QJsonObject extra = frame.header;
    QString code = extra.take(Field::Code).toString();
    QString message = extra.take(Field::Message).toString();
    extra.remove(Field::Op);
    extra.remove(Field::Re);
    if (frame.op() != Op::Error || code.isEmpty()) {
        code = QString(ErrorCode::ProtocolError);
        message = tr("The server sent an unexpected reply '%1'.").arg(frame.op());
    }
    return Error{code, message, extra};
}

} // namespace ferry
