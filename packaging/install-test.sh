#!/usr/bin/env bash
# Install test for the Linux packages (SPEC §11), as CI runs it:
#
#   packaging/install-test.sh BUILD_DIR
#
# BUILD_DIR is a configured build tree (cmake -S . -B BUILD_DIR ...). The script brings it up
# to date, builds the .deb packages and the .tar.gz with cpack, checks their metadata, installs
# switchboard-server with dpkg, runs it from /usr/bin, and removes it again; with the console
# built it does the same for the switchboard package. Needs root (or sudo) for dpkg. Any
# failure exits non-zero, and whatever it installed is removed on the way out.

set -euo pipefail

fail() {
    echo "install-test: $*" >&2
    exit 1
}

[[ $# -eq 1 ]] || fail "usage: $0 BUILD_DIR"
[[ -f $1/CMakeCache.txt ]] || fail "$1 is not a configured build tree (no CMakeCache.txt)"
build_dir=$(cd "$1" && pwd)

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    fail "dpkg needs root: run as root or install sudo"
fi

cache_value() {
    sed -n "s/^$1:[A-Z]*=//p" "$build_dir/CMakeCache.txt"
}
version=$(cache_value CMAKE_PROJECT_VERSION)
[[ -n $version ]] || fail "no CMAKE_PROJECT_VERSION in $build_dir/CMakeCache.txt"
with_console=false
[[ $(cache_value SWITCHBOARD_GUI) == ON ]] && with_console=true

# Packages this script installed, removed again however it ends.
installed=()
cleanup() {
    local package
    for package in "${installed[@]}"; do
        "${as_root[@]}" dpkg -r "$package" >/dev/null || echo "install-test: could not remove $package" >&2
    done
}
trap cleanup EXIT

echo "== build"
cmake --build "$build_dir" --parallel "${CMAKE_BUILD_PARALLEL_LEVEL:-2}"

echo "== cpack"
cd "$build_dir"
rm -f switchboard*.deb switchboard*.deb.sha256 switchboard-*.tar.gz switchboard-*.tar.gz.sha256
cpack -G DEB
cpack -G TGZ

server_deb=(switchboard-server_"$version"-*_*.deb)
[[ -f ${server_deb[0]} ]] || fail "cpack made no switchboard-server_$version .deb"
server_deb=${server_deb[0]}
mapfile -t all_debs < <(ls switchboard*.deb)
expected=1
$with_console && expected=2
[[ ${#all_debs[@]} -eq $expected ]] || fail "expected $expected .deb files, got: ${all_debs[*]}"

tarball=(switchboard-"$version"-*.tar.gz)
[[ -f ${tarball[0]} ]] || fail "cpack made no .tar.gz"
# Listings are read whole before grep: with pipefail, grep -q closing a pipe early would
# turn a match into a failure (SIGPIPE in the writer).
listing=$(tar -tzf "${tarball[0]}")
grep -q '/bin/switchboard-server$' <<<"$listing" || fail "${tarball[0]} has no bin/switchboard-server"

field() { dpkg-deb --field "$1" "$2"; }

echo "== $server_deb"
dpkg-deb --info "$server_deb"
[[ $(field "$server_deb" Package) == switchboard-server ]] || fail "wrong package name"
server_depends=$(field "$server_deb" Depends)
[[ $server_depends == *libqt6core6* ]] || fail "Depends lacks the Qt libraries (shlibdeps off?)"
[[ $server_depends == *libqt6sql6-sqlite* ]] || fail "Depends lacks the SQLite driver"
if [[ $server_depends =~ libqt6(gui|widgets|charts) ]]; then
    fail "the headless server depends on GUI libraries: $server_depends"
fi

if [[ $(dpkg-query -W -f='${Status}' switchboard-server 2>/dev/null || true) == *"ok installed"* ]]; then
    echo "install-test: note: switchboard-server was already installed; it is replaced and removed"
fi
"${as_root[@]}" dpkg -i "$server_deb"
installed+=(switchboard-server)

[[ -x /usr/bin/switchboard-server ]] || fail "/usr/bin/switchboard-server missing after install"
printed=$(/usr/bin/switchboard-server --version)
echo "$printed"
[[ $printed == "switchboard-server $version" ]] || fail "--version printed '$printed'"
/usr/bin/switchboard-server --help >/dev/null || fail "--help failed"

# Start the installed hub on a free loopback port and stop it as a service manager would.
scratch=$(mktemp -d)
JWT_SECRET_KEY=install-test-key /usr/bin/switchboard-server --bind 127.0.0.1 --port 0 \
    --data-dir "$scratch/data" \
    2>"$scratch/stderr" &
server_pid=$!
for _ in $(seq 100); do
    grep -q '^listening on http://127.0.0.1:' "$scratch/stderr" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
grep -q '^listening on http://127.0.0.1:' "$scratch/stderr" || {
    kill "$server_pid" 2>/dev/null || true
    cat "$scratch/stderr" >&2
    fail "the installed server did not start"
}
head -n 1 "$scratch/stderr"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
[[ $status -eq 0 ]] || fail "the installed server exited with $status on SIGTERM"
rm -rf "$scratch"

"${as_root[@]}" dpkg -r switchboard-server
installed=()
[[ ! -e /usr/bin/switchboard-server ]] || fail "/usr/bin/switchboard-server left after removal"

if $with_console; then
    console_deb=(switchboard_"$version"-*_*.deb)
    [[ -f ${console_deb[0]} ]] || fail "cpack made no switchboard_$version .deb"
    console_deb=${console_deb[0]}
    echo "== $console_deb"
    dpkg-deb --info "$console_deb"
    [[ $(field "$console_deb" Package) == switchboard ]] || fail "wrong console package name"
    listing=$(dpkg-deb --contents "$console_deb")
    for file in ./usr/bin/switchboard \
        ./usr/share/applications/io.switchboard.Switchboard.desktop \
        ./usr/share/icons/hicolor/scalable/apps/io.switchboard.Switchboard.svg \
        ./usr/share/metainfo/io.switchboard.Switchboard.metainfo.xml; do
        grep -q " $file\$" <<<"$listing" || fail "$console_deb lacks $file"
    done
    [[ $(field "$console_deb" Depends) == *libqt6widgets6* ]] || fail "console Depends lacks Qt Widgets"
    if grep -q ' ./usr/bin/switchboard-server$' <<<"$listing"; then
        fail "the console package also ships switchboard-server"
    fi

    "${as_root[@]}" dpkg -i "$console_deb"
    installed+=(switchboard)
    printed=$(QT_QPA_PLATFORM=offscreen /usr/bin/switchboard --version)
    echo "$printed"
    [[ $printed == "switchboard $version" ]] || fail "switchboard --version printed '$printed'"
    "${as_root[@]}" dpkg -r switchboard
    installed=()
fi

echo "install-test: passed"
