#!/bin/sh
# Renders docs/screenshots/*.png from the real windows under Xvfb (1400x900), against `ferryd --demo`.
# Needs a build configured with -DFERRY_SCREENSHOT_TOOL=ON, xvfb-run and the WenQuanYi fonts.
#
#   docs/screenshots/capture.sh BUILD_DIR
set -eu
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/ferry-screens   # shown in the local path bar: keep it short
rm -rf "$work" && mkdir -p "$work"
port=7431
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; [ -n "${nearby:-}" ] && kill "$nearby" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A believable home folder on "this computer".
home="$work/home/alice"
mkdir -p "$home/Documents" "$home/Pictures" "$home/Music" "$home/Downloads" "$home/Videos" "$home/Desktop"
printf 'Quarterly numbers\n' > "$home/Documents/Quarterly report.pdf"
printf 'month,amount\n' > "$home/Documents/budget-2024.csv"
printf 'Ideas for the trip\n' > "$home/Documents/notes.txt"
for i in 01 02 03; do head -c 300000 /dev/urandom > "$home/Pictures/IMG_20240$i.jpg"; done
head -c 2500000 /dev/urandom > "$home/photos-archive.zip"
printf '# Project plan\n' > "$home/project-plan.md"
printf 'My own notes about Ferry, longer than the one on the server.\n%.0s' 1 2 3 4 5 > "$home/README.txt"
# Videos to upload: sparse, so they cost no disk here (the server stores them for real).
truncate -s 8M "$home/Videos/clip-01.mp4"
truncate -s 12M "$home/Videos/clip-02.mp4"
truncate -s 300M "$home/Videos/interview.mov"
truncate -s 500M "$home/Videos/drone-footage.mp4"
truncate -s 900M "$home/Videos/holiday-2024.mkv"

start_demo() {
    rm -rf "$work/data"
    "$build/server/ferryd" --demo --data "$work/data" --port $port --no-discovery > "$work/ferryd.log" 2>&1 &
    server=$!
    for _ in $(seq 50); do grep -qs "listening" "$work/ferryd.log" && return; sleep 0.1; done
    echo "ferryd did not start" >&2; cat "$work/ferryd.log" >&2; exit 1
}

shot() { # scene file lang [screen size]
    start_demo
    LANG=$3 LC_ALL= HOME="$home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/appdata" \
        xvfb-run -a -s "-screen 0 ${4:-1400x900}x24" \
        "$build/app/ferry-screenshots" "$1" "$here/$2" 127.0.0.1 $port demo demo "$home"
    kill "$server"; wait "$server" 2>/dev/null || true; server=
}

shot main main-window.png en_US.UTF-8
shot transfers transfers.png en_US.UTF-8
shot folder transfers-folder.png en_US.UTF-8
shot folder transfers-folder-zh.png zh_CN.UTF-8
shot main main-window-800x600.png en_US.UTF-8 800x600
shot folder transfers-folder-800x600.png en_US.UTF-8 800x600
shot conflict conflict-dialog.png en_US.UTF-8
shot conflict conflict-dialog-zh.png zh_CN.UTF-8
shot browse browse-rename.png en_US.UTF-8
shot trust identity-first-contact.png en_US.UTF-8
shot trust identity-first-contact-zh.png zh_CN.UTF-8
shot changed identity-changed.png en_US.UTF-8
shot changed identity-changed-zh.png zh_CN.UTF-8
# A second server that answers LAN discovery, so "Nearby servers" has something to show.
"$build/server/ferryd" --data "$work/nearby" --port 7433 --name "Studio NAS" > "$work/nearby.log" 2>&1 &
nearby=$!
shot connect connect-dialog.png en_US.UTF-8
shot connect connect-dialog-zh.png zh_CN.UTF-8
shot main main-window-zh.png zh_CN.UTF-8
