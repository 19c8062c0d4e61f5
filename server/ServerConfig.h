#pragma once
// What a running ferryd is configured with and the services its sessions share across threads.

#include "TlsIdentity.h"

#include <QHostAddress>
#include <QMutex>
#include <QString>

#include <atomic>
#include <memory>

class QThreadPool;

namespace ferry {

class AccountStore;
class AuthThrottle;
class PartFileSweeper;
class QuotaLedger;
class Storage;
class TargetLocks;

struct ServerConfig {
    QString dataDir;
    QString name;                              // display name in hello and discovery
    QHostAddress listenAddress = QHostAddress::Any;
    quint16 port = 7420;
    int workerThreads = 2;
    int idleTimeoutMs = 10 * 60 * 1000;        // authenticated sessions without a request
    int unauthenticatedTimeoutMs = 30 * 1000;
    bool discovery = true;                     // answer UDP discovery queries and announce over mDNS
    int maxSessions = 512;                     // sessions served at once, in all (enforced by the listener)
    int maxSessionsPerAddress = 32;            // … and from one peer address
    qint64 partFileLifetimeSeconds = 7 * 86400;   // unfinished uploads untouched this long are deleted
    bool logOperations = true;
    // Where homes live; null: LocalStorage on dataDir/homes. Tests put an in-memory or failing one here.
    std::shared_ptr<Storage> storage;
    int handshakeTimeoutMs = 10 * 1000;        // TLS handshake from accept to encrypted
};

// The settings a running server changes on SIGHUP (ConfigReloader): read by worker threads while the main
// thread may set them, so each is read whole. Existing sessions keep running; what they read next applies.
class LiveSettings {
public:
    explicit LiveSettings(const ServerConfig &config) { set(config); }
    void set(const ServerConfig &config);

    QString name() const;
    int idleTimeoutMs() const { return m_idleTimeoutMs.load(std::memory_order_relaxed); }
    int maxSessions() const { return m_maxSessions.load(std::memory_order_relaxed); }
    int maxSessionsPerAddress() const { return m_maxSessionsPerAddress.load(std::memory_order_relaxed); }
    qint64 partFileLifetimeSeconds() const { return m_partFileLifetimeSeconds.load(std::memory_order_relaxed); }

private:
    mutable QMutex m_mutex;   // for the name
    QString m_name;
    std::atomic<int> m_idleTimeoutMs{0};
    std::atomic<int> m_maxSessions{0};
    std::atomic<int> m_maxSessionsPerAddress{0};
    std::atomic<qint64> m_partFileLifetimeSeconds{0};
};

// Shared by every session on every worker thread; each service is thread-safe.
struct ServerServices {
    ServerServices();
    explicit ServerServices(const ServerConfig &startConfig);

    // As started. The settings that SIGHUP can change are read from `live`, never from here.
    const ServerConfig config;
    LiveSettings live;
    std::unique_ptr<AccountStore> accounts;
    std::shared_ptr<Storage> storage;
    std::unique_ptr<QuotaLedger> ledger;
    std::unique_ptr<AuthThrottle> throttle;
    std::unique_ptr<TargetLocks> targetLocks;
    std::unique_ptr<PartFileSweeper> partSweeper;
    TlsIdentity tls;                 // loaded at start
    QByteArray channelBinding;       // tls-server-end-point data of tls.certificate
    // Sessions that stop reading requests for now (Session::pauseReceiving): how the tests see a stream of
    // pipelined requests held back, instead of waiting a while and hoping it was.
    std::atomic<int> sessionsNotReading{0};
    // Received upload data of every session that waits for the disk (UploadService): past a bound the sessions
    // fall back to a small backlog each, so that many big uploads to a slow disk cannot fill the memory.
    std::atomic<qint64> diskBacklogBytes{0};
    // Disk writes, syncs and prefix hashes of every session (DiskQueue); declared last so it is destroyed
    // first, waiting for queued work while the ledger and locks that work settles are still there.
    std::unique_ptr<QThreadPool> diskPool;

    ~ServerServices();
};

} // namespace ferry
