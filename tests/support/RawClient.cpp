#include "RawClient.h"

#include "Protocol.h"
#include "Scram.h"
#include "ServerIdentity.h"

#include <QSslConfiguration>

#include <QDeadlineTimer>
#include <QJsonDocument>

namespace ferry::test {

bool RawClient::connectTo(quint16 port, int timeoutMs)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(m_protocol);
    tls.setPeerVerifyMode(QSslSocket::QueryPeer);
    m_socket.setSslConfiguration(tls);
    m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    return m_socket.waitForEncrypted(timeoutMs);
}

bool RawClient::connectPlain(quint16 port, int timeoutMs)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return m_socket.waitForConnected(timeoutMs);
}

void RawClient::sendRaw(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

void RawClient::send(const QJsonObject &header, const QByteArray &payload, bool withPayload)
{
    sendRaw(withPayload || !payload.isEmpty() ? encodeFrame(header, payload) : encodeFrame(header));
}

std::optional<Frame> RawClient::next(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    Frame frame;
    for (;;) {
        switch (m_decoder.next(frame)) {
        case FrameDecoder::Status::FrameReady:
            return frame;
        case FrameDecoder::Status::Failed:
            return std::nullopt;
        case FrameDecoder::Status::NeedMore:
            break;
        }
        if (m_socket.bytesAvailable() == 0) {
            if (m_socket.state() != QAbstractSocket::ConnectedState || deadline.hasExpired())
                return std::nullopt;
            if (!m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
                return std::nullopt;
        }
        const QByteArray bytes = m_socket.readAll();
        m_received += bytes.size();
        m_decoder.feed(bytes);
    }
}

QList<Frame> RawClient::untilFinal(qint64 id, int timeoutMs)
{
    QList<Frame> frames;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        std::optional<Frame> frame = next(int(qMax<qint64>(1, deadline.remainingTime())));
        if (!frame)
            break;
        frames.append(*frame);
        if (jsonInteger(frame->header, QLatin1String("re")) != id)
            continue;
        const QString op = frame->op();
        const QJsonObject &h = frame->header;
        // A put's first ok (offset) and a get's ok (size, no sha256) are followed by more frames.
        const bool okWithMore = h.contains(QStringLiteral("offset"))
                                || (h.contains(QStringLiteral("size")) && !h.contains(QStringLiteral("sha256")));
        if (op == QLatin1String("error") || op == QLatin1String("end")
            || (op == QLatin1String("entries") && !h.value(QStringLiteral("more")).toBool())
            || (op == QLatin1String("ok") && !okWithMore))
            break;
    }
    return frames;
}

bool RawClient::waitClosed(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        m_received += m_socket.readAll().size();
    }
    return m_socket.state() != QAbstractSocket::ConnectedState;
}

bool RawClient::login(quint16 port, const QString &user, const QString &password)
{
    if (!connectTo(port))
        return false;
    const std::optional<Frame> hello = next();
    if (!hello || hello->op() != QLatin1String("hello"))
        return false;
    ScramClient scram(user, password, QByteArray(), tlsServerEndPoint(m_socket.peerCertificate()));
    const qint64 first = nextId();
    send(QJsonObject{{QStringLiteral("op"), QStringLiteral("auth")}, {QStringLiteral("id"), first},
                     {QStringLiteral("mech"), QString(ScramMechanism)},
                     {QStringLiteral("data"), QString::fromUtf8(scram.clientFirstMessage())}});
    const std::optional<Frame> challenge = next();
    if (!challenge || challenge->op() != QLatin1String("challenge"))
        return false;
    const Result<QByteArray> final = scram.clientFinalMessage(challenge->header.value(QStringLiteral("data")).toString().toUtf8());
    if (!final)
        return false;
    const qint64 second = nextId();
    send(QJsonObject{{QStringLiteral("op"), QStringLiteral("auth")}, {QStringLiteral("id"), second},
                     {QStringLiteral("data"), QString::fromUtf8(*final)}});
    const std::optional<Frame> ok = next();
    return ok && ok->op() == QLatin1String("ok")
           && scram.verifyServerFinal(ok->header.value(QStringLiteral("data")).toString().toUtf8());
}

Frame RawClient::request(const QJsonObject &header, int timeoutMs)
{
    QJsonObject copy = header;
    const qint64 id = nextId();
    copy.insert(QStringLiteral("id"), id);
    send(copy);
    const QList<Frame> frames = untilFinal(id, timeoutMs);
    return frames.isEmpty() ? Frame{} : frames.last();
}

} // namespace ferry::test
