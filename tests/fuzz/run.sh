#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in their own build folder, replays the
# inputs that once crashed them (regressions/<target>/), then fuzzes each target for a bounded
# time from its seed corpus (corpus/<target>/). New crashing inputs are left in
# <build>/findings/<target>/ and fail the run.
#
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [BUILD_DIR]      (defaults: 60, build-fuzz)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-60}"
build="${2:-$root/build-fuzz}"
targets=(fuzz_dialects fuzz_token fuzz_http_bodies fuzz_websocket)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DSWITCHBOARD_FUZZ=ON -DSWITCHBOARD_TESTS=OFF \
    -DSWITCHBOARD_GUI=OFF -DSWITCHBOARD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" --target "${targets[@]}" -j"$(nproc)"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export QT_NO_GLIB=1 QT_LOGGING_RULES="*.debug=false;*.info=false;*.warning=false"
status=0
for target in "${targets[@]}"; do
    binary="$build/tests/fuzz/$target"
    regressions="$here/regressions/$target"
    if [[ -d "$regressions" ]] && compgen -G "$regressions/*" >/dev/null; then
        echo "== $target: replaying regressions"
        "$binary" "$regressions"/* || status=1
    fi
    echo "== $target: fuzzing for ${seconds}s"
    corpus="$build/corpus/$target"
    findings="$build/findings/$target"
    mkdir -p "$corpus" "$findings"
    cp -n "$here/corpus/$target"/* "$corpus"/ 2>/dev/null || true
    if ! "$binary" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=65536 \
        -artifact_prefix="$findings/" -print_final_stats=1 "$corpus" 2>"$build/$target.log"; then
        status=1
        tail -n 40 "$build/$target.log"
        echo "== $target: FAILED; the input is in $findings (copy it to $regressions)"
    else
        grep -E "^stat::number_of_executed_units|^Done" "$build/$target.log" || true
    fi
done
exit $status
