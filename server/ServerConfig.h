#pragma once
// What a running ferryd is configured with and the services its sessions share across threads.

#include "TlsIdentity.h"

#include <QHostAddress>
#include <QString>

#include <memory>

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

// Shared by every session on every worker thread; each service is thread-safe.
struct ServerServices {
    ServerConfig config;
    std::unique_ptr<AccountStore> accounts;
    std::shared_ptr<Storage> storage;
    std::unique_ptr<QuotaLedger> ledger;
    std::unique_ptr<AuthThrottle> throttle;
    std::unique_ptr<TargetLocks> targetLocks;
    std::unique_ptr<PartFileSweeper> partSweeper;
    TlsIdentity tls;                 // loaded at start
    QByteArray channelBinding;       // tls-server-end-point data of tls.certificate

    ~ServerServices();
};

} // namespace ferry
