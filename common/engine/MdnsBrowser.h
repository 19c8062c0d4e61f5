#pragma once
// Browses DNS-SD for `_ferry._tcp` through the system's Avahi daemon (libavahi-client, loaded by the first
// start(): AvahiLibrary) and resolves each service to an IPv4 address, port and its TXT records (name,
// identity). Avahi's callbacks run on its own thread; results reach this object's thread as queued
// serverFound() signals.

#include "DiscoveryClient.h"

#include <QObject>

#include <memory>

namespace ferry {

class MdnsBrowser : public QObject {
    Q_OBJECT
public:
    explicit MdnsBrowser(QObject *parent = nullptr);
    ~MdnsBrowser() override;

    // Starts browsing; false with a translated *error when mDNS cannot be used (built without Avahi, no
    // daemon running). Calling it again restarts the browse.
    bool start(QString *error);
    void stop();

    static constexpr const char *ServiceType = "_ferry._tcp";

signals:
    void serverFound(const ferry::DiscoveredServer &server);

private:
    struct Avahi;
    std::unique_ptr<Avahi> m_avahi;
};

} // namespace ferry
