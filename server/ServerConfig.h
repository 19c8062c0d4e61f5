#pragma once
// What a running ferryd is configured with and the services its sessions share across threads.

#include "TlsIdentity.h"

#include <QHostAddress>
#include <QString>

#include <memory>

namespace ferry {

class AccountStore;
class AuthThrottle;
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
    bool discovery = true;                     // answer UDP discovery queries
    bool logOperations = true;
    int maxSessions = 512;                     // open connections, handshaking ones included
    int maxSessionsPerAddress = 32;
    int handshakeTimeoutMs = 10 * 1000;        // TLS handshake from accept to encrypted
};

// Shared by every session on every worker thread; each service is thread-safe.
struct ServerServices {
    ServerConfig config;
    std::unique_ptr<AccountStore> accounts;
    std::unique_ptr<Storage> storage;
    std::unique_ptr<QuotaLedger> ledger;
    std::unique_ptr<AuthThrottle> throttle;
    std::unique_ptr<TargetLocks> targetLocks;
    TlsIdentity tls;                 // loaded at start
    QByteArray channelBinding;       // tls-server-end-point data of tls.certificate

    QString homeOf(const QString &user) const;
    ~ServerServices();
};

} // namespace ferry
