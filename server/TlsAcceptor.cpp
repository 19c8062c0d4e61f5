#include "TlsAcceptor.h"

#include "Frame.h"
#include "OpLog.h"
#include "Protocol.h"
#include "Reply.h"
#include "ServerConfig.h"
#include "Session.h"

#include <QMutexLocker>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>

#include <functional>
#include <memory>

namespace ferry {

namespace {

QString plainAddress(const QSslSocket *socket)
{
    QHostAddress address = socket->peerAddress();
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        address = QHostAddress(v4);
    return address.toString();
}

} // namespace

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
}

void TlsAcceptor::accept(qintptr descriptor, QObject *host)
{
    auto *socket = new QSslSocket(host);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    const ServerConfig &config = m_services.config;
    const QString address = plainAddress(socket);
    const QString refusal = m_admission.admit(address, m_services.live.maxSessions(), m_services.live.maxSessionsPerAddress());
    socket->setSslConfiguration(serverTlsConfiguration());

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
    socket->startServerEncryption();
}

QSslConfiguration TlsAcceptor::serverTlsConfiguration() const
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_3OrLater);   // docs/PROTOCOL.md: TLS 1.3 only
    tls.setLocalCertificate(m_services.tls.certificate);
    tls.setPrivateKey(m_services.tls.privateKey);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);   // clients have no certificates
    return tls;
}

void TlsAcceptor::closeOnHandshakeEnd(QSslSocket *socket, const QString &address, const std::function<void()> &release)
{
    connect(socket, &QSslSocket::disconnected, socket, [socket, release] {
        release();
        socket->deleteLater();
    });
    connect(socket, &QSslSocket::errorOccurred, socket, [socket, release, address](QAbstractSocket::SocketError error) {
        if (socket->isEncrypted() || socket->state() == QAbstractSocket::ConnectedState)
            return;   // the session (or the disconnected handler) deals with it
        if (error == QAbstractSocket::SslHandshakeFailedError)
            writeOpLog(OpLogLine{address, {}, QStringLiteral("tls"), {}, -1,
                                 QStringLiteral("handshake failed: ") + socket->errorString()});
        release();
        socket->deleteLater();
    });
}

void TlsAcceptor::startSessionOnceEncrypted(QSslSocket *socket, QTimer *handshakeTimer, QObject *host,
                                            const QString &refusal, const std::function<void()> &release)
{
    connect(socket, &QSslSocket::encrypted, socket, [this, socket, handshakeTimer, host, refusal, release] {
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

void TlsAcceptor::refuse(QSslSocket *socket, const QString &message)
{
    writeOpLog(OpLogLine{plainAddress(socket), {}, QStringLiteral("connect"), {}, -1, QString(ErrorCode::TooManySessions)});
    socket->write(encodeFrame(Reply::error(-1, Error::make(ErrorCode::TooManySessions, message))));
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
}

} // namespace ferry
