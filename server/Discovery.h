#pragma once
// LAN discovery (UDP, port 7420): answers {"op":"discover","proto":2} with {"op":"here",…} unicast to the
// sender, at most a few times per second per sender, never for a datagram over 1 KiB.
// With a specific listen address, only queries that reached that address (unicast, or the broadcast of its
// network) are answered, from that address: a client is never told of an address the server does not serve.

#include "ServerIdentity.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>

class QUdpSocket;

namespace ferry {

class Discovery : public QObject {
    Q_OBJECT
public:
    Discovery(const QString &name, quint16 tcpPort, QObject *parent = nullptr, quint16 udpPort = 7420);
    // The TLS identity "here" replies announce (tls, identity, fingerprint).
    void setIdentity(const ServerIdentity &identity) { m_identity = identity; }
    // The display name of the next replies (a reload changed it).
    void setName(const QString &name) { m_name = name; }
    bool start(QString *error);
    quint16 udpPort() const;
    // The TCP listener's address; Any (the default) answers on every interface. Set before start().
    void setListenAddress(const QHostAddress &address) { m_listenAddress = address; }

private:
    void readPending();
    bool reachesListener(const QHostAddress &destination) const;

    QString m_name;
    QHostAddress m_listenAddress = QHostAddress::Any;
    quint16 m_tcpPort;
    quint16 m_udpPort;
    ServerIdentity m_identity;
    QUdpSocket *m_socket;
    QUdpSocket *m_replySocket = nullptr;   // bound to the listen address, when specific
    QHash<QString, QList<qint64>> m_recentAnswers;   // per sender: times of answers in the last second
};

} // namespace ferry
