#!/usr/bin/env bash
# Builds the two Debian packages, ferryd_<ver>_<arch>.deb (server) and ferry_<ver>_<arch>.deb (desktop client
# and ferry-cli), into $OUT (default build/packages), then lists their contents and runs lintian on them.
#
#   packaging/build-debs.sh            (on Debian 12; installs its build tools with apt-get when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${OUT:-build/packages}")
build=build/deb

tools=(dpkg-dev fakeroot file lintian)
missing=()
for package in "${tools[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# A release build for /usr, stripped by CPack, separate from the developer build in build/.
launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr "${launcher[@]}" >/dev/null
# What the packages hold; the tests are not needed.
cmake --build "$build" -j"$(nproc)" --target ferryd ferry-cli ferry ferry_translations ferry_man_pages ferry_package_docs
mkdir -p "$out"
(cd "$build" && cpack -G DEB -D CPACK_PACKAGE_DIRECTORY="$out" -D CPACK_STRIP_FILES=ON)
rm -rf "$out/_CPack_Packages"

status=0
for deb in "$out"/ferryd_*.deb "$out"/ferry_*.deb; do
    echo "== $(basename "$deb")"
    dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Architecture\|Depends\|Recommends\|Suggests\):/  &/p'
    dpkg-deb -c "$deb"
    # Errors fail the script; the warnings left are explained in packaging/README.md.
    lintian --tag-display-limit 0 "$deb" || status=1
done
exit $status
