#pragma once
// The libavahi-client functions MdnsBrowser calls, loaded when it first starts browsing rather than linked:
// every ferry-cli command and every start of the desktop client would otherwise load libavahi-client and
// the D-Bus, systemd and gcrypt libraries behind it (9 of ferry-cli's 41 libraries, ~3 ms of each start on
// the 2-core VM), while only discovery uses them. Without the library installed, mDNS is simply unavailable
// and the broadcast discovery still works.

#ifdef FERRY_HAVE_AVAHI

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>

#include <QString>

namespace ferry {

struct AvahiLibrary {
    // The loaded functions, or nullptr with a translated *error when the library or a function is missing.
    // Thread-safe; the library stays loaded until the process ends.
    static const AvahiLibrary *get(QString *error);

    // libavahi-common
    decltype(&avahi_free) free = nullptr;
    decltype(&avahi_strerror) strerror = nullptr;
    decltype(&avahi_string_list_find) string_list_find = nullptr;
    decltype(&avahi_string_list_get_pair) string_list_get_pair = nullptr;
    decltype(&avahi_threaded_poll_new) threaded_poll_new = nullptr;
    decltype(&avahi_threaded_poll_get) threaded_poll_get = nullptr;
    decltype(&avahi_threaded_poll_start) threaded_poll_start = nullptr;
    decltype(&avahi_threaded_poll_stop) threaded_poll_stop = nullptr;
    decltype(&avahi_threaded_poll_free) threaded_poll_free = nullptr;
    // libavahi-client
    decltype(&avahi_client_new) client_new = nullptr;
    decltype(&avahi_client_free) client_free = nullptr;
    decltype(&avahi_client_errno) client_errno = nullptr;
    decltype(&avahi_service_browser_new) service_browser_new = nullptr;
    decltype(&avahi_service_resolver_new) service_resolver_new = nullptr;
    decltype(&avahi_service_resolver_free) service_resolver_free = nullptr;
};

} // namespace ferry

#endif
