#pragma once
// What the client knows about one remote entry and the server's hello and quota.

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace ferry {

struct RemoteEntry {
    QString name;
    bool isDir = false;
    qint64 size = 0;
    qint64 mtimeMs = 0;
    QByteArray sha256;   // lowercase hex, only from stat and only when the server holds it; else empty

    static RemoteEntry fromJson(const QJsonObject &object);
    QDateTime modified() const { return QDateTime::fromMSecsSinceEpoch(mtimeMs); }
};

struct QuotaInfo {
    qint64 used = 0;
    std::optional<qint64> limit;   // nullopt: unlimited
};

struct ServerHello {
    int proto = 0;
    QString server;   // "ferryd/0.1.0"
    QString name;     // display name
    QStringList auth;
    bool tls = false;
    QString identity;      // short code the server announces (the handshake's key is what counts)
    QString fingerprint;
};

} // namespace ferry
