#include "NearbyServers.h"

#include "MdnsBrowser.h"

namespace ferry {

namespace {

bool sameServer(const DiscoveredServer &a, const DiscoveredServer &b)
{
    if (!a.identity.isEmpty() && !b.identity.isEmpty())
        return a.identity == b.identity;
    return a.port == b.port && a.address.isEqual(b.address, QHostAddress::TolerantConversion);
}

} // namespace

NearbyServers::NearbyServers(QObject *parent)
    : QObject(parent), m_broadcast(new DiscoveryClient(this)), m_mdns(new MdnsBrowser(this))
{
    connect(m_broadcast, &DiscoveryClient::serverFound, this, &NearbyServers::merge);
    connect(m_mdns, &MdnsBrowser::serverFound, this, &NearbyServers::merge);
    // The broadcast search has the deadline; mDNS answers until then.
    connect(m_broadcast, &DiscoveryClient::finished, this, [this] {
        m_mdns->stop();
        emit finished();
    });
}

NearbyServers::~NearbyServers() = default;

void NearbyServers::start(int durationMs)
{
    m_servers.clear();
    m_mdnsProblem.clear();
    if (m_mdnsEnabled)
        m_mdns->start(&m_mdnsProblem);   // on failure the caller reads mdnsProblem(); the broadcast still searches
    m_broadcast->start(durationMs);
}

void NearbyServers::stop()
{
    m_mdns->stop();
    m_broadcast->stop();
}

bool NearbyServers::isRunning() const
{
    return m_broadcast->isRunning();
}

void NearbyServers::merge(const DiscoveredServer &server)
{
    for (int i = 0; i < m_servers.size(); ++i) {
        DiscoveredServer &known = m_servers[i];
        if (!sameServer(known, server))
            continue;
        const DiscoveredServer before = known;
        known.foundBy |= server.foundBy;
        if (known.identity.isEmpty())
            known.identity = server.identity;
        if (!known.tls && server.tls) {
            known.tls = true;
            known.fingerprint = server.fingerprint;
        }
        if (known.foundBy != before.foundBy || known.identity != before.identity || known.tls != before.tls)
            emit serverChanged(i, known);
        return;
    }
    m_servers.append(server);
    emit serverFound(server);
}

QString NearbyServers::foundByText(int foundBy)
{
    QStringList ways;
    if (foundBy & DiscoveredServer::Mdns)
        ways.append(tr("mDNS"));
    if (foundBy & DiscoveredServer::Broadcast)
        ways.append(tr("broadcast"));
    return ways.join(tr(", "));
}

} // namespace ferry
