#!/usr/bin/env bash
# Installs what Switchboard needs to build, test and run on Debian 12 / Ubuntu 22.04+.
# Idempotent: packages already present are left alone. Needs root or sudo.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config clang-format
    qt6-base-dev libqt6opengl6-dev qt6-websockets-dev qt6-httpserver-dev qt6-charts-dev
    qt6-svg-dev libqt6sql6-sqlite qt6-tools-dev qt6-l10n-tools qt6-translations-l10n
    libjwt-dev libyaml-cpp-dev
    # a validating JSON parser for the hot path of a publish (simdjson; Qt's JSON for the rest)
    libsimdjson-dev
    # several nodes as one hub (SPEC §12): hiredis and its Qt adapter; the tests start real
    # redis-server processes on free loopback ports
    libhiredis-dev redis-server redis-tools
    # runtime pieces the tests and the console use
    qt6-qpa-plugins xvfb xauth dbus curl
    # the seed documents' own example clients, run unchanged by the tests
    python3 python3-websockets
    # security: the JWT secret in the OS keychain (tested against a real gnome-keyring), keys
    # and certificates made at test time, libFuzzer targets (clang with its runtimes)
    qtkeychain-qt6-dev gnome-keyring openssl clang libclang-rt-dev
    # packaging: rpmbuild for `cpack -G RPM` (and rpm to inspect the result), systemd-analyze
    # to verify the server's unit (it works without systemd running), and what the server
    # package's maintainer scripts use: adduser (its system user), init-system-helpers
    # (deb-systemd-helper)
    rpm systemd adduser init-system-helpers
    # the bench: libssl for the load generator's wss clients and the raw reference's SHA-1
    libssl-dev
    # a real reverse proxy in front of the hub, for the trusted-proxy tests
    nginx
)
# The web dashboard: Node.js and npm fetch its npm packages, Chromium runs its browser tests.
# Node.js may come from elsewhere (NodeSource's nodejs carries npm): only a missing command
# asks for Debian's package.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
packages+=(chromium fonts-dejavu-core)

# The dashboard's npm packages (web/package-lock.json), unless web/node_modules already holds
# them (npm records what it installed in node_modules/.package-lock.json).
web_packages() {
    local web_dir
    web_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)"
    [[ "$web_dir/node_modules/.package-lock.json" -nt "$web_dir/package-lock.json" ]] && return 0
    echo "install-deps: npm ci in web/"
    (cd "$web_dir" && npm ci --no-audit --no-fund)
}

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: everything is installed"
    web_packages
    exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    as_root=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
web_packages
