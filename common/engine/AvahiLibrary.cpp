#include "AvahiLibrary.h"

#ifdef FERRY_HAVE_AVAHI

#include <QCoreApplication>
#include <QLibrary>

namespace ferry {

namespace {

// Both sonames are the ones Ferry was built against (libavahi-client3, libavahi-common3).
constexpr int AvahiSoVersion = 3;

struct Loaded {
    AvahiLibrary functions;
    QString error;   // empty when every function was found
};

template <typename Function>
void resolve(QLibrary &library, const char *name, Function *function, QString *error)
{
    *function = reinterpret_cast<Function>(library.resolve(name));
    if (!*function && error->isEmpty())
        *error = QCoreApplication::translate("ferry::MdnsBrowser", "mDNS is not available: %1")
                         .arg(library.errorString());
}

Loaded load()
{
    Loaded loaded;
    QLibrary common(QStringLiteral("avahi-common"), AvahiSoVersion);
    QLibrary client(QStringLiteral("avahi-client"), AvahiSoVersion);
    AvahiLibrary &f = loaded.functions;
    QString *error = &loaded.error;
    resolve(common, "avahi_free", &f.free, error);
    resolve(common, "avahi_strerror", &f.strerror, error);
    resolve(common, "avahi_string_list_find", &f.string_list_find, error);
    resolve(common, "avahi_string_list_get_pair", &f.string_list_get_pair, error);
    resolve(common, "avahi_threaded_poll_new", &f.threaded_poll_new, error);
    resolve(common, "avahi_threaded_poll_get", &f.threaded_poll_get, error);
    resolve(common, "avahi_threaded_poll_start", &f.threaded_poll_start, error);
    resolve(common, "avahi_threaded_poll_stop", &f.threaded_poll_stop, error);
    resolve(common, "avahi_threaded_poll_free", &f.threaded_poll_free, error);
    resolve(client, "avahi_client_new", &f.client_new, error);
    resolve(client, "avahi_client_free", &f.client_free, error);
    resolve(client, "avahi_client_errno", &f.client_errno, error);
    resolve(client, "avahi_service_browser_new", &f.service_browser_new, error);
    resolve(client, "avahi_service_resolver_new", &f.service_resolver_new, error);
    resolve(client, "avahi_service_resolver_free", &f.service_resolver_free, error);
    // A QLibrary going out of scope leaves its library loaded (only unload() would unload it).
    return loaded;
}

} // namespace

const AvahiLibrary *AvahiLibrary::get(QString *error)
{
    static const Loaded loaded = load();
    if (!loaded.error.isEmpty()) {
        *error = loaded.error;
        return nullptr;
    }
    return &loaded.functions;
}

} // namespace ferry

#endif
