#pragma once
// Where and as whom to connect, and the ferry://user@host:port form people paste and the README uses.

#include <QString>
#include <QUrl>

#include <optional>

namespace ferry {

struct ConnectionParams {
    QString host;
    quint16 port = 7420;
    QString user;
    QString password;   // kept in memory only (and in the keyring when the user asks)

    bool isComplete() const { return !host.isEmpty() && port != 0 && !user.isEmpty(); }
    // "alice@nas.local:7420" (no password), for titles, recent lists and keyring keys.
    QString displayName() const;
    QUrl toUrl() const;
    // ferry://user@host[:port]; a password in the URL is taken too (but never written back).
    static std::optional<ConnectionParams> fromUrl(const QUrl &url);

    bool sameServerAndUser(const ConnectionParams &other) const
    {
        return host.compare(other.host, Qt::CaseInsensitive) == 0 && port == other.port && user == other.user;
    }
};

} // namespace ferry
