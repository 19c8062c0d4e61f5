#include "DiscoveryClient.h"

#include "Frame.h"
#include "Protocol.h"
#include "ServerIdentity.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QUdpSocket>

#include <algorithm>

namespace ferry {

namespace {
constexpr int QueryRepeats = 3;          // UDP may drop a datagram; servers rate-limit, so a few is enough
constexpr int ResendIntervalMs = 400;
constexpr qint64 MaxAnswerBytes = 4096;
} // namespace

DiscoveryClient::DiscoveryClient(QObject *parent) : QObject(parent)
{
    m_resendTimer.setInterval(ResendIntervalMs);
    connect(&m_resendTimer, &QTimer::timeout, this, &DiscoveryClient::sendQuery);
    m_stopTimer.setSingleShot(true);
    connect(&m_stopTimer, &QTimer::timeout, this, [this] {
        stop();
        emit finished();
    });
}

DiscoveryClient::~DiscoveryClient() = default;

void DiscoveryClient::start(int durationMs)
{
    stop();
    m_servers.clear();
    m_socket = new QUdpSocket(this);
    // Answers come back unicast to whatever port we sent from.
    m_socket->bind(QHostAddress::AnyIPv4, 0);
    connect(m_socket, &QUdpSocket::readyRead, this, &DiscoveryClient::readAnswers);
    m_queriesLeft = QueryRepeats;
    sendQuery();
    m_resendTimer.start();
    m_stopTimer.start(durationMs);
}

void DiscoveryClient::stop()
{
    m_resendTimer.stop();
    m_stopTimer.stop();
    if (m_socket) {
        m_socket->close();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

void DiscoveryClient::sendQuery()
{
    if (!m_socket || m_queriesLeft <= 0) {
        m_resendTimer.stop();
        return;
    }
    --m_queriesLeft;
    const QByteArray query = QJsonDocument(QJsonObject{{Field::Op, QString(Op::Discover)},
                                                       {Field::Proto, Limits::ProtocolVersion}})
                                 .toJson(QJsonDocument::Compact);
    const QList<QHostAddress> targets = m_targets.isEmpty() ? broadcastAddresses() : m_targets;
    for (const QHostAddress &target : targets)
        m_socket->writeDatagram(query, target, m_discoveryPort);
}

void DiscoveryClient::readAnswers()
{
    while (m_socket && m_socket->hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket->receiveDatagram(MaxAnswerBytes);
        const std::optional<DiscoveredServer> server = parseAnswer(datagram.data(), datagram.senderAddress());
        if (!server)
            continue;
        const bool known = std::any_of(m_servers.cbegin(), m_servers.cend(), [&](const DiscoveredServer &s) {
            return s.address.isEqual(server->address, QHostAddress::TolerantConversion) && s.port == server->port;
        });
        if (known)
            continue;
        m_servers.append(*server);
        emit serverFound(*server);
    }
}

std::optional<DiscoveredServer> DiscoveryClient::parseAnswer(const QByteArray &datagram, const QHostAddress &sender)
{
    const QJsonObject answer = QJsonDocument::fromJson(datagram).object();
    if (answer.value(Field::Op).toString() != Op::Here)
        return std::nullopt;
    const std::optional<qint64> port = jsonInteger(answer, Field::Port);
    if (!port || *port < 1 || *port > 65535)
        return std::nullopt;
    DiscoveredServer server;
    server.name = answer.value(Field::Name).toString().left(200);
    // An IPv4 sender may arrive as an IPv4-mapped IPv6 address; show and connect to the plain form.
    bool isV4 = false;
    const quint32 v4 = sender.toIPv4Address(&isV4);
    server.address = isV4 ? QHostAddress(v4) : sender;
    server.port = quint16(*port);
    server.tls = answer.value(Field::Tls).toBool();
    server.fingerprint = answer.value(Field::Fingerprint).toString().left(128);
    // Only a well-formed code is shown; anything else is dropped rather than displayed.
    server.identity = ServerIdentity::normalizeCode(answer.value(Field::Identity).toString().left(64));
    server.foundBy = DiscoveredServer::Broadcast;
    if (server.name.isEmpty())
        server.name = server.address.toString();
    return server;
}

QList<QHostAddress> DiscoveryClient::broadcastAddresses()
{
    QList<QHostAddress> broadcasts;
    QList<QHostAddress> loopbacks;
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        const auto flags = iface.flags();
        if (!(flags & QNetworkInterface::IsUp) || !(flags & QNetworkInterface::IsRunning))
            continue;
        for (const QNetworkAddressEntry &entry : iface.addressEntries()) {
            if (entry.ip().protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            if (flags & QNetworkInterface::IsLoopBack)
                loopbacks.append(entry.ip());
            else if (!entry.broadcast().isNull() && !broadcasts.contains(entry.broadcast()))
                broadcasts.append(entry.broadcast());
        }
    }
    // A server on this machine hears the LAN broadcast too (and then shows with its LAN address, which
    // is the one other machines use); loopback is only for a machine without a network.
    if (!broadcasts.isEmpty())
        return broadcasts;
    return loopbacks.isEmpty() ? QList<QHostAddress>{QHostAddress(QHostAddress::Broadcast)} : loopbacks;
}

} // namespace ferry
