#!/usr/bin/env bash
# tests/bench/run.sh - Ferry's benchmark: ferry-cli against a real ferryd on loopback, beside the physical
# limit (the same bytes through a plain socat TCP pipe into a file on the same disk) measured in the same run.
# Not run by ctest. Needs bash, socat (installed with apt-get when missing and run as root), python3, coreutils.
#
#   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DFERRY_BUILD_GUI=OFF && cmake --build build
#   tests/bench/run.sh [-s 1G] [-k 2000] [-n 3] [-w big,small,resume,slow]
#
#   -s SIZE   big file size, head -c syntax (512M, 1G); default 1G
#   -k COUNT  number of 4096-byte files for the small-file workload; default 2000
#   -n RUNS   runs per timed measurement; the median and min-max are reported; default 3
#   -w LIST   workloads, comma-separated; default all of:
#               big     socat pipe, ferry-cli put, ferry-cli get of the big file (also a get of a file
#                       placed on the server behind its back, which has no stored hash)
#               small   tar stream through socat, ferry-cli put -r of the COUNT x 4 KiB folder, then
#                       ferry-cli get -r of the folder it put (files/s both ways); with rsync installed
#                       also an rsync daemon on loopback, up and down, each run ending with `sync -f` of
#                       the receiving file system (issue 12 targets 4 and 5: Ferry >= 1.0x its files/s)
#               beside  ferry-cli put -r of the small files alone, then while a second session uploads the
#                       big file (issue 12: one user's small files must not wait for another's big upload),
#                       and again with that upload's ferry-cli under SCHED_IDLE (chrt), a stand-in for a client
#                       on another machine; with rsync also the rsync daemon's small upload alone and beside the
#                       same big upload; needs -s of at least 256M so that the big upload outlasts the small one
#               resume  put killed with SIGKILL at ~50 % then put --resume; the same for get
#               slow    ferryd's VmHWM while it serves the big file to a client reading 64 KiB / 10 ms
# Environment:
#   FERRY_BUILD        build directory holding server/ferryd and app/ferry-cli (default ./build)
#   BENCH_TMP          where the temporary work dir is created (default /tmp); data, ferryd's data dir
#                      and the pipe's output all live there, on one disk
#   FERRY_BENCH_NETNS  1 (default): as root, re-run inside a private network namespace with only a
#                      loopback interface, so the loopback byte counters see this run's traffic only
#   FERRY_BENCH_TIMEOUT seconds one timed command may take (default 300)
#   FERRY_BENCH_KEEP   1: keep the work dir (logs, ferryd data) afterwards
#   FERRY_BENCH_PRIME  1 (default): before each big timed run, fill and delete a tmpfs file of that size, so
#                      every receiver writes into just-freed pages (see prime_memory)
#   SLOW_SECONDS       how long the slow reader reads (default 10)
#
# Output: a Markdown report on stdout, also saved as tests/bench/results/<date>.md (git-ignored); progress
# on stderr. MB = 10^6 bytes. Every timed run is verified (cmp / diff -r / SHA-256) outside the timed window;
# a run that fails or does not verify is not counted and is named in the report.
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIZE=1G
SMALL_COUNT=2000
SMALL_SIZE=4096
RUNS=3
WORKLOADS=big,small,beside,resume,slow
TIMEOUT=${FERRY_BENCH_TIMEOUT:-300}
SLOW_SECONDS=${SLOW_SECONDS:-10}
PIPE_BUF=1048576
BENCH_USER_NAME=bench
export FERRY_PASSWORD=benchpw

usage() { sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }
while getopts "s:k:n:w:h" opt; do
  case $opt in
    s) SIZE=$OPTARG ;;
    k) SMALL_COUNT=$OPTARG ;;
    n) RUNS=$OPTARG ;;
    w) WORKLOADS=$OPTARG ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
has_workload() { case ",$WORKLOADS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# ------------------------------------------------------------------ programs
FERRY_BUILD=$(cd "${FERRY_BUILD:-./build}" 2>/dev/null && pwd) || die "FERRY_BUILD ${FERRY_BUILD:-./build} does not exist"
FERRYD=$FERRY_BUILD/server/ferryd
FERRY_CLI=$FERRY_BUILD/app/ferry-cli
if [ ! -x "$FERRYD" ] || [ ! -x "$FERRY_CLI" ]; then die "no server/ferryd and app/ferry-cli in $FERRY_BUILD (set FERRY_BUILD to a build directory)"; fi
PYTHON=$(command -v python3) || die "python3 missing"
if ! command -v socat >/dev/null; then
  is_root || die "socat missing (apt-get install socat)"
  [ -n "${FERRY_BENCH_IN_NETNS:-}" ] && die "socat missing"
  log "installing socat"
  { apt-get install -y socat || { apt-get update && apt-get install -y socat; }; } >&2 || die "cannot install socat"
fi

HAVE_RSYNC=0
if command -v rsync >/dev/null; then HAVE_RSYNC=1
elif is_root && [ -z "${FERRY_BENCH_IN_NETNS:-}" ] && [[ ",$WORKLOADS," == *,small,* ]]; then
  log "installing rsync (the small-file workload's reference)"
  { apt-get install -y rsync || { apt-get update && apt-get install -y rsync; }; } >&2 && HAVE_RSYNC=1
fi

# As root: re-run in a network namespace that has only loopback (nothing leaves 127.0.0.1, and the
# loopback counters used by the resume workload count this run's bytes only).
if [ "${FERRY_BENCH_NETNS:-1}" = 1 ] && [ -z "${FERRY_BENCH_IN_NETNS:-}" ] && is_root && command -v unshare >/dev/null; then
  export FERRY_BENCH_IN_NETNS=1 FERRY_BUILD
  exec unshare --net -- sh -c 'ip link set lo up && exec "$@"' sh "${BASH_SOURCE[0]}" "$@"
fi

# ------------------------------------------------------------------ helpers
BIG_BYTES=$(numfmt --from=iec "$SIZE") || die "bad size $SIZE"
WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/ferry-bench.XXXXXX") || die "cannot create a work dir"
LOG=$WORK/bench.log
SERVER_PID=""

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null
  local _
  for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}
cleanup() {
  stop_server
  stop_rsyncd
  rm -f "${PRIME_DIR:-/nonexistent}/ferry-bench-prime.$$"
  if [ "${FERRY_BENCH_KEEP:-0}" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "${WORK:?}"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() {
  [ $# -gt 0 ] || { echo "-"; return; }
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
minmax() { [ $# -gt 0 ] || { echo "-"; return; }; printf '%s\n' "$@" | sort -g | sed -n '1p;$p' | paste -sd' ' | awk '{ printf "%s–%s", $1, ($2 == "" ? $1 : $2) }'; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf f, a / b }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
file_bytes() { stat -c %s "$1" 2>/dev/null || echo 0; }

# Bytes received on the loopback interface (rx == tx there): payload plus TCP/IP headers.
lo_bytes() {
  local line
  while read -r line; do
    # shellcheck disable=SC2086  # split the counters into fields on purpose
    case $line in lo:*) set -- ${line#lo:}; echo "$1"; return 0 ;; esac
  done </proc/net/dev
  echo 0
}
port_listening() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
free_port() { local p=${1:-24000}; while [ -n "$(ss -Htan "sport = :$p" 2>/dev/null)" ]; do p=$((p + 1)); done; echo "$p"; }
wait_port() {
  local _
  for _ in $(seq 500); do port_listening "$1" && return 0; sleep 0.02; done
  return 1
}
# ferryd's memory (KiB) and CPU time (clock ticks, user + system)
server_kib() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0; }
server_ticks() {   # fields 14 and 15 of /proc/PID/stat, counted after the "(comm) " that may hold spaces
  local s
  s=$(cat "/proc/$SERVER_PID/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) }
  # shellcheck disable=SC2086  # split into fields on purpose
  set -- $s
  echo $((${12} + ${13}))
}
TICKS=$(getconf CLK_TCK)
# CPU seconds (user + system) of this shell's waited-for children so far, in CHILD_CPU. `times` must run in
# this shell itself: in a $(...) subshell it would report the subshell's own (empty) children.
children_cpu() {
  times >"$WORK/.times"
  CHILD_CPU=$(sed -n 2p "$WORK/.times" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] } printf "%.3f", t }')
}

# ------------------------------------------------------------------ data and server
make_data() {
  mkdir -p "$WORK/src" "$WORK/pipe" "$WORK/cli"
  BIG=$WORK/src/big.bin
  log "creating $BIG ($SIZE from /dev/urandom)"
  head -c "$BIG_BYTES" /dev/urandom >"$BIG" || die "cannot create $BIG"
  BIG_SHA=$(sha256sum "$BIG" | cut -d' ' -f1)
  SMALL=$WORK/src/small
  if has_workload small || has_workload beside; then
    log "creating $SMALL_COUNT x $SMALL_SIZE B files"
    "$PYTHON" - "$SMALL" "$SMALL_COUNT" "$SMALL_SIZE" <<'PY' || die "cannot create $SMALL"
import os, sys
root, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(root)
for i in range(count):
    with open(os.path.join(root, "f%05d.bin" % i), "wb") as f:
        f.write(os.urandom(size))
PY
  fi
}

SRV_DATA=$WORK/srv
HOME_DIR=$SRV_DATA/homes/$BENCH_USER_NAME
start_server() {
  if [ ! -d "$HOME_DIR" ]; then
    "$FERRYD" --data "$SRV_DATA" user add "$BENCH_USER_NAME" --quota 1T >>"$LOG" 2>&1 || die "ferryd user add failed (see $LOG)"
  fi
  PORT=$(free_port 24000)
  "$FERRYD" --data "$SRV_DATA" --listen 127.0.0.1 --port "$PORT" --no-discovery --quiet >>"$WORK/ferryd.log" 2>&1 </dev/null &
  SERVER_PID=$!
  wait_port "$PORT" || die "ferryd does not listen on $PORT: $(tail -n 3 "$WORK/ferryd.log")"
  URL=ferry://$BENCH_USER_NAME@127.0.0.1:$PORT
  # A fresh server key per data folder: the benchmark client trusts exactly that identity.
  FERRY_TRUST=$("$FERRYD" --data "$SRV_DATA" identity | head -n 1)
  export FERRY_TRUST
  export XDG_CONFIG_HOME=$WORK/client-config   # known servers of this run only, never the user's
}
cli() { timeout -k 5 "$TIMEOUT" "$FERRY_CLI" --progress=none "$URL" "$@"; }

# ------------------------------------------------------------------ timed measurements
# Results per workload key: TIMES[key] (seconds), CCPU/SCPU[key] (client / server CPU s), FAIL[key] (notes).
declare -A TIMES=() CCPU=() SCPU=() FAIL=() BYTES=() LABEL=() FILES=()
KEYS=()
add_key() {   # add_key KEY BYTES FILES LABEL
  [ -n "${LABEL[$1]:-}" ] || KEYS+=("$1")
  BYTES[$1]=$2; FILES[$1]=$3; LABEL[$1]=$4
}

# Memory priming. On this VM (virtio-balloon free page reporting) page-cache pages that were free for a few
# seconds went back to the host, and the first write into them costs up to ~2.5 s of system time per GiB, versus
# ~0.3 s for pages freed a moment ago: whichever program happens to write a 1 GiB file into "cold" memory loses
# seconds, depending only on what ran before it. So every big timed run starts right after the same untimed
# step: fill and delete a tmpfs file a little larger than the data, so that the receiver writes into pages
# that were just freed. FERRY_BENCH_PRIME=0 turns it off.
PRIME_DIR=/dev/shm
[ -d "$PRIME_DIR" ] && [ -w "$PRIME_DIR" ] || PRIME_DIR=$WORK
prime_memory() {
  [ "${FERRY_BENCH_PRIME:-1}" = 1 ] && [ "$1" -ge $((64 << 20)) ] || return 0
  head -c $(($1 + (64 << 20))) /dev/zero >"$PRIME_DIR/ferry-bench-prime.$$" 2>/dev/null
  rm -f "$PRIME_DIR/ferry-bench-prime.$$"
}

# timed KEY VERIFY_FN CMD...: one timed run of CMD (a function is fine); VERIFY_FN runs afterwards, untimed.
timed() {
  local key=$1 verify=$2 t0 t1 c0 c1 s0 s1 rc
  shift 2
  sync
  prime_memory "${BYTES[$key]}"
  echo "=== $key: $*" >>"$LOG"
  children_cpu; c0=$CHILD_CPU; s0=$(server_ticks)
  t0=$(now)
  "$@" >>"$LOG" 2>&1
  rc=$?
  t1=$(now)
  children_cpu; c1=$CHILD_CPU; s1=$(server_ticks)
  local s; s=$(elapsed "$t0" "$t1")
  if [ $rc -ne 0 ]; then
    FAIL[$key]="${FAIL[$key]:-}run exit $rc: $(tail -n 1 "$LOG" | cut -c1-100); "
    log "  $key: FAILED (exit $rc) after ${s}s"
  elif ! $verify; then
    FAIL[$key]="${FAIL[$key]:-}run exit 0 but data differs; "
    log "  $key: VERIFY FAILED (${s}s)"
  else
    TIMES[$key]="${TIMES[$key]:-} $s"
    CCPU[$key]="${CCPU[$key]:-} $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }')"
    SCPU[$key]="${SCPU[$key]:-} $(awk -v a="$s0" -v b="$s1" -v t="$TICKS" 'BEGIN { printf "%.3f", (b - a) / t }')"
    log "  $key: ${s}s"
  fi
}

# --- the physical limit: one-shot socat listener (up before the clock starts) -> file / tar -x
PIPE_LISTENER=""
pipe_listen() {   # pipe_listen SOCAT_TARGET
  local port; port=$(free_port 23000)
  socat -u -b "$PIPE_BUF" "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" "$1" 2>>"$LOG" &
  PIPE_LISTENER=$!
  wait_port "$port" || return 1
  PIPE_PORT=$port
}
run_pipe_big() { socat -u -b "$PIPE_BUF" "OPEN:$BIG" "TCP:127.0.0.1:$PIPE_PORT" && wait "$PIPE_LISTENER"; }
verify_pipe_big() { cmp -s "$BIG" "$WORK/pipe/big.bin"; }
run_pipe_small() { tar -c -f - -C "$SMALL" . | socat -u -b "$PIPE_BUF" STDIN "TCP:127.0.0.1:$PIPE_PORT" && wait "$PIPE_LISTENER"; }
verify_pipe_small() { diff -rq "$SMALL" "$WORK/pipe/small-$ROUND" >/dev/null 2>&1; }

# --- ferry-cli
verify_put_big() { cmp -s "$BIG" "$HOME_DIR/up-$ROUND/big.bin"; }
verify_get_big() { cmp -s "$BIG" "$WORK/cli/down-$ROUND/big.bin"; }
verify_get_placed() { cmp -s "$BIG" "$WORK/cli/placed-$ROUND/big.bin"; }
verify_put_small() { diff -rq "$SMALL" "$HOME_DIR/small-$ROUND/small" >/dev/null 2>&1; }
verify_get_small() { diff -rq "$SMALL" "$WORK/cli/small-$ROUND/small" >/dev/null 2>&1; }
verify_put_idle() { diff -rq "$SMALL" "$HOME_DIR/idle-$ROUND/small" >/dev/null 2>&1; }
verify_put_beside() { diff -rq "$SMALL" "$HOME_DIR/beside-$ROUND/small" >/dev/null 2>&1; }

RSS_ROWS=()
rss_mark() { RSS_ROWS+=("| $1 | $(mib "$(server_kib VmHWM)") | $(mib "$(server_kib VmRSS)") |"); }

workload_big() {
  add_key pipe-big "$BIG_BYTES" - "socat pipe, 1 MiB buffers, into a file (the limit)"
  add_key put-big "$BIG_BYTES" - "ferry-cli put"
  add_key get-big "$BIG_BYTES" - "ferry-cli get (file uploaded through ferry)"
  add_key get-placed "$BIG_BYTES" - "ferry-cli get (file copied into the home behind ferryd's back)"
  for ((ROUND = 1; ROUND <= RUNS; ROUND++)); do
    log "big file, run $ROUND of $RUNS"
    rm -f "$WORK/pipe/big.bin"
    if pipe_listen "CREATE:$WORK/pipe/big.bin"; then timed pipe-big verify_pipe_big run_pipe_big
    else FAIL[pipe-big]="${FAIL[pipe-big]:-}listener did not start; "; kill "$PIPE_LISTENER" 2>/dev/null; fi
    rm -f "$WORK/pipe/big.bin"

    cli mkdir "/up-$ROUND" >>"$LOG" 2>&1
    timed put-big verify_put_big cli put "$BIG" "/up-$ROUND"

    mkdir -p "$WORK/cli/down-$ROUND"
    timed get-big verify_get_big cli get "/up-$ROUND/big.bin" "$WORK/cli/down-$ROUND"
    rm -rf "${WORK:?}/cli/down-$ROUND"
    cli rm -r "/up-$ROUND" >>"$LOG" 2>&1

    # A file ferryd did not receive itself: no hash stored with it, so a get must hash it (a fresh copy
    # each run, so that no earlier get left anything behind).
    mkdir -p "$HOME_DIR/placed-$ROUND" "$WORK/cli/placed-$ROUND"
    cp "$BIG" "$HOME_DIR/placed-$ROUND/big.bin"
    timed get-placed verify_get_placed cli get "/placed-$ROUND/big.bin" "$WORK/cli/placed-$ROUND"
    rm -rf "${WORK:?}/cli/placed-$ROUND" "${HOME_DIR:?}/placed-$ROUND"
  done
  rss_mark "after the big-file workload"
}

# --- an rsync daemon on loopback: the peer issue 12 measures small files against. Ferry makes every file
# durable before it says ok; rsync does not sync, so each rsync run ends with `sync -f` inside the clock.
RSYNCD_PID=""
start_rsyncd() {
  local port; port=$(free_port 25000)
  mkdir -p "$WORK/rsyncd"
  cat >"$WORK/rsyncd.conf" <<CONF
use chroot = no
max connections = 0
log file = $WORK/rsyncd.log
[bench]
    path = $WORK/rsyncd
    read only = no
    uid = $(id -u)
    gid = $(id -g)
CONF
  rsync --daemon --no-detach --config="$WORK/rsyncd.conf" --address=127.0.0.1 --port="$port" 2>>"$LOG" &
  RSYNCD_PID=$!
  wait_port "$port" || { kill "$RSYNCD_PID" 2>/dev/null; RSYNCD_PID=""; return 1; }
  RSYNC_URL=rsync://127.0.0.1:$port/bench
}
stop_rsyncd() { [ -z "${RSYNCD_PID:-}" ] || { kill "$RSYNCD_PID" 2>/dev/null; wait "$RSYNCD_PID" 2>/dev/null; RSYNCD_PID=""; }; }
run_rsyncd_up() { rsync -r "$SMALL/" "$RSYNC_URL/small-$ROUND/" && sync -f "$WORK/rsyncd"; }
run_rsyncd_down() { rsync -r "$RSYNC_URL/small-$ROUND/" "$WORK/cli/rsync-$ROUND/" && sync -f "$WORK/cli"; }
verify_rsyncd_up() { diff -rq "$SMALL" "$WORK/rsyncd/small-$ROUND" >/dev/null 2>&1; }
verify_rsyncd_down() { diff -rq "$SMALL" "$WORK/cli/rsync-$ROUND" >/dev/null 2>&1; }

workload_small() {
  add_key pipe-small "$((SMALL_COUNT * SMALL_SIZE))" "$SMALL_COUNT" "tar -c, socat pipe, tar -x (the limit)"
  if [ "$HAVE_RSYNC" = 1 ] && start_rsyncd; then
    add_key rsyncd-up-small "$((SMALL_COUNT * SMALL_SIZE))" "$SMALL_COUNT" "rsync -r to an rsync daemon, then sync -f"
    add_key rsyncd-down-small "$((SMALL_COUNT * SMALL_SIZE))" "$SMALL_COUNT" "rsync -r from an rsync daemon, then sync -f"
  fi
  add_key put-small "$((SMALL_COUNT * SMALL_SIZE))" "$SMALL_COUNT" "ferry-cli put -r"
  add_key get-small "$((SMALL_COUNT * SMALL_SIZE))" "$SMALL_COUNT" "ferry-cli get -r (the folder put just before)"
  # Each run writes into a new folder and nothing is deleted until the end: creating thousands of files
  # right after deleting thousands costs several times more on this file system.
  for ((ROUND = 1; ROUND <= RUNS; ROUND++)); do
    log "small files, run $ROUND of $RUNS"
    mkdir -p "$WORK/pipe/small-$ROUND"
    if pipe_listen "SYSTEM:exec tar -x -f - -C '$WORK/pipe/small-$ROUND'"; then timed pipe-small verify_pipe_small run_pipe_small
    else FAIL[pipe-small]="${FAIL[pipe-small]:-}listener did not start; "; kill "$PIPE_LISTENER" 2>/dev/null; fi
    cli mkdir "/small-$ROUND" >>"$LOG" 2>&1
    timed put-small verify_put_small cli put -r "$SMALL" "/small-$ROUND"
    mkdir -p "$WORK/cli/small-$ROUND"
    timed get-small verify_get_small cli get -r "/small-$ROUND/small" "$WORK/cli/small-$ROUND"
    if [ -n "${RSYNCD_PID:-}" ]; then
      timed rsyncd-up-small verify_rsyncd_up run_rsyncd_up
      timed rsyncd-down-small verify_rsyncd_down run_rsyncd_down
    fi
  done
  stop_rsyncd
  rss_mark "after the small-file workload"
}

# Small files while another session uploads the big file: the big upload runs in the background and the
# clock starts once its part file holds 64 MiB (it streams then); each round also times the small upload
# alone, just before, so that the two rows come from the same minutes.
BESIDE_NOTE=""
wait_part_bytes() {   # wait_part_bytes PID FILE BYTES: until FILE holds BYTES, or PID ended
  while [ -d "/proc/$1" ] && [ "$(file_bytes "$2")" -lt "$3" ]; do sleep 0.005; done
  [ "$(file_bytes "$2")" -ge "$3" ]
}
# beside_round KEY BIG_DIR VERIFY COMMAND...: COMMAND (a small upload) timed as KEY while ferry-cli, started
# with $BIG_CLIENT_PREFIX in front, uploads the big file into BIG_DIR.
BIG_CLIENT_PREFIX=""
beside_round() {
  local key=$1 bigdir=$2 verify=$3 pid part
  shift 3
  part=$HOME_DIR$bigdir/.ferry-part-big.bin
  # shellcheck disable=SC2086
  $BIG_CLIENT_PREFIX "$FERRY_CLI" --progress=none "$URL" put "$BIG" "$bigdir" >>"$LOG" 2>&1 </dev/null &
  pid=$!
  if wait_part_bytes "$pid" "$part" $((64 << 20)); then
    timed "$key" "$verify" "$@"
    [ -d "/proc/$pid" ] || BESIDE_NOTE="${BESIDE_NOTE}$key run $ROUND: the big upload ended before the small one; "
  else
    FAIL[$key]="${FAIL[$key]:-}the big upload ended before 64 MiB; "
  fi
  wait "$pid" 2>/dev/null || FAIL[$key]="${FAIL[$key]:-}the big upload failed; "
  cli rm -r "$bigdir" >>"$LOG" 2>&1   # three rounds of three would fill a small disk
}
verify_put_yield() { diff -rq "$SMALL" "$HOME_DIR/yield-$ROUND/small" >/dev/null 2>&1; }
run_rsyncd_into() { rsync -r "$SMALL/" "$RSYNC_URL/$1/" && sync -f "$WORK/rsyncd"; }
verify_rsyncd_idle() { diff -rq "$SMALL" "$WORK/rsyncd/idle-$ROUND" >/dev/null 2>&1; }
verify_rsyncd_beside() { diff -rq "$SMALL" "$WORK/rsyncd/beside-$ROUND" >/dev/null 2>&1; }
# Rounds of: the small upload alone; beside a big upload; beside a big upload whose ferry-cli runs under
# SCHED_IDLE (it takes only what nothing else wants), a stand-in for a client on another machine, which would
# not share these cores (that ratio is what the big upload's server side leaves the small files); and, with rsync, the
# rsync daemon's small upload alone and beside the same big upload, the reference peer on the same disk and cores.
workload_beside() {
  local bytes=$((SMALL_COUNT * SMALL_SIZE)) yield=0 rsyncd=0
  add_key idle-small "$bytes" "$SMALL_COUNT" "ferry-cli put -r, alone"
  add_key beside-small "$bytes" "$SMALL_COUNT" "ferry-cli put -r, while another session uploads $SIZE"
  command -v chrt >/dev/null && yield=1 && add_key beside-yield-small "$bytes" "$SMALL_COUNT" \
    "ferry-cli put -r, while another session uploads $SIZE from a ferry-cli under SCHED_IDLE"
  if [ "$HAVE_RSYNC" = 1 ] && start_rsyncd; then
    rsyncd=1
    add_key rsyncd-idle-small "$bytes" "$SMALL_COUNT" "rsync -r to an rsync daemon, then sync -f, alone"
    add_key rsyncd-beside-small "$bytes" "$SMALL_COUNT" \
      "rsync -r to an rsync daemon, then sync -f, while a ferryd session uploads $SIZE"
  fi
  for ((ROUND = 1; ROUND <= RUNS; ROUND++)); do
    log "small files beside a big upload, run $ROUND of $RUNS"
    cli mkdir "/idle-$ROUND" "/beside-$ROUND" "/bigbeside-$ROUND" "/yield-$ROUND" "/bigyield-$ROUND" \
      "/bigrsyncd-$ROUND" >>"$LOG" 2>&1
    timed idle-small verify_put_idle cli put -r "$SMALL" "/idle-$ROUND"
    beside_round beside-small "/bigbeside-$ROUND" verify_put_beside cli put -r "$SMALL" "/beside-$ROUND"
    if [ $yield = 1 ]; then
      BIG_CLIENT_PREFIX="chrt --idle 0"
      beside_round beside-yield-small "/bigyield-$ROUND" verify_put_yield cli put -r "$SMALL" "/yield-$ROUND"
      BIG_CLIENT_PREFIX=""
    fi
    if [ $rsyncd = 1 ]; then
      timed rsyncd-idle-small verify_rsyncd_idle run_rsyncd_into "idle-$ROUND"
      beside_round rsyncd-beside-small "/bigrsyncd-$ROUND" verify_rsyncd_beside run_rsyncd_into "beside-$ROUND"
    fi
  done
  [ $rsyncd = 0 ] || stop_rsyncd
  rss_mark "after the beside workload"
}

# ------------------------------------------------------------------ resume
RESUME_ROWS=()
# kill_at_half PID PARTFILE: SIGKILLs PID once PARTFILE holds half the big file; sets KILLED to yes, late
# (the transfer ended before half of it was seen: the row measures nothing) or no (timed out). Runs in this
# shell, not in $(...): only the parent can reap PID, and a zombie still answers kill -0.
kill_at_half() {
  local pid=$1 part=$2 half=$((BIG_BYTES / 2)) start=$SECONDS
  KILLED=late
  while [ -d "/proc/$pid" ] && [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
    if [ "$(file_bytes "$part")" -ge "$half" ]; then
      kill -KILL "$pid" 2>/dev/null
      KILLED=yes
      break
    fi
    if [ $((SECONDS - start)) -ge "$TIMEOUT" ]; then kill -KILL "$pid" 2>/dev/null; KILLED=no; break; fi
    sleep 0.005
  done
  wait "$pid" 2>/dev/null
}

# resume_row DIRECTION PART_FILE FINAL_FILE KILLED B0 B1 B2 KEPT PREFIX_OK SECONDS RC
resume_row() {
  local dir=$1 final=$3 killed=$4 b0=$5 b1=$6 b2=$7 kept=$8 prefix=$9 secs=${10} rc=${11} sha ok left
  sha=$(sha256sum "$final" 2>/dev/null | cut -d' ' -f1)
  if [ "$sha" = "$BIG_SHA" ] && [ "$rc" = 0 ]; then ok=yes; else ok="NO (exit $rc)"; fi
  left=$(find "$HOME_DIR" "$WORK/cli" -name '.ferry-part-*' -printf '%P=%s ' 2>/dev/null)
  RESUME_ROWS+=("| $dir | $killed | $(mb "$kept") | $prefix | $(mb $((b1 - b0))) | $(mb $((b2 - b1))) | $(div $((b2 - b0)) "$BIG_BYTES" %.3f) | $ok | $secs | ${left:-none} |")
  # The target counts only for a run that was really interrupted mid-way and ended with the right file.
  if [ "$killed" = yes ] && [ "$ok" = yes ]; then RESUME_TOTAL[$dir]=$(div $((b2 - b0)) "$BIG_BYTES" %.3f); else RESUME_TOTAL[$dir]=-; fi
  RESUME_OK[$dir]="$ok/$prefix/${left:-none}/$killed"
  log "  resume $dir: killed=$killed kept=$kept wire=$((b1 - b0))+$((b2 - b1)) sha_ok=$ok left=${left:-none}"
}
declare -A RESUME_TOTAL=() RESUME_OK=()
prefix_ok() { if [ "$2" -gt 0 ] && cmp -s -n "$2" "$1" "$BIG"; then echo yes; elif [ "$2" = 0 ]; then echo "-"; else echo NO; fi; }

workload_resume() {
  local b0 b1 b2 pid killed kept prefix t0 t1 rc part
  # Upload killed at ~50 % (watching the server's part file), then put --resume.
  log "resume: upload"
  cli mkdir /resume >>"$LOG" 2>&1
  part=$HOME_DIR/resume/.ferry-part-big.bin
  sync
  b0=$(lo_bytes)
  "$FERRY_CLI" --progress=none "$URL" put "$BIG" /resume >>"$LOG" 2>&1 </dev/null &
  pid=$!
  kill_at_half "$pid" "$part"; killed=$KILLED
  sleep 0.5   # let ferryd notice the dead client and flush what it received
  b1=$(lo_bytes)
  kept=$(file_bytes "$part"); prefix=$(prefix_ok "$part" "$kept")
  t0=$(now); cli put --resume "$BIG" /resume >>"$LOG" 2>&1; rc=$?; t1=$(now)
  b2=$(lo_bytes)
  resume_row upload "$part" "$HOME_DIR/resume/big.bin" "$killed" "$b0" "$b1" "$b2" "$kept" "$prefix" "$(elapsed "$t0" "$t1")" "$rc"

  # Download of that file killed at ~50 % (watching the local part file), then get --resume.
  log "resume: download"
  mkdir -p "$WORK/cli/resume"
  part=$WORK/cli/resume/.ferry-part-big.bin
  sync
  b0=$(lo_bytes)
  "$FERRY_CLI" --progress=none "$URL" get /resume/big.bin "$WORK/cli/resume" >>"$LOG" 2>&1 </dev/null &
  pid=$!
  kill_at_half "$pid" "$part"; killed=$KILLED
  sleep 0.5
  b1=$(lo_bytes)
  kept=$(file_bytes "$part"); prefix=$(prefix_ok "$part" "$kept")
  t0=$(now); cli get --resume /resume/big.bin "$WORK/cli/resume" >>"$LOG" 2>&1; rc=$?; t1=$(now)
  b2=$(lo_bytes)
  resume_row download "$part" "$WORK/cli/resume/big.bin" "$killed" "$b0" "$b1" "$b2" "$kept" "$prefix" "$(elapsed "$t0" "$t1")" "$rc"
  rm -rf "${WORK:?}/cli/resume"
  cli rm -r /resume >>"$LOG" 2>&1
  rss_mark "after the resume workload"
}

# ------------------------------------------------------------------ slow reader (fresh ferryd)
SLOW_RESULT=""
workload_slow() {
  log "slow reader: restarting ferryd, reading 64 KiB every 10 ms for ${SLOW_SECONDS}s"
  stop_server
  start_server
  mkdir -p "$HOME_DIR/slow"
  ln "$BIG" "$HOME_DIR/slow/big.bin" 2>/dev/null || cp "$BIG" "$HOME_DIR/slow/big.bin"
  SLOW_IDLE=$(server_kib VmHWM)
  SLOW_RESULT=$("$PYTHON" "$SCRIPT_DIR/slow_reader.py" --port "$PORT" --user "$BENCH_USER_NAME" \
    --path /slow/big.bin --pid "$SERVER_PID" --seconds "$SLOW_SECONDS" 2>>"$LOG") || SLOW_RESULT=""
  rm -f "$HOME_DIR/slow/big.bin"
}
slow_field() { "$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$SLOW_RESULT" "$1"; }

# ------------------------------------------------------------------ report
row_of() {   # row_of KEY PIPE_KEY
  local key=$1 ref=$2 med ref_med rate files=- ratio frac
  # shellcheck disable=SC2086
  med=$(median ${TIMES[$key]:-})
  # shellcheck disable=SC2086
  ref_med=$(median ${TIMES[$ref]:-})
  rate=$(div "${BYTES[$key]}" "$(awk -v m="$med" 'BEGIN { print (m == "-" ? "-" : m * 1e6) }')" %.1f)
  [ "${FILES[$key]}" = - ] || files=$(div "${FILES[$key]}" "$med" %.0f)
  if [ "$key" = "$ref" ]; then ratio=1.00; frac=1.00; else ratio=$(div "$med" "$ref_med"); frac=$(div "$ref_med" "$med"); fi
  local n; n=$(wc -w <<<"${TIMES[$key]:-}")
  # shellcheck disable=SC2086
  echo "| ${LABEL[$key]} | $med | $(minmax ${TIMES[$key]:-}) | $rate | $files | $ratio | $frac | $(median ${CCPU[$key]:-}) | $(case $key in pipe-* | rsyncd-*) echo - ;; *) median ${SCPU[$key]:-} ;; esac) | $n/$RUNS${FAIL[$key]:+ (${FAIL[$key]%; })} |"
  FRACTION[$key]=$frac
}
declare -A FRACTION=()

# verdict VALUE OP LIMIT: "met" / "missed by X" for a target VALUE OP LIMIT (OP ge or le)
verdict() {
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (v == "-" || v == "") { print "not measured"; exit }
    if ((op == "ge" && v + 0 >= l + 0) || (op == "le" && v + 0 <= l + 0)) print "**met**";
    else printf "**missed** by %.1f %%\n", (op == "ge" ? (l - v) / l : (v - l) / l) * 100 }'
}

report() {
  local cpu mem load_end
  cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
  mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  load_end=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "# Ferry benchmark $(date '+%Y-%m-%d %H:%M')"
  echo
  echo "- Command: \`tests/bench/run.sh -s $SIZE -k $SMALL_COUNT -n $RUNS -w $WORKLOADS\`; $("$FERRY_CLI" --version 2>/dev/null | head -1), build $FERRY_BUILD"
  echo "- Machine: $(nproc) cores ($cpu), $mem RAM, kernel $(uname -r), work dir on $(df -T "$WORK" | awk 'NR == 2 { print $2 " (" $1 ")" }')"
  echo "- Load average (1/5/15 min): $LOAD_START at the start, $load_end at the end"
  echo "- Loopback: $(if [ -n "${FERRY_BENCH_IN_NETNS:-}" ]; then echo "private network namespace (counters see this run only)"; else echo "shared with the machine (resume byte counts include other loopback traffic)"; fi)"
  echo "- Big file $SIZE ($BIG_BYTES B), small files $SMALL_COUNT x $SMALL_SIZE B; median of $RUNS runs, MB = 10^6 B"
  if has_workload big || has_workload small || has_workload beside; then
    echo
    echo "## Transfers"
    echo
    echo "x pipe = median time / the pipe's median time (<= 1 would beat the raw pipe); of pipe = the pipe's time / this"
    echo "time, i.e. the fraction of the pipe's throughput. CPU = user + system seconds (median): client = ferry-cli (for"
    echo "the pipe rows both socat ends and tar), server = ferryd."
    echo
    echo "| transfer | median s | min–max s | MB/s | files/s | x pipe | of pipe | CPU client s | CPU server s | runs ok |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    local k
    for k in "${KEYS[@]}"; do
      case $k in *-small) row_of "$k" pipe-small ;; *) row_of "$k" pipe-big ;; esac
    done
  fi
  if has_workload beside; then
    # shellcheck disable=SC2086
    BESIDE_RATIO=$(div "$(median ${TIMES[idle-small]:-})" "$(median ${TIMES[beside-small]:-})")
    # shellcheck disable=SC2086
    BESIDE_YIELD_RATIO=$(div "$(median ${TIMES[idle-small]:-})" "$(median ${TIMES[beside-yield-small]:-})")
    # shellcheck disable=SC2086
    BESIDE_RSYNCD_RATIO=$(div "$(median ${TIMES[rsyncd-idle-small]:-})" "$(median ${TIMES[rsyncd-beside-small]:-})")
    echo
    echo "Small files beside a big upload: $BESIDE_RATIO x the files/s of the same upload alone (issue 12 target 4: >= 0.5);"
    echo "$BESIDE_YIELD_RATIO x with the big upload's client under SCHED_IDLE (a stand-in for a client on another machine);"
    echo "the rsync daemon's small upload beside the same big upload: $BESIDE_RSYNCD_RATIO x its files/s alone${BESIDE_NOTE:+; $BESIDE_NOTE}"
  fi
  echo
  echo "## Server memory (ferryd VmHWM = peak RSS since it started)"
  echo
  echo "| when | VmHWM MiB | VmRSS MiB |"
  echo "|---|---:|---:|"
  printf '%s\n' "${RSS_ROWS[@]}"
  if has_workload slow; then
    echo
    if [ -n "$SLOW_RESULT" ]; then
      SLOW_HWM=$(mib "$(slow_field hwm_after_kib)")
      echo "Slow reader (fresh ferryd, \`tests/bench/slow_reader.py\`, 64 KiB every 10 ms for ${SLOW_SECONDS} s): VmHWM $(mib "$SLOW_IDLE") MiB idle,"
      echo "$(mib "$(slow_field hwm_before_kib)") MiB after login, **$SLOW_HWM MiB** after reading $(mb "$(slow_field bytes_read)") MB of the $SIZE file"
      echo "in $(slow_field seconds) s (VmRSS max $(mib "$(slow_field rss_max_kib)") MiB, $(mib "$(slow_field rss_after_kib)") MiB after the client dropped)."
    else
      SLOW_HWM=-
      echo "Slow reader: FAILED (see the log)."
    fi
  fi
  if has_workload resume; then
    echo
    echo "## Resume: killed with SIGKILL at ~50 %, then --resume"
    echo
    echo "kept = part file left by the killed attempt; 1st / 2nd = loopback bytes of each attempt (payload + headers);"
    echo "total/file = both attempts / file size (1.00 = perfect resume, ~1.5 = restart from zero)."
    echo
    echo "| direction | killed | kept MB | kept prefix = source | 1st MB | 2nd MB | total/file | SHA-256 ok | 2nd s | part files left |"
    echo "|---|---|---:|---|---:|---:|---:|---|---:|---|"
    printf '%s\n' "${RESUME_ROWS[@]}"
  fi
  echo
  echo "## Targets of issue 4 measurable here (the peer comparisons need ../shared/bench/peers.sh)"
  echo
  has_workload big && {
    echo "- $SIZE upload >= 0.45x the pipe's throughput: ${FRACTION[put-big]:--} — $(verdict "${FRACTION[put-big]:-}" ge 0.45)"
    echo "- $SIZE download >= 0.45x the pipe's throughput: ${FRACTION[get-big]:--} — $(verdict "${FRACTION[get-big]:-}" ge 0.45)"
  }
  has_workload small && [ -n "${TIMES[rsyncd-up-small]:-}" ] && {
    local up down
    # shellcheck disable=SC2086
    up=$(div "$(median ${TIMES[rsyncd-up-small]})" "$(median ${TIMES[put-small]:-})")
    # shellcheck disable=SC2086
    down=$(div "$(median ${TIMES[rsyncd-down-small]:-})" "$(median ${TIMES[get-small]:-})")
    echo "- small files up >= 1.0x the rsync daemon's files/s (issue 12 target 4, both durable): $up — $(verdict "$up" ge 1.0)"
    echo "- small files down >= 1.0x the rsync daemon's files/s (issue 12 target 5, both durable): $down — $(verdict "$down" ge 1.0)"
  }
  has_workload beside && {
    echo "- small files beside a $SIZE upload >= 0.5x their files/s alone: ${BESIDE_RATIO:--} — $(verdict "${BESIDE_RATIO:-}" ge 0.5)"
    echo "  (for reference: with the big upload's client under SCHED_IDLE ${BESIDE_YIELD_RATIO:--}; rsyncd beside the same upload ${BESIDE_RSYNCD_RATIO:--})"
  }
  has_workload slow && echo "- server peak RSS with a slow reader <= 64 MiB: ${SLOW_HWM:--} MiB — $(verdict "${SLOW_HWM:-}" le 64)"
  has_workload resume && {
    local d
    for d in upload download; do
      echo "- resume $d total/file <= 1.01: ${RESUME_TOTAL[$d]:--} — $(verdict "${RESUME_TOTAL[$d]:-}" le 1.01) (SHA ok/prefix ok/part files left/killed: ${RESUME_OK[$d]:--})"
    done
  }
  return 0
}

# ------------------------------------------------------------------ main
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "work dir $WORK (log: $LOG); load average $LOAD_START"
make_data
start_server
rss_mark "after start"
has_workload big && workload_big
has_workload small && workload_small
has_workload beside && workload_beside
has_workload resume && workload_resume
rss_mark "end of the main run (peak over big, small, resume)"
has_workload slow && workload_slow
stop_server

mkdir -p "$SCRIPT_DIR/results"
OUT=$SCRIPT_DIR/results/$(date +%Y%m%d-%H%M%S).md
report | tee "$OUT"
log "report saved to $OUT"
