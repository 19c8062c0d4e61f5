#pragma once
// "Nearby servers": asks the LAN who runs ferryd (docs/PROTOCOL.md, "LAN discovery"). Broadcasts
// {"op":"discover","proto":2} on UDP port 7420 to every interface's broadcast address and collects the
// {"op":"here",…} answers for a short while. Answers are deduplicated by address and TCP port.

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTimer>

#include <optional>

class QUdpSocket;

namespace ferry {

struct DiscoveredServer {
    enum Source { Broadcast = 1, Mdns = 2 };   // how it was found (NearbyServers merges both)

    QString name;             // the server's display name
    QHostAddress address;     // where the answer came from
    quint16 port = 0;         // its TCP port
    bool tls = false;
    QString fingerprint;      // SHA-256 hex of its key (SubjectPublicKeyInfo), as announced
    QString identity;         // its short identity code, as announced (unauthenticated: shown, not trusted)
    int foundBy = Broadcast;  // Source flags
};

class DiscoveryClient : public QObject {
    Q_OBJECT
public:
    explicit DiscoveryClient(QObject *parent = nullptr);
    ~DiscoveryClient() override;

    // The UDP port servers listen on (default 7420); tests use another.
    void setDiscoveryPort(quint16 port) { m_discoveryPort = port; }
    // Where queries go; empty (default): the broadcast address of every interface that is up.
    void setTargets(const QList<QHostAddress> &targets) { m_targets = targets; }

    // Forgets earlier answers, sends the query (repeated a few times, UDP may drop it) and listens for
    // `durationMs`; then emits finished(). Calling it again restarts the search.
    void start(int durationMs = 2000);
    void stop();
    bool isRunning() const { return m_stopTimer.isActive(); }

    QList<DiscoveredServer> servers() const { return m_servers; }

    // Parses one answer datagram; nullopt when it is not a valid "here".
    static std::optional<DiscoveredServer> parseAnswer(const QByteArray &datagram, const QHostAddress &sender);
    static QList<QHostAddress> broadcastAddresses();

signals:
    void serverFound(const ferry::DiscoveredServer &server);
    void finished();

private:
    void sendQuery();
    void readAnswers();

    QUdpSocket *m_socket = nullptr;
    quint16 m_discoveryPort = 7420;
    QList<QHostAddress> m_targets;
    QList<DiscoveredServer> m_servers;
    QTimer m_resendTimer;
    QTimer m_stopTimer;
    int m_queriesLeft = 0;
};

} // namespace ferry

Q_DECLARE_METATYPE(ferry::DiscoveredServer)
