#pragma once
// Test support: a fake Ferry server (TLS 1.3 with a key of its own, SCRAM-SHA-256-PLUS bound to it) that
// logs a client in and then lies: every `list`
// answers with the entries given (names like "../x" or "a/b" included), `stat` says the listed path is a
// folder and anything else a 5-byte file, and `get` sends those 5 bytes. For testing what a client does
// with names from a hostile server. Runs on the thread that creates it (an event loop must run).

#include "TlsListener.h"

#include <QJsonArray>
#include <QObject>

namespace ferry::test {

class HostileServer : public QObject {
public:
    HostileServer(const QString &user, const QString &password, const QJsonArray &entries);
    quint16 port() const { return m_listener.serverPort(); }
    // Its identity code, for the client to trust (FERRY_TRUST).
    QString identityCode() const { return m_listener.tls().identity().code(); }
    // Every path the client asked for with `get`.
    QStringList gets() const { return m_gets; }

private:
    void serve(QSslSocket *socket);

    TlsListener m_listener;
    QString m_user;
    QString m_password;
    QJsonArray m_entries;
    QStringList m_gets;
};

} // namespace ferry::test
