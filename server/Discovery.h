#pragma once
// LAN discovery (UDP, port 7420): answers {"op":"discover","proto":2} with {"op":"here",…} unicast to the
// sender, at most a few times per second per sender, never for a datagram over 1 KiB.

#include "ServerIdentity.h"

#include <QHash>
#include <QObject>

class QUdpSocket;

namespace ferry {

class Discovery : public QObject {
    Q_OBJECT
public:
    Discovery(const QString &name, quint16 tcpPort, QObject *parent = nullptr, quint16 udpPort = 7420);
    // The TLS identity "here" replies announce (tls, identity, fingerprint).
    void setIdentity(const ServerIdentity &identity) { m_identity = identity; }
    bool start(QString *error);
    quint16 udpPort() const;

private:
    void readPending();

    QString m_name;
    quint16 m_tcpPort;
    quint16 m_udpPort;
    ServerIdentity m_identity;
    QUdpSocket *m_socket;
    QHash<QString, QList<qint64>> m_recentAnswers;   // per sender: times of answers in the last second
};

} // namespace ferry
