# Two Debian packages from one build: ferryd (component "server") and ferry (component "client").
# Dependencies come from the binaries (dpkg-shlibdeps); maintainer scripts are in packaging/debian/.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ferry)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Ferry maintainers")
set(CPACK_PACKAGE_CONTACT "The Ferry maintainers <maintainers@ferry.example.org>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server client)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${FERRY_HOMEPAGE_URL})
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME ferryd)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
set(CPACK_COMPONENT_SERVER_DESCRIPTION "Ferry file server
 ferryd serves each user's home folder with a disk quota to the Ferry desktop
 client and ferry-cli over the local network. Every transfer is checked with
 SHA-256 and interrupted transfers resume. It runs as a hardened systemd
 service and announces itself over mDNS (Avahi) and LAN broadcast.")
# avahi-daemon announces the server over mDNS (the description promises that); apt installs it by default
# but an admin can leave it out (--no-install-recommends): clients then find the server by broadcast.
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "avahi-daemon")
# The maintainer scripts create the user and the data folder with systemd-sysusers and systemd-tmpfiles, and the
# package ships only a systemd unit: without systemd (a container image, say) installing it would fail half-way.
# dpkg-shlibdeps' dependencies are added to this one.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "ferry")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/ferryd/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/ferryd/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/ferryd/postrm
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/ferryd/conffiles)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME ferry)
set(CPACK_DEBIAN_CLIENT_PACKAGE_SECTION net)
set(CPACK_COMPONENT_CLIENT_DESCRIPTION "Ferry desktop client and ferry-cli
 Moves files between this computer and a Ferry file server (ferryd) on the
 local network: a two-pane window with drag and drop and a transfer queue
 that survives restarts, and ferry-cli for the terminal and scripts. Servers
 on the network are found by mDNS and broadcast.")
# The client loads libavahi-client only to browse (common/engine/AvahiLibrary.h), so dpkg-shlibdeps does not see
# it: without it only the broadcast finds servers, as without avahi-daemon.
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "avahi-daemon, libavahi-client3")

include(CPack)
