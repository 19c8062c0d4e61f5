#include "MdnsAnnouncer.h"

#include "Protocol.h"

#include <QNetworkInterface>

#ifdef FERRY_HAVE_AVAHI
#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/thread-watch.h>
#endif

namespace ferry {

#ifdef FERRY_HAVE_AVAHI

// Everything here runs on Avahi's own poll thread (callbacks) or under its lock (start, destruction).
struct MdnsAnnouncer::Avahi {
    AvahiThreadedPoll *poll = nullptr;
    AvahiClient *client = nullptr;
    AvahiEntryGroup *group = nullptr;
    QByteArray name;
    QList<QByteArray> txt;
    AvahiIfIndex interface = AVAHI_IF_UNSPEC;
    AvahiProtocol protocol = AVAHI_PROTO_UNSPEC;
    quint16 port = 0;
    bool saidNoDaemon = false;

    ~Avahi()
    {
        if (poll)
            avahi_threaded_poll_stop(poll);
        if (client)
            avahi_client_free(client);   // frees the group too
        if (poll)
            avahi_threaded_poll_free(poll);
    }

    void publish()
    {
        if (!group)
            group = avahi_entry_group_new(client, &Avahi::groupChanged, this);
        if (!group)
            return;
        AvahiStringList *records = nullptr;
        for (const QByteArray &record : txt)
            records = avahi_string_list_add(records, record.constData());
        const int result = avahi_entry_group_add_service_strlst(group, interface, protocol, AvahiPublishFlags(0),
                                                                name.constData(), ServiceType, nullptr, nullptr,
                                                                port, records);
        avahi_string_list_free(records);
        if (result == AVAHI_ERR_COLLISION) {
            rename();
            return;
        }
        if (result < 0 || avahi_entry_group_commit(group) < 0)
            qWarning("ferryd: mDNS announcement failed: %s", avahi_strerror(avahi_client_errno(client)));
    }

    void rename()
    {
        char *alternative = avahi_alternative_service_name(name.constData());
        qInfo("ferryd: the mDNS name \"%s\" is taken on the network; announcing as \"%s\"", name.constData(), alternative);
        name = alternative;
        avahi_free(alternative);
        avahi_entry_group_reset(group);
        publish();
    }

    static void groupChanged(AvahiEntryGroup *group, AvahiEntryGroupState state, void *userdata)
    {
        auto *self = static_cast<Avahi *>(userdata);
        self->group = group;
        if (state == AVAHI_ENTRY_GROUP_ESTABLISHED)
            qInfo("ferryd: announced over mDNS as \"%s\" (%s)", self->name.constData(), ServiceType);
        else if (state == AVAHI_ENTRY_GROUP_COLLISION)
            self->rename();
    }

    static void clientChanged(AvahiClient *client, AvahiClientState state, void *userdata)
    {
        auto *self = static_cast<Avahi *>(userdata);
        self->client = client;
        switch (state) {
        case AVAHI_CLIENT_S_RUNNING:
            self->publish();
            break;
        case AVAHI_CLIENT_S_COLLISION:
        case AVAHI_CLIENT_S_REGISTERING:
            if (self->group)
                avahi_entry_group_reset(self->group);
            break;
        case AVAHI_CLIENT_CONNECTING:
            if (!self->saidNoDaemon)
                qInfo("ferryd: no Avahi daemon is running; the server is announced over mDNS once one starts");
            self->saidNoDaemon = true;
            break;
        case AVAHI_CLIENT_FAILURE:
            if (avahi_client_errno(client) == AVAHI_ERR_DISCONNECTED) {
                // The daemon stopped or restarted (an upgrade of avahi-daemon does that): NO_FAIL only covers
                // the first connection, so this client is dead. A new one waits for the daemon and publishes
                // again once it runs; the old client's entry group went with it.
                qInfo("ferryd: the Avahi daemon went away; the server is announced over mDNS again once it is back");
                self->reconnect();
                break;
            }
            qWarning("ferryd: mDNS is off: %s", avahi_strerror(avahi_client_errno(client)));
            break;
        }
    }

    // On the poll thread, from clientChanged(): replaces the disconnected client.
    void reconnect()
    {
        avahi_client_free(client);   // frees the group too
        client = nullptr;
        group = nullptr;
        saidNoDaemon = true;   // the line above already said so
        int error = 0;
        AvahiClient *fresh = avahi_client_new(avahi_threaded_poll_get(poll), AVAHI_CLIENT_NO_FAIL,
                                              &Avahi::clientChanged, this, &error);
        if (!fresh)
            qWarning("ferryd: mDNS is off: %s", avahi_strerror(error));
        client = fresh;   // clientChanged() may have set it already, during avahi_client_new()
    }
};

namespace {

// The interface (and address family) the listener is reachable on; false when it is loopback only.
bool interfaceOf(const QHostAddress &listen, AvahiIfIndex *index, AvahiProtocol *protocol)
{
    if (listen == QHostAddress::Any || listen == QHostAddress::AnyIPv6) {
        *index = AVAHI_IF_UNSPEC;
        *protocol = AVAHI_PROTO_UNSPEC;
        return true;
    }
    if (listen == QHostAddress::AnyIPv4) {
        *index = AVAHI_IF_UNSPEC;
        *protocol = AVAHI_PROTO_INET;
        return true;
    }
    if (listen.isLoopback())
        return false;
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        for (const QNetworkAddressEntry &entry : iface.addressEntries()) {
            if (entry.ip().isEqual(listen, QHostAddress::TolerantConversion)) {
                *index = iface.index();
                *protocol = listen.protocol() == QAbstractSocket::IPv6Protocol ? AVAHI_PROTO_INET6 : AVAHI_PROTO_INET;
                return true;
            }
        }
    }
    return false;
}

// The service name and TXT records announcing `name`.
void describe(MdnsAnnouncer::Avahi &avahi, const QString &name, const QString &identity)
{
    avahi.name = name.left(63).toUtf8();   // a DNS label holds at most 63 bytes
    while (avahi.name.size() > 63)
        avahi.name.chop(1);
    avahi.txt = {QByteArrayLiteral("proto=") + QByteArray::number(Limits::ProtocolVersion),
                 QByteArrayLiteral("name=") + name.left(200).toUtf8()};
    if (!identity.isEmpty())
        avahi.txt.append(QByteArrayLiteral("identity=") + identity.toUtf8());
}

} // namespace

MdnsAnnouncer::MdnsAnnouncer(QObject *parent) : QObject(parent) {}

MdnsAnnouncer::~MdnsAnnouncer() = default;

bool MdnsAnnouncer::start(const QString &name, const QHostAddress &listenAddress, quint16 port, QString *error)
{
    m_avahi.reset();
    auto avahi = std::make_unique<Avahi>();
    if (!interfaceOf(listenAddress, &avahi->interface, &avahi->protocol)) {
        *error = tr("not announced over mDNS: %1 is not reachable from the network").arg(listenAddress.toString());
        return false;
    }
    describe(*avahi, name, m_identity);
    avahi->port = port;
    avahi->poll = avahi_threaded_poll_new();
    int avahiError = 0;
    if (avahi->poll)
        avahi->client = avahi_client_new(avahi_threaded_poll_get(avahi->poll), AVAHI_CLIENT_NO_FAIL,
                                         &Avahi::clientChanged, avahi.get(), &avahiError);
    if (!avahi->poll || !avahi->client || avahi_threaded_poll_start(avahi->poll) < 0) {
        *error = tr("mDNS is off: %1").arg(QString::fromUtf8(avahi_strerror(avahiError)));
        return false;
    }
    m_avahi = std::move(avahi);
    return true;
}

void MdnsAnnouncer::setName(const QString &name)
{
    if (!m_avahi)
        return;   // not announcing: nothing to withdraw
    avahi_threaded_poll_lock(m_avahi->poll);
    describe(*m_avahi, name, m_identity);
    if (m_avahi->group)
        avahi_entry_group_reset(m_avahi->group);   // withdraws the old name
    if (m_avahi->client && avahi_client_get_state(m_avahi->client) == AVAHI_CLIENT_S_RUNNING)
        m_avahi->publish();   // otherwise clientChanged() publishes once the daemon runs
    avahi_threaded_poll_unlock(m_avahi->poll);
}

#else // no libavahi-client at build time

struct MdnsAnnouncer::Avahi {};

MdnsAnnouncer::MdnsAnnouncer(QObject *parent) : QObject(parent) {}
MdnsAnnouncer::~MdnsAnnouncer() = default;

bool MdnsAnnouncer::start(const QString &, const QHostAddress &, quint16, QString *error)
{
    *error = tr("mDNS is off: ferryd was built without Avahi (libavahi-client)");
    return false;
}

void MdnsAnnouncer::setName(const QString &) {}

#endif

} // namespace ferry
