#include "MdnsBrowser.h"

#include "AvahiLibrary.h"

#include <QtEndian>

namespace ferry {

#ifdef FERRY_HAVE_AVAHI

namespace {

// The value of TXT record "key=value", empty when absent.
QString txtValue(const AvahiLibrary &api, AvahiStringList *txt, const char *key)
{
    AvahiStringList *record = api.string_list_find(txt, key);
    char *name = nullptr;
    char *value = nullptr;
    if (!record || api.string_list_get_pair(record, &name, &value, nullptr) < 0)
        return QString();
    const QString text = value ? QString::fromUtf8(value) : QString();
    api.free(name);
    api.free(value);
    return text;
}

} // namespace

struct MdnsBrowser::Avahi {
    explicit Avahi(const AvahiLibrary &library) : api(library) {}

    const AvahiLibrary &api;
    MdnsBrowser *owner = nullptr;
    AvahiThreadedPoll *poll = nullptr;
    AvahiClient *client = nullptr;

    ~Avahi()
    {
        if (poll)
            api.threaded_poll_stop(poll);   // no callback runs after this
        if (client)
            api.client_free(client);         // frees the browser and pending resolvers
        if (poll)
            api.threaded_poll_free(poll);
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
            server.name = txtValue(self->api, txt, "name").left(200);
            if (server.name.isEmpty())
                server.name = QString::fromUtf8(name).left(200);
            server.identity = txtValue(self->api, txt, "identity").left(64);
            server.foundBy = DiscoveredServer::Mdns;
            MdnsBrowser *owner = self->owner;
            QMetaObject::invokeMethod(owner, [owner, server] { emit owner->serverFound(server); }, Qt::QueuedConnection);
        }
        self->api.service_resolver_free(resolver);
    }

    static void browsed(AvahiServiceBrowser *, AvahiIfIndex interface, AvahiProtocol protocol, AvahiBrowserEvent event,
                        const char *name, const char *type, const char *domain, AvahiLookupResultFlags, void *userdata)
    {
        auto *self = static_cast<Avahi *>(userdata);
        if (event != AVAHI_BROWSER_NEW)
            return;
        // IPv4 addresses, like the broadcast discovery, so that both find the same host:port.
        self->api.service_resolver_new(self->client, interface, protocol, name, type, domain, AVAHI_PROTO_INET,
                                       AvahiLookupFlags(0), &Avahi::resolved, self);
    }
};

MdnsBrowser::MdnsBrowser(QObject *parent) : QObject(parent) {}

MdnsBrowser::~MdnsBrowser() = default;

bool MdnsBrowser::start(QString *error)
{
    stop();
    const AvahiLibrary *api = AvahiLibrary::get(error);
    if (!api)
        return false;
    auto avahi = std::make_unique<Avahi>(*api);
    avahi->owner = this;
    avahi->poll = api->threaded_poll_new();
    int avahiError = AVAHI_ERR_NO_MEMORY;
    if (avahi->poll)
        avahi->client = api->client_new(api->threaded_poll_get(avahi->poll), AvahiClientFlags(0), nullptr, nullptr,
                                        &avahiError);
    if (!avahi->client) {
        *error = tr("mDNS is not available: %1").arg(QString::fromUtf8(api->strerror(avahiError)));
        return false;
    }
    if (!api->service_browser_new(avahi->client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, ServiceType, nullptr,
                                  AvahiLookupFlags(0), &Avahi::browsed, avahi.get())
        || api->threaded_poll_start(avahi->poll) < 0) {
        const int browseError = api->client_errno(avahi->client);
        *error = tr("mDNS is not available: %1").arg(QString::fromUtf8(api->strerror(browseError)));
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
