#include "TlsAcceptor.h"

#include "Frame.h"
#include "OpLog.h"
#include "Protocol.h"
#include "Reply.h"
#include "ServerConfig.h"
#include "Session.h"
#include "TlsSocket.h"

#include <QMutexLocker>
#include <QTimer>

#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>

namespace ferry {

QString SessionAdmission::admit(const QString &address, int maxTotal, int maxPerAddress)
{
    QMutexLocker lock(&m_mutex);
    if (m_total >= maxTotal)
        return QStringLiteral("The server has too many sessions (%1); try again later.").arg(maxTotal);
    int &count = m_perAddress[address];
    if (count >= maxPerAddress)
        return QStringLiteral("Too many sessions from your address (%1); close some and try again.").arg(maxPerAddress);
    ++count;
    ++m_total;
    return {};
}

void SessionAdmission::release(const QString &address)
{
    QMutexLocker lock(&m_mutex);
    --m_total;
    auto it = m_perAddress.find(address);
    if (it != m_perAddress.end() && --it.value() <= 0)
        m_perAddress.erase(it);
}

int SessionAdmission::total() const
{
    QMutexLocker lock(&m_mutex);
    return m_total;
}

TlsAcceptor::TlsAcceptor(ServerServices &services, SessionAdmission &admission, QObject *parent)
    : QObject(parent), m_services(services), m_admission(admission)
{
    const Result<std::shared_ptr<const TlsContext>> context
            = TlsContext::server(m_services.tls.certificate, m_services.tls.privateKey);
    if (context)
        m_context = *context;
    else
        qWarning("ferryd: %s", qPrintable(context.error().message));
}

void TlsAcceptor::accept(qintptr descriptor, QObject *host)
{
    if (!m_context) {
        ::close(int(descriptor));
        m_connections.deref();
        return;
    }
    auto *socket = new TlsSocket(m_context, host);
    // However the connection ends (refused, failed handshake, session over), its socket is deleted.
    connect(socket, &QObject::destroyed, this, [this] { m_connections.deref(); }, Qt::DirectConnection);
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&peer), &length);
    const QHostAddress peerAddress(reinterpret_cast<const sockaddr *>(&peer));
    const QString address = TlsSocket::addressText(peerAddress);
    const ServerConfig &config = m_services.config;
    const QString refusal = m_admission.admit(address, m_services.live.maxSessions(), m_services.live.maxSessionsPerAddress());

    // Released once, whichever way this connection ends (refused, handshake failed, session over).
    auto released = std::make_shared<bool>(!refusal.isEmpty());
    const std::function<void()> release = [this, address, released] {
        if (!*released) {
            *released = true;
            m_admission.release(address);
        }
    };
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, [socket, address] {
        writeOpLog(OpLogLine{address, {}, QStringLiteral("tls"), {}, -1, QStringLiteral("handshake timeout")});
        socket->abort();
    });
    closeOnHandshakeEnd(socket, address, release);
    startSessionOnceEncrypted(socket, timer, host, refusal, release);
    timer->start(config.handshakeTimeoutMs);
    socket->startServer(descriptor, peerAddress);
}

void TlsAcceptor::closeOnHandshakeEnd(TlsSocket *socket, const QString &address, const std::function<void()> &release)
{
    connect(socket, &TlsSocket::handshakeFailed, socket, [address](const QString &message) {
        writeOpLog(OpLogLine{address, {}, QStringLiteral("tls"), {}, -1, message});
    });
    connect(socket, &TlsSocket::disconnected, socket, [socket, release] {
        release();
        socket->deleteLater();
    });
}

void TlsAcceptor::startSessionOnceEncrypted(TlsSocket *socket, QTimer *handshakeTimer, QObject *host,
                                            const QString &refusal, const std::function<void()> &release)
{
    connect(socket, &TlsSocket::encrypted, socket, [this, socket, handshakeTimer, host, refusal, release] {
        handshakeTimer->deleteLater();
        socket->disconnect(socket);   // from now on the session owns the socket's lifetime
        if (!refusal.isEmpty()) {
            refuse(socket, refusal);
            return;
        }
        auto *session = new Session(socket, m_services, host);
        emit sessionStarted();
        connect(session, &Session::finished, this, [this, release] {
            release();
            emit sessionFinished();
        }, Qt::DirectConnection);
    });
}

void TlsAcceptor::refuse(TlsSocket *socket, const QString &message)
{
    writeOpLog(OpLogLine{socket->peerAddressText(), {}, QStringLiteral("connect"), {}, -1, QString(ErrorCode::TooManySessions)});
    socket->write(encodeFrame(Reply::error(-1, Error::make(ErrorCode::TooManySessions, message))));
    connect(socket, &TlsSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
}

} // namespace ferry
