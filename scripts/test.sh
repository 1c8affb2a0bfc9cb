#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole test suite.
#   scripts/test.sh             regular build in build-test/
#   scripts/test.sh --sanitize  AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build-test
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [[ ${1:-} == --sanitize ]]; then
    build_dir=build-asan
    cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DSWITCHBOARD_SANITIZE=ON)
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
fi

scripts/install-deps.sh
cmake -S . -B "$build_dir" -G Ninja -DSWITCHBOARD_WERROR=ON -DSWITCHBOARD_TESTS=ON "${cmake_args[@]}"
cmake --build "$build_dir" -j "$(nproc)"
cd "$build_dir"
ctest --output-on-failure --timeout 600 -j 2
