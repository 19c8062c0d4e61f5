#!/usr/bin/env bash
# Installs the two packages on a freshly booted Debian 12 (systemd as PID 1, in systemd-nspawn) and checks
# issue 13's "Done when": the service user, the running hardened service and its log, admin commands on the
# service's data, a put/get round trip, discovery (mDNS through avahi-daemon, and broadcast), reload, man
# pages, bash completion, the menu entry, and purge / remove / reinstall. Prints PASS or FAIL per check;
# exits 1 when any check failed. Run by hand as root, not by CI (see packaging/README.md).
#
#   packaging/test-packages-in-container.sh [--debs DIR] [--keep] [--gui-shot FILE.png]
#
#   --debs DIR       take ferryd_*.deb and ferry_*.deb from DIR instead of running packaging/build-debs.sh
#   --keep           leave the container running afterwards (the script prints how to enter and stop it)
#   --gui-shot FILE  also start the desktop client under Xvfb, open its Connect dialog and save a screenshot
#                    of it to FILE (the server must be listed under "Nearby servers"; a person looks)
#
# Environment: FERRY_TEST_ROOT (default /var/tmp/ferry-deb12) is the pristine debootstrap root, made on the
# first run and reused; every run boots a fresh copy of it, $FERRY_TEST_ROOT.run. DEBIAN_MIRROR (default
# http://deb.debian.org/debian) is where debootstrap and apt get packages; the dependencies are downloaded
# before the boot, as the booted container has only a private veth link (no route out), so nothing it
# announces reaches the real LAN.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
base=${FERRY_TEST_ROOT:-/var/tmp/ferry-deb12}
run=$base.run
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
machine=ferry-deb12
address=10.213.7.2
debs=""
keep=no
gui_shot=""
while [ $# -gt 0 ]; do
    case $1 in
        --debs) debs=$(realpath "${2:?--debs needs a folder}"); shift 2 ;;
        --keep) keep=yes; shift ;;
        --gui-shot) gui_shot=$(realpath -m "${2:?--gui-shot needs a file name}"); shift 2 ;;
        *) echo "usage: $0 [--debs DIR] [--keep] [--gui-shot FILE.png]" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap and systemd-nspawn need it)" >&2; exit 2; }
logs=$(mktemp -d /tmp/ferry-container-test.XXXXXX)
failed=0
nspawn_pid=""
leader=""

say() { echo "== $*"; }
die() { echo "ERROR: $*" >&2; exit 2; }

# --- tools ---------------------------------------------------------------------------------------------------
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        || die "cannot install ${missing[*]}"
fi

# --- packages ------------------------------------------------------------------------------------------------
if [ -z "$debs" ]; then
    say "building the packages (packaging/build-debs.sh)"
    debs=$repo/build/packages
    rm -f "$debs"/ferryd_*.deb "$debs"/ferry_*.deb
    if nice -n 10 packaging/build-debs.sh >"$logs/build-debs.log" 2>&1; then
        echo "PASS  build-debs (build, lintian)"
    else
        echo "FAIL  build-debs (build or lintian)  (log: $logs/build-debs.log)"
        failed=1
    fi
fi
server_deb=$(ls "$debs"/ferryd_*.deb 2>/dev/null | tail -1)
client_deb=$(ls "$debs"/ferry_*.deb 2>/dev/null | tail -1)
[ -f "$server_deb" ] && [ -f "$client_deb" ] || die "no ferryd_*.deb and ferry_*.deb in $debs"
echo "   $(basename "$server_deb") $(basename "$client_deb")"

# --- the Debian 12 root --------------------------------------------------------------------------------------
if [ ! -f "$base/.ferry-base-done" ]; then
    say "debootstrap bookworm into $base (once; a few minutes)"
    # Only ever delete an unfinished debootstrap root, never a folder FERRY_TEST_ROOT names by mistake.
    if [ -e "$base" ] && [ -n "$(ls -A "$base" 2>/dev/null)" ] && [ ! -d "$base/debootstrap" ] && [ ! -f "$base/etc/debian_version" ]; then
        die "$base exists and is not a debootstrap root; set FERRY_TEST_ROOT to a new folder"
    fi
    rm -rf "$base"
    debootstrap --variant=minbase \
        --include=systemd,systemd-sysv,dbus,avahi-daemon,man-db,bash-completion,libnss-mdns,iproute2,ca-certificates,less \
        bookworm "$base" "$mirror" >"$logs/debootstrap.log" 2>&1 || { tail "$logs/debootstrap.log"; die "debootstrap failed"; }
    echo "$machine" >"$base/etc/hostname"
    touch "$base/.ferry-base-done"
fi

say "fresh copy of the root: $run"
stop_container() {
    [ -n "$nspawn_pid" ] || return 0
    if kill -0 "$nspawn_pid" 2>/dev/null; then
        kill -TERM "$nspawn_pid" 2>/dev/null   # nspawn asks the container's systemd to power off
        for _ in $(seq 120); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$nspawn_pid" 2>/dev/null && { echo "container did not power off in 60 s; killing it"; kill -KILL "$nspawn_pid"; }
    fi
    wait "$nspawn_pid" 2>/dev/null
    nspawn_pid=""
}
cleanup() {
    local status=$?
    if [ "$keep" = yes ] && [ -n "$nspawn_pid" ]; then
        echo "container left running (nspawn pid $nspawn_pid); enter it with: nsenter -t $leader -m -u -i -n -p -r -w bash"
        echo "stop it with: kill $nspawn_pid"
    else
        stop_container
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ ! -e "$run" ] || [ -f "$run/etc/debian_version" ] || die "$run exists and is not a copy of the root; move it away"
rm -rf "$run"
cp -a "$base" "$run"
# As the installer writes it: the host name resolves (sudo and others complain otherwise).
[ -s "$run/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$run/etc/hosts"
grep -qw "$machine" "$run/etc/hosts" || printf '127.0.1.1\t%s\n' "$machine" >>"$run/etc/hosts"
mkdir -p "$run/root/debs"
cp "$server_deb" "$client_deb" "$run/root/debs/"
server_deb=/root/debs/$(basename "$server_deb")
client_deb=/root/debs/$(basename "$client_deb")

# The booted container has no route out: fetch the dependencies now (with this machine's network), so that
# the apt install below resolves them from the mirror's index exactly as on a connected machine.
say "fetching the packages' dependencies from $mirror"
# For --gui-shot: an X server, a key press and a screenshot, installed now (nothing else needs them).
gui_tools=""
[ -n "$gui_shot" ] && gui_tools="xvfb xauth xdotool x11-apps netpbm"
systemd-nspawn -q -D "$run" --register=no --keep-unit -E DEBIAN_FRONTEND=noninteractive sh -c \
    "apt-get update -qq && apt-get install -y -qq --download-only $server_deb $client_deb $gui_tools" >"$logs/prefetch.log" 2>&1 \
    || { tail "$logs/prefetch.log"; die "could not fetch the dependencies"; }
if [ -n "$gui_tools" ]; then
    systemd-nspawn -q -D "$run" --register=no --keep-unit -E DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends $gui_tools >>"$logs/prefetch.log" 2>&1 || die "could not install $gui_tools"
fi

# --- boot ------------------------------------------------------------------------------------------------------
# The network as on a small server: systemd-networkd gives the container's end of the veth a fixed address
# (the host's end is only brought up: no address, no route), and network-online.target waits for it.
mkdir -p "$run/etc/systemd/network"
printf '[Match]\nName=host0\n\n[Network]\nAddress=%s/24\nLinkLocalAddressing=no\n' "$address" \
    >"$run/etc/systemd/network/50-host0.network"
systemctl --root="$run" enable systemd-networkd.service systemd-networkd-wait-online.service >/dev/null 2>&1

# Runs a command inside the booted container as root, with a clean environment.
inside() {
    nsenter -t "$leader" -m -u -i -n -p -r -w \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb \
        DEBIAN_FRONTEND=noninteractive "$@"
}
# --register=no --keep-unit: no machined and no scope unit, so this works where the host's PID 1 is not systemd
# (e.g. inside a VM or container without it); the container still boots its own systemd as PID 1.
boot() {
    leader=""
    systemd-nspawn -q -b -D "$run" -M "$machine" --register=no --keep-unit --network-veth --console=pipe \
        </dev/null >>"$logs/console.log" 2>&1 &
    nspawn_pid=$!
    # The container's init: nspawn's child that runs systemd.
    for _ in $(seq 100); do
        for pid in $(pgrep -P "$nspawn_pid"); do
            [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = systemd ] && leader=$pid
        done
        [ -n "$leader" ] && break
        kill -0 "$nspawn_pid" 2>/dev/null || break
        sleep 0.2
    done
    [ -n "$leader" ] || { cat "$logs/console.log"; die "systemd-nspawn did not start systemd"; }
    local state="" link=up
    for _ in $(seq 240); do
        [ "$link" = up ] && ip link set "ve-$machine" up 2>/dev/null && link=done
        state=$(inside systemctl is-system-running 2>/dev/null)
        case $state in running | degraded) break ;; esac
        kill -0 "$nspawn_pid" 2>/dev/null || break
        sleep 0.5
    done
    case $state in
        running) ;;
        degraded) echo "   booted degraded; failed units:"; inside systemctl --failed --no-legend ;;
        *) cat "$logs/console.log"; die "the container did not boot (state '$state')" ;;
    esac
    echo "   booted: $(inside systemctl --version | head -1), PID 1 $(inside cat /proc/1/comm), host0 $(inside ip -4 -br addr show host0 | awk '{print $3}')"
}
say "booting $run (systemd-nspawn -b, private veth link)"
boot

# --- checks ----------------------------------------------------------------------------------------------------
# check NAME FUNCTION: runs FUNCTION in a subshell (fail ends it) with its output in $logs/NAME.log; the lines
# it prints starting with "> " are shown beside the result.
check() {
    local name=$1; shift
    if ("$@") >"$logs/$name.log" 2>&1; then
        printf 'PASS  %s\n' "$name"
    else
        printf 'FAIL  %s  (log: %s)\n' "$name" "$logs/$name.log"
        failed=1
    fi
    sed -n 's/^> /      /p' "$logs/$name.log"
}
fail() { echo "FAIL: $*"; exit 1; }

export FERRY_PASSWORD=container-check-password
as_ferry() { inside runuser -u ferry -- env FERRY_PASSWORD="$FERRY_PASSWORD" "$@"; }
cli() { inside env FERRY_PASSWORD="$FERRY_PASSWORD" ferry-cli --progress=none --trust "$identity" "$@"; }
identity=""

check_install() {
    inside apt-get install -y "$server_deb" "$client_deb" || fail "apt-get install"
    inside dpkg -s ferryd ferry | grep -E '^(Package|Status|Version|Depends|Recommends|Suggests)'
    # mDNS needs avahi-daemon; both packages recommend it, so a default apt install brings it.
    for package in ferryd ferry; do
        inside dpkg-query -W -f='${Recommends}\n' "$package" | grep -qw avahi-daemon || fail "$package does not recommend avahi-daemon"
    done
    # The client loads libavahi-client only to browse, so only its Recommends brings it (not dpkg-shlibdeps).
    inside dpkg-query -W -f='${Recommends}\n' ferry | grep -qw libavahi-client3 || fail "ferry does not recommend libavahi-client3"
    echo "> $(inside dpkg-query -W -f='${Package} ${Version} ${Status}\n' ferryd ferry | paste -sd';')"
}
check_service_user() {
    local entry; entry=$(inside getent passwd ferry) || fail "no user ferry"
    echo "> $entry"
    local uid; uid=$(cut -d: -f3 <<<"$entry")
    [ "$uid" -lt 1000 ] || fail "ferry is not a system user (uid $uid)"
    [ "$(cut -d: -f6 <<<"$entry")" = /var/lib/ferryd ] || fail "home is not /var/lib/ferryd"
    [[ $(cut -d: -f7 <<<"$entry") == */nologin ]] || fail "ferry can log in"
    local owner; owner=$(inside stat -c '%U:%G %a' /var/lib/ferryd)
    echo "> /var/lib/ferryd: $owner"
    [ "$owner" = "ferry:ferry 750" ] || fail "/var/lib/ferryd is $owner"
}
check_service_running() {
    inside systemctl status --no-pager ferryd
    [ "$(inside systemctl is-active ferryd)" = active ] || fail "ferryd is not active"
    [ "$(inside systemctl is-enabled ferryd)" = enabled ] || fail "ferryd is not enabled"
    [ "$(inside systemctl show -P SubState ferryd)" = running ] || fail "ferryd is not running"
    # The sandbox is really applied to the process, not only rated: no capabilities, no new privileges, seccomp.
    local pid status; pid=$(inside systemctl show -P MainPID ferryd)
    status=$(inside cat "/proc/$pid/status")
    echo "$status" | grep -E '^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):'
    [ "$(inside stat -c %U "/proc/$pid")" = ferry ] || fail "the process does not run as ferry"
    grep -Eq '^CapEff:\s+0+$' <<<"$status" || fail "the process has capabilities"
    grep -Eq '^CapBnd:\s+0+$' <<<"$status" || fail "the process's bounding set is not empty"
    grep -Eq '^NoNewPrivs:\s+1$' <<<"$status" || fail "NoNewPrivileges is not applied"
    grep -Eq '^Seccomp:\s+2$' <<<"$status" || fail "no system-call filter"
    inside test -z "$(inside ls -A "/proc/$pid/root/home")" || fail "the service sees /home"
    echo "> pid $pid runs as ferry: no capabilities, NoNewPrivs, seccomp filter, empty /home"
}
check_journal_identity() {
    local line
    for _ in $(seq 50); do
        line=$(inside journalctl -u ferryd -o cat --no-pager | grep 'listening on' | tail -1)
        [ -n "$line" ] && break; sleep 0.2
    done
    echo "> $line"
    identity=$(sed -n 's/.*identity \([0-9A-Z]\{4\}-[0-9A-Z]\{4\}-[0-9A-Z]\{4\}-[0-9A-Z]\{4\}\).*/\1/p' <<<"$line")
    [ -n "$identity" ] || fail "no identity code in the startup line"
    local printed; printed=$(as_ferry ferryd identity | sed -n 1p)
    [ "$printed" = "$identity" ] || fail "ferryd identity prints '$printed', the log says $identity"
    echo "identity=$identity"
}
check_security() {
    inside systemd-analyze security --no-pager ferryd.service
    local rating; rating=$(inside systemd-analyze security --no-pager ferryd.service | grep -o 'Overall exposure level for ferryd.service: .*')
    echo "> $rating"
    case $rating in *" OK"* | *" SAFE"*) ;; *) fail "rated worse than OK" ;; esac
}
check_admin_user_add() {
    # As the README says: as the service user. Then as root, which must refuse rather than leave root's files.
    as_ferry ferryd user add alice --quota 10M || fail "ferryd user add as ferry"
    as_ferry ferryd user list | tee /dev/stderr | grep -q alice || fail "alice not listed"
    if inside env FERRY_PASSWORD=x ferryd user add mallory 2>&1; then fail "ferryd user add as root was not refused"; fi
    local foreign; foreign=$(inside find /var/lib/ferryd ! -user ferry)
    [ -z "$foreign" ] || fail "not owned by ferry: $foreign"
    echo "> as ferry: added alice; as root: refused; every file under /var/lib/ferryd belongs to ferry"
}
check_round_trip() {
    [ -n "$identity" ] || fail "no identity (see journal-identity)"
    inside sh -c 'head -c 300000 /dev/urandom >/root/sample.bin && rm -rf /root/back && mkdir /root/back'
    cli "ferry://alice@$address" put /root/sample.bin / || fail "put"
    cli "ferry://alice@$address" get /sample.bin /root/back || fail "get"
    inside cmp /root/sample.bin /root/back/sample.bin || fail "the file came back different"
    cli "ferry://alice@$address" ls -l / || fail "ls"
    inside find /var/lib/ferryd -name sample.bin -printf '%u %p\n' | grep -q '^ferry ' || fail "stored file not owned by ferry"
    echo "> put + get of 300000 bytes to ferry://alice@$address:7420 with --trust $identity: identical"
}
discovered=""
discover() { [ -n "$discovered" ] || discovered=$(inside ferry-cli discover 2>&1); echo "$discovered"; }
check_discover_mdns() {
    inside systemctl is-active avahi-daemon || fail "avahi-daemon is not running"
    discover
    discover | grep "ferry://$address:7420" | grep -q mDNS || fail "not found over mDNS"
    echo "> $(discover | grep "ferry://$address:7420")"
}
check_discover_broadcast() {
    discover | grep "ferry://$address:7420" | grep -q broadcast || fail "not found by broadcast"
}
check_reload() {
    local pid; pid=$(inside systemctl show -P MainPID ferryd)
    inside sed -i 's/^#name = .*/name = Container Check/' /etc/ferryd/ferryd.conf
    inside systemctl reload ferryd || fail "systemctl reload failed"
    sleep 1
    inside journalctl -u ferryd -o cat --no-pager | tail -5
    inside journalctl -u ferryd -o cat --no-pager | grep -q 'reloaded' || fail "no reloaded line in the log"
    [ "$(inside systemctl is-active ferryd)" = active ] || fail "not active after the reload"
    [ "$(inside systemctl show -P MainPID ferryd)" = "$pid" ] || fail "the reload restarted the process"
    discovered=""
    discover | grep -q "Container Check" || fail "the new name is not announced"
    echo "> reloaded in place (pid $pid); the new name is announced"
}
check_mdns_after_avahi_restart() {
    # What an upgrade of avahi-daemon does under a running ferryd; ferryd used to stay unannounced after it.
    inside systemctl restart avahi-daemon || fail "could not restart avahi-daemon"
    for _ in $(seq 50); do
        inside journalctl -u ferryd -o cat --no-pager | tail -1 | grep -q "announced over mDNS" && break
        sleep 0.2
    done
    inside journalctl -u ferryd -o cat --no-pager | tail -3
    discovered=""
    discover
    discover | grep "ferry://$address:7420" | grep -q mDNS || fail "not found over mDNS after avahi-daemon restarted"
    echo "> after systemctl restart avahi-daemon: $(discover | grep "ferry://$address:7420" | cut -f3)"
}
check_man() {
    local page
    for page in ferryd ferry-cli ferry; do
        inside env MANWIDTH=80 man -P cat "$page" >"$logs/man-$page.txt" 2>"$logs/man-$page.err" || fail "man $page"
        [ -s "$logs/man-$page.err" ] && { cat "$logs/man-$page.err"; fail "man $page wrote errors"; }
        grep -q "EXIT STATUS" "$logs/man-$page.txt" || fail "man $page has no EXIT STATUS"
        echo "> man $page: $(head -1 "$logs/man-$page.txt" | tr -s ' ')"
    done
    inside apropos ferry | grep -q ferryd || fail "apropos ferry does not find ferryd (mandb not updated)"
}
# What bash completion offers for the words (the last one is being completed), as an interactive shell would
# get it: through bash-completion's loader, from /usr/share/bash-completion/completions.
complete_words() {
    inside bash -c 'source /usr/share/bash-completion/bash_completion
                    _completion_loader "$1"
                    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
                    "$(complete -p "$1" | sed "s/.*-F \([^ ]*\) .*/\1/")" "$1" "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
                    printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}
check_completion() {
    local words
    words=$(complete_words ferry-cli "" | sort | paste -sd' ')
    echo "> ferry-cli <TAB>: $words"
    for w in discover identity forget ferry://; do grep -qw -- "$w" <<<"$words" || fail "ferry-cli: $w not offered"; done
    words=$(complete_words ferry-cli "ferry://alice@$address" "" | sort | paste -sd' ')
    echo "> ferry-cli URL <TAB>: $words"
    for w in ls put get; do grep -qw -- "$w" <<<"$words" || fail "ferry-cli URL: $w not offered"; done
    words=$(complete_words ferryd "" | sort | paste -sd' ')
    echo "> ferryd <TAB>: $words"
    for w in user identity; do grep -qw -- "$w" <<<"$words" || fail "ferryd: $w not offered"; done
    words=$(complete_words ferryd user "" | sort | paste -sd' ')
    echo "> ferryd user <TAB>: $words"
    grep -qw add <<<"$words" || fail "ferryd user: add not offered"
}
check_desktop_entry() {
    inside test -s /usr/share/applications/ferry.desktop || fail "no /usr/share/applications/ferry.desktop"
    inside grep -E '^(Exec|Icon|Categories)=' /usr/share/applications/ferry.desktop
    local icon; icon=$(inside sed -n 's/^Icon=//p' /usr/share/applications/ferry.desktop)
    inside sh -c "ls /usr/share/icons/hicolor/*/apps/$icon.*" || fail "no icon $icon in hicolor"
    inside test -s /usr/share/icons/hicolor/index.theme || fail "hicolor-icon-theme is not installed (menus would not find the icon)"
    inside ls /usr/share/metainfo/
    # The desktop client's libraries and platform plugin are all there: it starts (offscreen) and answers --version.
    local version; version=$(inside env QT_QPA_PLATFORM=offscreen ferry --version) || fail "ferry does not start"
    echo "> /usr/share/applications/ferry.desktop, Icon=$icon in hicolor; ferry starts: $version"
}
check_purge() {
    inside ls -la /var/lib/ferryd
    inside apt-get purge -y ferryd || fail "apt purge ferryd"
    inside test ! -e /etc/ferryd || fail "/etc/ferryd is still there"
    inside test -s /var/lib/ferryd/users.json || fail "users.json was deleted"
    inside sh -c 'find /var/lib/ferryd -name sample.bin | grep -q .' || fail "alice's file was deleted"
    inside systemctl is-active ferryd && fail "ferryd still runs"
    inside test ! -e /lib/systemd/system/ferryd.service || fail "the unit is still there"
    echo "> /etc/ferryd gone; /var/lib/ferryd with users.json and alice's file kept"
}
check_reinstall() {
    inside apt-get install -y "$server_deb" || fail "apt install after purge"
    [ "$(inside systemctl is-active ferryd)" = active ] || fail "not active after reinstall"
    inside test -s /etc/ferryd/ferryd.conf || fail "no configuration after reinstall"
    local foreign; foreign=$(inside find /var/lib/ferryd ! -user ferry)
    [ -z "$foreign" ] || fail "not owned by ferry: $foreign"
    local again; again=$(as_ferry ferryd identity | sed -n 1p)
    [ "$again" = "$identity" ] || fail "identity changed from $identity to $again"
    cli "ferry://alice@$address" ls / | grep -q sample.bin || fail "alice cannot log in or lost her file"
    echo "> active again, same identity $identity, alice logs in and finds her file"
}
check_remove_keeps_config() {
    inside sed -i 's/^#name = .*/name = Kept Name/' /etc/ferryd/ferryd.conf
    inside apt-get remove -y ferryd || fail "apt remove ferryd"
    inside grep -q '^name = Kept Name' /etc/ferryd/ferryd.conf || fail "remove lost the configuration"
    inside systemctl is-active ferryd && fail "ferryd still runs after remove"
    inside apt-get install -y "$server_deb" || fail "apt install after remove"
    inside grep -q '^name = Kept Name' /etc/ferryd/ferryd.conf || fail "the install replaced the configuration"
    [ "$(inside systemctl is-active ferryd)" = active ] || fail "not active after the install"
    [ "$(inside systemctl is-enabled ferryd)" = enabled ] || fail "not enabled after the install"
    sleep 1
    discovered=""
    discover | grep -q "Kept Name" || fail "the kept name is not announced"
    echo "> configuration kept through remove + install; active, enabled, announced as 'Kept Name'"
}

check_starts_at_boot() {   # after the reboot below
    [ "$(inside systemctl is-active ferryd)" = active ] || fail "ferryd did not start at boot"
    inside journalctl -b -u ferryd -o cat --no-pager
    inside journalctl -b -u ferryd -o cat --no-pager | grep -q "listening on .*identity $identity" \
        || fail "no startup line with identity $identity in this boot's log"
    discovered=""
    discover | grep "ferry://$address:7420" | grep -q "Kept Name" || fail "not found after the reboot"
    echo "> after a reboot: started by systemd (enabled), same identity, found on the network"
}
# Optional (--gui-shot FILE): the desktop client's "Nearby servers" as a user sees it, for a person to look at.
check_gui_nearby() {
    inside sh -c 'id desk >/dev/null 2>&1 || useradd -m desk'
    inside runuser -u desk -- env HOME=/home/desk xvfb-run -a -s '-screen 0 1280x800x24' sh -c '
        ferry >/tmp/ferry-gui.log 2>&1 & gui=$!
        for _ in $(seq 50); do xdotool search --onlyvisible --name "^Ferry$" >/dev/null && break; sleep 0.2; done
        xdotool search --onlyvisible --name "^Ferry$" windowfocus --sync key ctrl+k   # no window manager: focus
        sleep 8   # the search takes 2.5 s; the rest is margin for a slow machine
        dialog=$(xdotool search --onlyvisible --name "Connect to" | head -1)
        [ -n "$dialog" ] && xwd -id "$dialog" -silent | xwdtopnm 2>/dev/null | pnmtopng >/tmp/nearby.png
        kill $gui' || fail "could not take the screenshot"
    inside cat /tmp/nearby.png >"$gui_shot"
    [ -s "$gui_shot" ] || fail "no screenshot"
    echo "> screenshot of the Connect dialog (look for the server under Nearby servers): $gui_shot"
}

say "checks (logs in $logs)"
check install check_install
check service-user check_service_user
check service-running check_service_running
check journal-identity check_journal_identity
identity=$(sed -n 's/^identity=//p' "$logs/journal-identity.log")
check security check_security
check admin-user-add check_admin_user_add
check round-trip check_round_trip
check discover-mdns check_discover_mdns
check discover-broadcast check_discover_broadcast
check reload check_reload
check mdns-after-avahi-restart check_mdns_after_avahi_restart
check man-pages check_man
check completion check_completion
check desktop-entry check_desktop_entry
check purge check_purge
check reinstall check_reinstall
check remove-keeps-config check_remove_keeps_config
say "rebooting the container (power off, boot again)"
stop_container
boot
check starts-at-boot check_starts_at_boot
[ -n "$gui_shot" ] && check gui-nearby-screenshot check_gui_nearby
inside journalctl -u ferryd -o short-precise --no-pager >"$logs/ferryd-journal.log" 2>&1

if [ "$keep" != yes ]; then
    say "powering the container off"
    stop_container
fi
if [ $failed -eq 0 ]; then echo "ALL PASSED"; else echo "SOME CHECKS FAILED (logs in $logs)"; fi
exit $failed
