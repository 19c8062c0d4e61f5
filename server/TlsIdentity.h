#pragma once
// ferryd's long-lived TLS key and self-signed certificate in DATA/tls/ (docs/PROTOCOL.md, "Transport
// security"): an ECDSA P-256 key made with OpenSSL's libcrypto at the first start, private to the server's
// user (mode 0600), reused at every start and never overwritten. A key others can read, or one that does not
// parse, stops the server with a clear error instead of being replaced (that would change the identity).

#include "Result.h"
#include "ServerIdentity.h"

#include <QSslCertificate>
#include <QSslKey>

namespace ferry {

struct TlsIdentity {
    QSslKey privateKey;
    QSslCertificate certificate;

    ServerIdentity identity() const { return ServerIdentity::fromCertificate(certificate); }

    static QString keyPath(const QString &dataDir);
    static QString certificatePath(const QString &dataDir);
    // Loads DATA/tls/, creating key and certificate when there is no key yet.
    static Result<TlsIdentity> loadOrCreate(const QString &dataDir);
    // Loads only; not_found when the server has never started.
    static Result<TlsIdentity> load(const QString &dataDir);
};

} // namespace ferry
