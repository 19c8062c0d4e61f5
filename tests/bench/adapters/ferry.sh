# shellcheck shell=bash
# ferry: Ferry's ferryd + ferry-cli as a peer of the shared harness (../shared/bench/peers.sh, from the project's root).
# Pass this directory to the harness; it then overrides the harness's own example adapter of the same name:
#   BENCH_ADAPTERS=$PWD/tests/bench/adapters FERRY_BUILD=$PWD/build ../shared/bench/peers.sh -l
#   BENCH_ADAPTERS=$PWD/tests/bench/adapters FERRY_BUILD=$PWD/build \
#     ../shared/bench/peers.sh -p raw-socat,pureftpd-lftp,rsyncd,ferry -s 1G -k 2000 -n 3
# Command lines used (checked against ferryd --help and ferry-cli --help):
#   FERRY_PASSWORD=... ferryd --data DIR user add NAME --quota SIZE      (home: DIR/homes/NAME)
#   ferryd --data DIR --port PORT $FERRYD_OPTS
#   FERRY_PASSWORD=... ferry-cli --progress=none ferry://NAME@HOST:PORT put [-r] --as NAME LOCAL REMOTE_DIR
#   FERRY_PASSWORD=... ferry-cli --progress=none ferry://NAME@HOST:PORT get [--resume] --as NAME REMOTE LOCAL_DIR
# Binaries: $FERRY_BUILD/server/ferryd and $FERRY_BUILD/app/ferry-cli (default FERRY_BUILD: the build/
# directory of the repository holding this adapter). FERRYD_OPTS: extra ferryd options, by default
# loopback only, no LAN discovery, no per-operation log. FERRY_BENCH_DOWN=uploaded: downloads fetch a file
# uploaded through Ferry (see start_server).
# Resume: get --resume (the kept bytes sit in ferry-cli's hidden part file .ferry-part-NAME in the
# download folder, not under the final name, so the harness's "kept" column reads 0 for this peer).

FERRY_ADAPTER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FERRY_BUILD_GIVEN=${FERRY_BUILD:-}
FERRY_BUILD=${FERRY_BUILD:-$(cd "$FERRY_ADAPTER_DIR/../../.." && pwd)/build}
FERRYD_OPTS=${FERRYD_OPTS:---listen 127.0.0.1 --no-discovery --quiet}
export FERRY_PASSWORD=benchpw
FERRY_USER=bench
FERRY_QUOTA=$((1 << 40))   # 1 TiB: the harness also adds and removes files behind the server's back

FERRYD=$FERRY_BUILD/server/ferryd
FERRY_CLI=$FERRY_BUILD/app/ferry-cli

peer_info() { echo "$("$FERRY_CLI" --version 2>/dev/null | head -1), ferryd $FERRYD_OPTS; SHA-256 end to end"; }
peer_check() {
  [ -x "$FERRYD" ] && [ -x "$FERRY_CLI" ] && return 0
  echo "cannot run here: no server/ferryd and app/ferry-cli in ${FERRY_BUILD_GIVEN:-$FERRY_BUILD} (set FERRY_BUILD)"
  return 1
}

start_server() {
  local dir=$1 port=$2
  FERRY_URL=ferry://$FERRY_USER@$BENCH_HOST:$port
  FERRY_DATA=$BENCH_WORK/ferryd-data
  mkdir -p "$FERRY_DATA"
  give_to_server_user "$FERRY_DATA"   # ferryd runs as $BENCH_USER when the harness is root
  as_server_user "$FERRYD" --data "$FERRY_DATA" user add "$FERRY_USER" --quota "$FERRY_QUOTA" || return 1
  # The server's TLS identity (made here, as the server's user): the client trusts exactly that one.
  FERRY_TRUST=$(as_server_user "$FERRYD" --data "$FERRY_DATA" identity | sed -n 1p) || return 1
  export FERRY_TRUST
  # Known servers of this run only: every pass makes a new key on the same host:port, and the user's own store
  # would refuse it as a changed identity (it did, on the second pass of one session).
  export XDG_CONFIG_HOME=$BENCH_WORK/client-config
  # shellcheck disable=SC2086
  bench_spawn "$FERRYD" --data "$FERRY_DATA" --port "$port" $FERRYD_OPTS
  wait_port "$port" || return 1
  # The harness reads and writes DIR directly: make DIR the user's home (ferryd keeps it in homes/NAME).
  local home=$FERRY_DATA/homes/$FERRY_USER
  [ -d "$home" ] || { echo "no home $home"; return 1; }
  rmdir "$dir" && ln -s "$home" "$dir" || return 1
  # FERRY_BENCH_DOWN=uploaded: the download workloads fetch a file uploaded through Ferry (issue 12's target 1
  # names that case: ferryd stored its hash, and wrote it around the page cache, so the get reads it from the
  # disk) instead of the harness's copy, a hard link of a file the page cache holds, which ferryd hashes while
  # sending it the first time and remembers while it runs. Uploaded here, before any clock starts; the harness
  # then finds down.bin and places nothing. BIG and WORKLOADS are peers.sh's own variables.
  if [ "${FERRY_BENCH_DOWN:-}" = uploaded ] && [ -f "${BIG:-}" ]; then
    case ",${WORKLOADS:-}," in
      *,down,* | *,resume,*) ferry_cli put --as down.bin -- "$BIG" / || return 1 ;;
    esac
  fi
}
stop_server() { bench_stop_all; }

# ferry_cli SUBCOMMAND ARGS...: one client run as user bench, no progress bar
ferry_cli() { "$FERRY_CLI" --progress=none "$FERRY_URL" "$@"; }

# The harness names each copy (DEST): --as gives it that name in DEST's folder, so that one command does it,
# as a user would. Inside the timed window only shell built-ins run besides ferry-cli: every other program
# started there is the harness's cost, not Ferry's (a fork and exec takes ~4 ms on the 2-core VM; with
# basename, dirname, rm, mkdir and a subshell this took 29 ms per upload until session 34, and a staging `ln`
# 4 ms until session 36).
upload() {
  local src=$1 parent=/
  [[ $2 == */* ]] && parent=/${2%/*}
  if [ -d "$src" ]; then
    ferry_cli put -r --as "${2##*/}" -- "$src" "$parent"
  else
    ferry_cli put --as "${2##*/}" -- "$src" "$parent"
  fi
}

# ferry_get SRC DEST [get options]: into DEST's folder under DEST's name (--resume finds its part file there).
ferry_get() {
  local src=$1 dest=$2 folder=.
  [[ $dest == */* ]] && folder=${dest%/*}
  ferry_cli get "${@:3}" --as "${dest##*/}" -- "/$src" "$folder"
}
download() { ferry_get "$1" "$2"; }
resume_download() { ferry_get "$1" "$2" --resume; }
