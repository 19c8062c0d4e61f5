#include "Server.h"

#include "AccountStore.h"
#include "AuthThrottle.h"
#include "Discovery.h"
#include "InProcessQuotaLedger.h"
#include "MdnsAnnouncer.h"
#include "LocalStorage.h"
#include "PartFileSweeper.h"
#include "Session.h"
#include "TlsAcceptor.h"
#include "TargetLocks.h"
#include "UsersFile.h"

#include <QDir>
#include <QThread>
#include <QThreadPool>

namespace ferry {

namespace {
// Threads for the disk work of all sessions: a few, so a slow disk cannot take many threads.
constexpr int DiskThreads = 3;
}

ServerServices::ServerServices() : ServerServices(ServerConfig{}) {}
ServerServices::ServerServices(const ServerConfig &startConfig) : config(startConfig), live(startConfig) {}
ServerServices::~ServerServices() = default;

void LiveSettings::set(const ServerConfig &config)
{
    {
        QMutexLocker lock(&m_mutex);
        m_name = config.name;
    }
    m_idleTimeoutMs.store(config.idleTimeoutMs, std::memory_order_relaxed);
    m_maxSessions.store(config.maxSessions, std::memory_order_relaxed);
    m_maxSessionsPerAddress.store(config.maxSessionsPerAddress, std::memory_order_relaxed);
    m_partFileLifetimeSeconds.store(config.partFileLifetimeSeconds, std::memory_order_relaxed);
}

QString LiveSettings::name() const
{
    QMutexLocker lock(&m_mutex);
    return m_name;
}

Server::Server(const ServerConfig &config, QObject *parent)
    : QTcpServer(parent), m_services(std::make_unique<ServerServices>(config)), m_admission(std::make_unique<SessionAdmission>())
{
    m_services->accounts = std::make_unique<UsersFile>(config.dataDir);
    m_services->storage = config.storage ? config.storage
                                         : std::make_shared<LocalStorage>(config.dataDir + QStringLiteral("/homes"));
    m_services->ledger = std::make_unique<InProcessQuotaLedger>();
    m_services->throttle = std::make_unique<AuthThrottle>();
    m_services->targetLocks = std::make_unique<TargetLocks>();
    m_services->partSweeper = std::make_unique<PartFileSweeper>();
    m_services->diskPool = std::make_unique<QThreadPool>();
    m_services->diskPool->setMaxThreadCount(DiskThreads);
    m_services->diskPool->setObjectName(QStringLiteral("ferryd-disk"));
}

Server::~Server()
{
    close();
    for (int i = 0; i < m_workers.size(); ++i) {
        QMetaObject::invokeMethod(m_hosts[i], [host = m_hosts[i]] { delete host; }, Qt::BlockingQueuedConnection);
        m_workers[i]->quit();
        m_workers[i]->wait();
        delete m_workers[i];
    }
}

bool Server::start(QString *error)
{
    const ServerConfig &config = m_services->config;
    if (!QDir().mkpath(config.dataDir + QStringLiteral("/homes"))) {
        *error = tr("cannot create the data folder %1").arg(config.dataDir);
        return false;
    }
    const Result<TlsIdentity> tls = TlsIdentity::loadOrCreate(config.dataDir);
    if (!tls) {
        *error = tls.error().message;
        return false;
    }
    m_services->tls = *tls;
    m_services->channelBinding = tlsServerEndPoint(tls->certificate);
    const Result<QList<UserAccount>> accounts = m_services->accounts->list();
    if (!accounts) {
        *error = accounts.error().message;
        return false;
    }
    // The ledger is rebuilt from disk at every start, so a crash cannot leave it wrong.
    for (const UserAccount &account : *accounts) {
        m_services->storage->createHome(account.name);
        const Result<std::shared_ptr<StorageHome>> home = m_services->storage->openHome(account.name);
        m_services->ledger->setUsed(account.name, home ? (*home)->usage() : 0);
        m_services->partSweeper->sweep(*m_services, account.name, true);
    }
    if (!listen(config.listenAddress, config.port)) {
        *error = tr("cannot listen on %1 port %2: %3").arg(config.listenAddress.toString()).arg(config.port).arg(errorString());
        return false;
    }
    for (int i = 0; i < qMax(1, config.workerThreads); ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("ferryd-worker-%1").arg(i));
        auto *host = new QObject;
        auto *acceptor = new TlsAcceptor(*m_services, *m_admission, host);
        connect(acceptor, &TlsAcceptor::sessionStarted, this, [this] {
            emit sessionCountChanged(m_sessions.fetchAndAddRelaxed(1) + 1);
        }, Qt::DirectConnection);
        connect(acceptor, &TlsAcceptor::sessionFinished, this, [this] {
            emit sessionCountChanged(m_sessions.fetchAndAddRelaxed(-1) - 1);
        }, Qt::DirectConnection);
        host->moveToThread(thread);
        thread->start();
        m_workers.append(thread);
        m_hosts.append(host);
        m_acceptors.append(acceptor);
    }
    if (config.discovery) {
        m_discovery = new Discovery(config.name, serverPort(), this);
        m_discovery->setListenAddress(config.listenAddress);
        m_discovery->setIdentity(m_services->tls.identity());
        QString discoveryError;
        if (!m_discovery->start(&discoveryError))
            qWarning("ferryd: LAN discovery is off: %s", qPrintable(discoveryError));
        m_mdns = new MdnsAnnouncer(this);
        m_mdns->setIdentity(m_services->tls.identity().code());
        if (!m_mdns->start(config.name, config.listenAddress, serverPort(), &discoveryError))
            qInfo("ferryd: %s", qPrintable(discoveryError));
    }
    return true;
}

void Server::applyLiveSettings(const ServerConfig &config)
{
    const bool renamed = config.name != m_services->live.name();
    m_services->live.set(config);
    if (!renamed)
        return;
    if (m_discovery)
        m_discovery->setName(config.name);
    if (m_mdns)
        m_mdns->setName(config.name);
}

int Server::sessionCount() const
{
    return m_sessions.loadRelaxed();
}

QList<int> Server::connectionsPerWorker() const
{
    QList<int> counts;
    for (const TlsAcceptor *acceptor : m_acceptors)
        counts.append(acceptor->connections());
    return counts;
}

void Server::incomingConnection(qintptr socketDescriptor)
{
    // The descriptor goes to the worker as it is: the TLS handshake runs there, not on the listener. To the
    // worker with the fewest connections: in turn, two long sessions could share a thread while another idles
    // (one arriving after a short one had left).
    int worker = m_nextWorker;
    for (int step = 1; step < m_acceptors.size(); ++step) {
        const int candidate = (m_nextWorker + step) % m_acceptors.size();
        if (m_acceptors[candidate]->connections() < m_acceptors[worker]->connections())
            worker = candidate;
    }
    m_nextWorker = (worker + 1) % m_acceptors.size();
    QObject *host = m_hosts[worker];
    TlsAcceptor *acceptor = m_acceptors[worker];
    acceptor->expectConnection();
    QMetaObject::invokeMethod(acceptor, [acceptor, host, socketDescriptor] { acceptor->accept(socketDescriptor, host); });
}

} // namespace ferry
