#pragma once
// The login part of a session: the SCRAM-SHA-256-PLUS exchange bound to this TLS channel, fake challenges
// for unknown names, and throttling per address and per account. Session passes it every auth request and
// sends what it returns; it holds no socket.

#include "Result.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace ferry {

class ScramServer;
struct ServerServices;

class SessionAuth {
public:
    SessionAuth(ServerServices &services, const QString &peer);
    ~SessionAuth();

    struct Step {
        Error error;            // set: send this error (the exchange is reset)
        QJsonObject challenge;  // set: send a challenge frame with these fields
        QString user;           // set: logged in; serverFinal is the ok's "data"
        QByteArray serverFinal;
    };
    Step handle(const QJsonObject &request);

private:
    Step first(const QString &mech, const QByteArray &message);
    Step final(const QByteArray &message);
    Step fail(const QString &user, bool bindingFailed);

    ServerServices &m_services;
    QString m_peer;
    std::unique_ptr<ScramServer> m_scram;
};

} // namespace ferry
