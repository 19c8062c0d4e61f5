#pragma once
// The identities the user accepted, per "host:port" (trust on first use, like SSH's known_hosts): a JSON
// object {"host:port": "<64 hex fingerprint>"} in the user's config folder, written atomically.
// And the identity check the client engine runs right after the TLS handshake, before any frame is sent.

#include "Result.h"
#include "ServerIdentity.h"

#include <QHash>
#include <QString>

#include <functional>

namespace ferry {

// What the client saw in the handshake, and what it remembered for that address.
struct IdentityCheck {
    QString host;
    quint16 port = 0;
    ServerIdentity identity;   // from the handshake
    ServerIdentity known;      // invalid: first contact
    QString address() const;   // "host:port", IPv6 in brackets
};

class KnownServers {
public:
    // path empty: known_servers.json in QStandardPaths::AppConfigLocation.
    explicit KnownServers(const QString &path = {});
    static QString defaultPath();
    QString path() const { return m_path; }

    ServerIdentity find(const QString &host, quint16 port) const;
    Status remember(const QString &host, quint16 port, const ServerIdentity &identity);
    // Removes the entry; true when there was one.
    Result<bool> forget(const QString &host, quint16 port);

    // The check for ClientSession: a known identity passes; a changed one is refused (identity_changed,
    // naming old and new codes and how to forget); an unknown one is put to `askFirstUse`, which returns
    // true to trust it (then remembered) or false (identity_unknown). askFirstUse may be empty: refuse.
    using FirstUsePrompt = std::function<bool(const IdentityCheck &check)>;
    Status verify(IdentityCheck check, const FirstUsePrompt &askFirstUse);

    static QString key(const QString &host, quint16 port);

private:
    QHash<QString, QString> load() const;

    QString m_path;
};

} // namespace ferry
