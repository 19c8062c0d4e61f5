#pragma once
// Test support: a fake Ferry server that logs a client in (real SCRAM) and then lies: every `list`
// answers with the entries given (names like "../x" or "a/b" included), `stat` says the listed path is a
// folder and anything else a 5-byte file, and `get` sends those 5 bytes. For testing what a client does
// with names from a hostile server. Runs on the thread that creates it (an event loop must run).

#include <QJsonArray>
#include <QObject>
#include <QTcpServer>

namespace ferry::test {

class HostileServer : public QObject {
public:
    HostileServer(const QString &user, const QString &password, const QJsonArray &entries);
    quint16 port() const { return m_listener.serverPort(); }
    // Every path the client asked for with `get`.
    QStringList gets() const { return m_gets; }

private:
    void serve(class QTcpSocket *socket);

    QTcpServer m_listener;
    QString m_user;
    QString m_password;
    QJsonArray m_entries;
    QStringList m_gets;
};

} // namespace ferry::test
