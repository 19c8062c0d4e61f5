#include "MdnsBrowser.h"

#include <QtEndian>

#ifdef FERRY_HAVE_AVAHI
#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/thread-watch.h>
#endif

namespace ferry {

#ifdef FERRY_HAVE_AVAHI

namespace {

// The value of TXT record "key=value", empty when absent.
QString txtValue(AvahiStringList *txt, const char *key)
{
    AvahiStringList *record = avahi_string_list_find(txt, key);
    char *name = nullptr;
    char *value = nullptr;
    if (!record || avahi_string_list_get_pair(record, &name, &value, nullptr) < 0)
        return QString();
    const QString text = value ? QString::fromUtf8(value) : QString();
    avahi_free(name);
    avahi_free(value);
    return text;
}

} // namespace

struct MdnsBrowser::Avahi {
    MdnsBrowser *owner = nullptr;
    AvahiThreadedPoll *poll = nullptr;
    AvahiClient *client = nullptr;

    ~Avahi()
    {
        if (poll)
            avahi_threaded_poll_stop(poll);   // no callback runs after this
        if (client)
            avahi_client_free(client);         // frees the browser and pending resolvers
        if (poll)
            avahi_threaded_poll_free(poll);
    }

    static void resolved(AvahiServiceResolver *resolver, AvahiIfIndex, AvahiProtocol, AvahiResolverEvent event,
                         const char *name, const char *, const char *, const char *, const AvahiAddress *address,
                         uint16_t port, AvahiStringList *txt, AvahiLookupResultFlags, void *userdata)
    {
        auto *self = static_cast<Avahi *>(userdata);
        if (event == AVAHI_RESOLVER_FOUND && address && address->proto == AVAHI_PROTO_INET && port > 0) {
            DiscoveredServer server;
            server.address = QHostAddress(qFromBigEndian(address->data.ipv4.address));
            server.port = port;
            server.name = txtValue(txt, "name").left(200);
            if (server.name.isEmpty())
                server.name = QString::fromUtf8(name).left(200);
            server.identity = txtValue(txt, "identity").left(64);
            server.foundBy = DiscoveredServer::Mdns;
            MdnsBrowser *owner = self->owner;
            QMetaObject::invokeMethod(owner, [owner, server] { emit owner->serverFound(server); }, Qt::QueuedConnection);
        }
        avahi_service_resolver_free(resolver);
    }

    static void browsed(AvahiServiceBrowser *, AvahiIfIndex interface, AvahiProtocol protocol, AvahiBrowserEvent event,
                        const char *name, const char *type, const char *domain, AvahiLookupResultFlags, void *userdata)
    {
        auto *self = static_cast<Avahi *>(userdata);
        if (event != AVAHI_BROWSER_NEW)
            return;
        // IPv4 addresses, like the broadcast discovery, so that both find the same host:port.
        avahi_service_resolver_new(self->client, interface, protocol, name, type, domain, AVAHI_PROTO_INET,
                                   AvahiLookupFlags(0), &Avahi::resolved, self);
    }
};

MdnsBrowser::MdnsBrowser(QObject *parent) : QObject(parent) {}

MdnsBrowser::~MdnsBrowser() = default;

bool MdnsBrowser::start(QString *error)
{
    stop();
    auto avahi = std::make_unique<Avahi>();
    avahi->owner = this;
    avahi->poll = avahi_threaded_poll_new();
    int avahiError = AVAHI_ERR_NO_MEMORY;
    if (avahi->poll)
        avahi->client = avahi_client_new(avahi_threaded_poll_get(avahi->poll), AvahiClientFlags(0), nullptr, nullptr,
                                         &avahiError);
    if (!avahi->client) {
        *error = tr("mDNS is not available: %1").arg(QString::fromUtf8(avahi_strerror(avahiError)));
        return false;
    }
    if (!avahi_service_browser_new(avahi->client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, ServiceType, nullptr,
                                   AvahiLookupFlags(0), &Avahi::browsed, avahi.get())
        || avahi_threaded_poll_start(avahi->poll) < 0) {
        *error = tr("mDNS is not available: %1").arg(QString::fromUtf8(avahi_strerror(avahi_client_errno(avahi->client))));
        return false;
    }
    m_avahi = std::move(avahi);
    return true;
}

void MdnsBrowser::stop()
{
    m_avahi.reset();
}

#else // no libavahi-client at build time

struct MdnsBrowser::Avahi {};

MdnsBrowser::MdnsBrowser(QObject *parent) : QObject(parent) {}
MdnsBrowser::~MdnsBrowser() = default;

bool MdnsBrowser::start(QString *error)
{
    *error = tr("mDNS is not available: Ferry was built without Avahi (libavahi-client)");
    return false;
}

void MdnsBrowser::stop() {}

#endif

} // namespace ferry
