#include "Discovery.h"

#include "Protocol.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QUdpSocket>

namespace ferry {

namespace {
constexpr qint64 MaxDatagramBytes = 1024;
constexpr int MaxAnswersPerSecond = 3;

bool isSpecific(const QHostAddress &address)
{
    return address != QHostAddress::Any && address != QHostAddress::AnyIPv4 && address != QHostAddress::AnyIPv6;
}
} // namespace

Discovery::Discovery(const QString &name, quint16 tcpPort, QObject *parent, quint16 udpPort)
    : QObject(parent), m_name(name), m_tcpPort(tcpPort), m_udpPort(udpPort), m_socket(new QUdpSocket(this))
{
    connect(m_socket, &QUdpSocket::readyRead, this, &Discovery::readPending);
}

bool Discovery::start(QString *error)
{
    if (!m_socket->bind(QHostAddress::AnyIPv4, m_udpPort, QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint)) {
        *error = m_socket->errorString();
        return false;
    }
    // Queries arrive on the wildcard socket (broadcasts reach no other); Linux picks an answer's source
    // address by route, so answers of a server with a specific listen address go out of a socket bound there.
    if (isSpecific(m_listenAddress)) {
        m_replySocket = new QUdpSocket(this);
        if (!m_replySocket->bind(m_listenAddress, 0)) {
            *error = m_replySocket->errorString();
            return false;
        }
    }
    return true;
}

quint16 Discovery::udpPort() const
{
    return m_socket->localPort();
}

void Discovery::readPending()
{
    while (m_socket->hasPendingDatagrams()) {
        if (m_socket->pendingDatagramSize() > MaxDatagramBytes) {
            m_socket->receiveDatagram(0);   // drop it unread
            continue;
        }
        const QNetworkDatagram datagram = m_socket->receiveDatagram(MaxDatagramBytes);
        const QJsonObject query = QJsonDocument::fromJson(datagram.data()).object();
        if (query.value(Field::Op).toString() != Op::Discover)
            continue;
        if (!reachesListener(datagram.destinationAddress()))
            continue;
        const QString sender = datagram.senderAddress().toString();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<qint64> &recent = m_recentAnswers[sender];
        recent.removeIf([now](qint64 t) { return t < now - 1000; });
        if (recent.size() >= MaxAnswersPerSecond)
            continue;
        recent.append(now);
        if (m_recentAnswers.size() > 4096)
            m_recentAnswers.clear();
        const QJsonObject answer{{Field::Op, QString(Op::Here)},
                                 {Field::Proto, Limits::ProtocolVersion},
                                 {Field::Name, m_name},
                                 {Field::Port, int(m_tcpPort)},
                                 {Field::Tls, true},
                                 {Field::Identity, m_identity.code()},
                                 {Field::Fingerprint, m_identity.fingerprint()}};
        // From the listen address when there is one: clients connect to where the answer came from.
        QUdpSocket *from = m_replySocket ? m_replySocket : m_socket;
        from->writeDatagram(QJsonDocument(answer).toJson(QJsonDocument::Compact), datagram.senderAddress(),
                            quint16(datagram.senderPort()));
    }
}

bool Discovery::reachesListener(const QHostAddress &destination) const
{
    if (!isSpecific(m_listenAddress))
        return true;
    const auto same = [](const QHostAddress &a, const QHostAddress &b) {
        return a.isEqual(b, QHostAddress::TolerantConversion);
    };
    if (destination.isNull() || same(destination, m_listenAddress))
        return !destination.isNull();
    // A broadcast reaches the listener when it is the broadcast of a network the listen address is on.
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        for (const QNetworkAddressEntry &entry : iface.addressEntries()) {
            if (same(entry.ip(), m_listenAddress)
                && (same(entry.broadcast(), destination) || destination == QHostAddress(QHostAddress::Broadcast)))
                return true;
        }
    }
    return false;
}

} // namespace ferry
