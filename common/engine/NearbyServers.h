#pragma once
// "Nearby servers": one list from both ways of finding ferryd on the LAN, the UDP broadcast
// (DiscoveryClient) and mDNS/DNS-SD (MdnsBrowser). A server found both ways is one entry, whose foundBy
// says both: entries are the same server when they announce the same identity, or, while either has none,
// the same host and port.

#include "DiscoveryClient.h"

#include <QObject>

namespace ferry {

class MdnsBrowser;

class NearbyServers : public QObject {
    Q_OBJECT
public:
    explicit NearbyServers(QObject *parent = nullptr);
    ~NearbyServers() override;

    // The broadcast half, e.g. to aim it at another UDP port in tests.
    DiscoveryClient *broadcast() const { return m_broadcast; }
    // Off: broadcast only (tests that must not see servers of the machine they run on).
    void setMdnsEnabled(bool enabled) { m_mdnsEnabled = enabled; }

    // Forgets earlier results and searches both ways for `durationMs`; then emits finished().
    void start(int durationMs = 2500);
    void stop();
    bool isRunning() const;

    QList<DiscoveredServer> servers() const { return m_servers; }
    // Why mDNS is not searched (no Avahi daemon, built without it); empty when it is.
    QString mdnsProblem() const { return m_mdnsProblem; }

    // Adds one result from either source (public for tests).
    void merge(const DiscoveredServer &server);
    // "broadcast", "mDNS" or "mDNS, broadcast": translated, for lists shown to people.
    static QString foundByText(int foundBy);

signals:
    void serverFound(const ferry::DiscoveredServer &server);              // a new entry
    void serverChanged(int index, const ferry::DiscoveredServer &server);  // an entry learned more
    void finished();

private:
    DiscoveryClient *m_broadcast;
    MdnsBrowser *m_mdns;
    bool m_mdnsEnabled = true;
    QString m_mdnsProblem;
    QList<DiscoveredServer> m_servers;
};

} // namespace ferry
