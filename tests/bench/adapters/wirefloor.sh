# shellcheck shell=bash
# wirefloor: not a program people would use, but the floor under Ferry's design on this machine, measured in the
# same pass as the others: ferry-wirefloor (tests/bench/wirefloor.cpp) moves one big file over loopback in TLS 1.3,
# hashed with SHA-256 at both ends of an upload (at the receiving end of a download: ferryd has the hash stored),
# written with O_DIRECT and made durable as Ferry's PartFileWriter does, with nothing else (no frames, no login, no
# process start). Big files only: run it with -w up,down (a folder upload fails on purpose). Its per-thread CPU
# times land in the harness's client log. Needs the build's ferry-wirefloor:
#   cmake --build build --target ferry-wirefloor
#   BENCH_DURABLE=1 BENCH_ADAPTERS=$PWD/tests/bench/adapters FERRY_BUILD=$PWD/build \
#     ../shared/bench/peers.sh -p pureftpd-lftp,wirefloor,ferry -w up,down -s 1G -n 5

WIREFLOOR_ADAPTER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WIREFLOOR=${FERRY_BUILD:-$(cd "$WIREFLOOR_ADAPTER_DIR/../../.." && pwd)/build}/tests/ferry-wirefloor

peer_info() {
  echo "ferry-wirefloor: OpenSSL TLS 1.3 AES-256-GCM, SHA-256, O_DIRECT + fdatasync every 16 MiB; a floor, not a peer"
}
peer_check() {
  [ -x "$WIREFLOOR" ] && return 0
  echo "cannot run here: no $WIREFLOOR (cmake --build build --target ferry-wirefloor)"
  return 1
}

start_server() { WIREFLOOR_DIR=$1; }   # nothing persistent: each transfer is one sender and one receiver process
stop_server() { :; }

upload() {
  [ -f "$1" ] || { echo "wirefloor moves single files only"; return 1; }
  "$WIREFLOOR" "$1" "$WIREFLOOR_DIR/$2" up
}
download() { "$WIREFLOOR" "$WIREFLOOR_DIR/$1" "$2" down; }
