#!/usr/bin/env bash
# Installs the build into a staging folder (DESTDIR) and checks it as a user's machine would see it: the
# layout, the desktop file, the AppStream metainfo, the systemd unit (verify + security rating), the man pages,
# the bash completion, and a put/get round trip with the INSTALLED ferryd and ferry-cli, so that a file
# missing from the install or a path that only exists in the build tree fails.
#
#   tests/install/check-install.sh BUILD_DIR      (CTest runs it as the test "install", label install)
set -euo pipefail
build=$(cd "${1:?usage: check-install.sh BUILD_DIR}" && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
    local status=$?
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
prefix=$(cache CMAKE_INSTALL_PREFIX)
stage=$work/stage
root=$stage$prefix
step "cmake --install into $stage (prefix $prefix)"
DESTDIR=$stage cmake --install "$build" >"$work/install.log" || { cat "$work/install.log"; fail "cmake --install"; }
sysconf=$stage$( [ "$prefix" = /usr ] && echo /etc || echo "$prefix/etc")

step "layout"
gui=$( [ -x "$build/app/ferry" ] && echo yes || echo no)
expected=(sbin/ferryd bin/ferry-cli
          share/ferry/translations/ferry_zh_CN.qm share/ferry/translations/ferry_en.qm
          share/man/man8/ferryd.8.gz share/man/man1/ferry-cli.1.gz share/man/man1/ferry.1.gz
          share/bash-completion/completions/ferryd share/bash-completion/completions/ferry-cli
          lib/systemd/system/ferryd.service lib/sysusers.d/ferryd.conf lib/tmpfiles.d/ferryd.conf)
if [ "$gui" = yes ]; then
    expected+=(bin/ferry share/applications/ferry.desktop share/icons/hicolor/scalable/apps/ferry.svg)
    for size in 16 22 24 32 48 64 128 256; do expected+=("share/icons/hicolor/${size}x${size}/apps/ferry.png"); done
fi
for file in "${expected[@]}"; do [ -s "$root/$file" ] || fail "not installed: $prefix/$file"; done
[ -s "$sysconf/ferryd/ferryd.conf" ] || fail "not installed: ferryd/ferryd.conf under $sysconf"
for program in sbin/ferryd bin/ferry-cli; do [ -x "$root/$program" ] || fail "$program is not executable"; done
for program in sbin/ferryd bin/ferry-cli; do   # debug information names sources; the program itself must not
    strip --strip-debug -o "$work/stripped" "$root/$program"
    if grep -qa -- "$build" "$work/stripped"; then fail "$program names the build tree"; fi
done

if [ "$gui" = yes ]; then
    step "desktop file and metainfo"
    desktop-file-validate "$root/share/applications/ferry.desktop"
    metainfo=("$root"/share/metainfo/*.metainfo.xml)
    [ -s "${metainfo[0]}" ] || fail "no metainfo installed"
    appstreamcli validate --no-net "${metainfo[0]}"
    grep -q "<screenshot" "${metainfo[0]}" && grep -q "<release " "${metainfo[0]}" || fail "metainfo without screenshots or release"
fi

step "systemd unit"
unit=$root/lib/systemd/system/ferryd.service
grep -q "^ExecStart=$prefix/sbin/ferryd --config " "$unit" || fail "ExecStart does not run the installed ferryd"
# The unit names the installed paths: check a copy whose ExecStart points into the staging folder. Its
# Documentation= page is not in this system's man database, which `man -l` below covers instead.
sed "s#^ExecStart=$prefix/#ExecStart=$root/#" "$unit" >"$work/ferryd.service"
systemd-analyze verify --man=no "$work/ferryd.service" >"$work/verify.log" 2>&1 || true
if [ -s "$work/verify.log" ]; then cat "$work/verify.log"; fail "systemd-analyze verify is not clean"; fi
systemd-analyze security --offline=yes "$work/ferryd.service" >"$work/security.log" 2>&1 || true
rating=$(grep -o "Overall exposure level for ferryd.service: .*" "$work/security.log" || true)
echo "$rating"
case "$rating" in
    *" OK"*|*" SAFE"*) ;;
    *) cat "$work/security.log"; fail "systemd-analyze security rates the unit worse than OK" ;;
esac

step "man pages"
for page in "$root"/share/man/man8/ferryd.8.gz "$root"/share/man/man1/ferry-cli.1.gz "$root"/share/man/man1/ferry.1.gz; do
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "man -l $(basename "$page"): $warnings"
    LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" 2>/dev/null | grep "EXIT STATUS" >/dev/null || fail "$(basename "$page") has no EXIT STATUS"
done

step "bash completion"
# Under pipefail, never end a pipeline with grep -q or head: they exit at the first match, the writer may then
# die of SIGPIPE, and the pipeline fails although the match was there (this check failed that way, at random).
for file in ferryd ferry-cli; do bash -n "$root/share/bash-completion/completions/$file"; done
if [ -r /usr/share/bash-completion/bash_completion ]; then
    complete_words() {   # program, words... -> the completions of the last word
        bash -c 'source /usr/share/bash-completion/bash_completion; source "$1"; shift
                 COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
                 "$(complete -p "$1" | sed "s/.*-F \([^ ]*\) .*/\1/")" "$1" "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
                 printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
    }
    complete_words "$root/share/bash-completion/completions/ferryd" ferryd --con | grep -x -- --config >/dev/null \
        || fail "ferryd completion: --con does not complete to --config"
    complete_words "$root/share/bash-completion/completions/ferryd" ferryd user "" | grep -x add >/dev/null \
        || fail "ferryd completion: no user subcommands"
    # Every subcommand of `ferryd --help` is offered for the first word (identity once was not).
    offered=$(complete_words "$root/share/bash-completion/completions/ferryd" ferryd "")
    subcommands=$(LC_ALL=C "$root/sbin/ferryd" --help | awk '/^Admin subcommands/ {on = 1} /^Options:/ {on = 0}
                                                              on && /^  [a-z]/ {print $1}' | sort -u)
    [ -n "$subcommands" ] || fail "no subcommands found in ferryd --help"
    for sub in $subcommands; do
        grep -x -- "$sub" >/dev/null <<<"$offered" || fail "ferryd completion: '$sub' (in ferryd --help) not offered"
    done
    complete_words "$root/share/bash-completion/completions/ferry-cli" ferry-cli ferry://a@h p | grep -x put >/dev/null \
        || fail "ferry-cli completion: p does not complete to put"
    complete_words "$root/share/bash-completion/completions/ferry-cli" ferry-cli --trust ABCD-EFGH ferry://a@h g \
        | grep -x get >/dev/null || fail "ferry-cli completion: --trust CODE taken for the command"
    complete_words "$root/share/bash-completion/completions/ferry-cli" ferry-cli --rec | grep -x -- --reconnect= >/dev/null \
        || fail "ferry-cli completion: --rec does not complete to --reconnect="
    complete_words "$root/share/bash-completion/completions/ferry-cli" ferry-cli ferry://a@h put -r --a \
        | grep -x -- --as >/dev/null || fail "ferry-cli completion: put --a does not complete to --as"
fi

step "installed ferryd and ferry-cli: put/get round trip"
ferryd=$root/sbin/ferryd
data=$work/data
export FERRY_PASSWORD=install-check-password XDG_CONFIG_HOME=$work/config
"$ferryd" --data "$data" user add alice --quota 10M >/dev/null
# The identity an admin reads off the server, which the client is told to trust (no terminal to ask).
identity=$("$ferryd" --data "$data" identity | sed -n 1p)
[[ $identity =~ ^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] || fail "ferryd identity printed '$identity'"
cli=("$root/bin/ferry-cli" --progress=none --trust "$identity")
printf 'data = %s\nlisten = 127.0.0.1\nport = 0\ndiscovery = no\n' "$data" >"$work/ferryd.conf"
"$ferryd" --config "$work/ferryd.conf" >"$work/ferryd.out" 2>"$work/ferryd.err" &
server_pid=$!
for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/ferryd.out")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/ferryd.err"; fail "installed ferryd did not start"; }
    sleep 0.1
done
[ -n "$port" ] || fail "installed ferryd did not print its port"
grep -q "identity $identity" "$work/ferryd.out" || fail "the running ferryd does not announce the identity $identity"
head -c 300000 /dev/urandom >"$work/sample.bin"
mkdir "$work/back"
"${cli[@]}" "ferry://alice@127.0.0.1:$port" put "$work/sample.bin" /
"${cli[@]}" "ferry://alice@127.0.0.1:$port" get /sample.bin "$work/back"
cmp "$work/sample.bin" "$work/back/sample.bin" || fail "the file came back different"

step "installed translations"
# A usage error (exit status 2) in Chinese: the catalogue came from PREFIX/share/ferry/translations.
chinese=$(LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 "$root/bin/ferry-cli" 2>&1 || true)
grep -q "缺少服务器地址" <<<"$chinese" || fail "ferry-cli does not speak Chinese from $prefix/share/ferry/translations: $chinese"
echo "install check passed"
