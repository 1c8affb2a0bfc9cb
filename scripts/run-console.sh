#!/usr/bin/env bash
# Installs what is missing, builds, and opens the Switchboard console with the demo feed.
#   scripts/run-console.sh [extra switchboard options...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHBOARD_TESTS=OFF
cmake --build build --target switchboard

# The hub keeps its token key in the desktop's keychain. A machine without a desktop session
# has none: the demo then gets a key for this run only, and says so.
if [[ -z ${JWT_SECRET_KEY:-} && -z ${DBUS_SESSION_BUS_ADDRESS:-} ]]; then
    echo "run-console: no keychain (no D-Bus session); using a token key for this run only" >&2
    JWT_SECRET_KEY=$(openssl rand -hex 32)
    export JWT_SECRET_KEY
fi

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
    echo "run-console: no display found; starting the console under Xvfb" >&2
    exec xvfb-run -a -s "-screen 0 1440x900x24" build/app/switchboard --demo "$@"
fi
exec build/app/switchboard --demo "$@"
