#pragma once
// Announces ferryd as a DNS-SD service `_ferry._tcp` through the system's Avahi daemon (libavahi-client):
// TXT records proto=2, name=<display name> and identity=<code> (once the server has a TLS identity). Without
// a daemon it logs one line and keeps waiting for one; a name taken on the network gets Avahi's alternative.
// With a specific listen address, only the interface holding it is announced (none for loopback).

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>

namespace ferry {

class MdnsAnnouncer : public QObject {
    Q_OBJECT
public:
    explicit MdnsAnnouncer(QObject *parent = nullptr);
    ~MdnsAnnouncer() override;

    // The TLS identity code for the TXT record; empty (the default until the TLS work lands): left out.
    void setIdentity(const QString &identity) { m_identity = identity; }
    // Starts announcing; false with *error when the announcement cannot even be set up (no Avahi support
    // built in, no usable interface). A missing daemon is not an error: see the class comment.
    bool start(const QString &name, const QHostAddress &listenAddress, quint16 port, QString *error);
    // Announces under `name` from now on (a reload changed it): the old name is withdrawn.
    void setName(const QString &name);

    static constexpr const char *ServiceType = "_ferry._tcp";

    struct Avahi;   // public so that helpers in the .cpp can fill it

private:
    std::unique_ptr<Avahi> m_avahi;
    QString m_identity;
};

} // namespace ferry
