#!/usr/bin/env bash
# Runs the bench scenarios against a switchboard-server (or, with --reference, a reference server
# for comparison) started here, on 127.0.0.1 only.
# Builds nothing: build the server and switchboard-loadgen first (see bench/README.md).
#
#   bench/run.sh [options] [SCENARIO...]          SCENARIO: S1L S1 S2 S3 custom all (default all)
#
#   --server PATH     switchboard-server   (default: build/app/switchboard-server)
#   --reference NAME  run a reference server instead of switchboard-server, for comparison.
#                     NAME: node-ws (Node's ws library, bench/reference/node-ws/server.mjs;
#                     install it first with `npm ci --prefix bench/reference/node-ws`)
#   --loadgen PATH    switchboard-loadgen  (default: build/bench/switchboard-loadgen)
#   --out DIR         where results and server logs go (default: a new directory under /tmp)
#   --one-server      run every scenario against one server (default: a fresh server each)
#   --                everything after it goes to switchboard-loadgen (e.g. -- --seconds 5)
#
# Environment: SERVER_ARGS adds arguments to the server's command line (the reference's too).
# Each scenario is bounded (switchboard-loadgen --max-seconds, then `timeout`); the server is
# stopped with SIGTERM (SIGKILL if it has not exited 10 s later) whatever happens.

set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server="$repo/build/app/switchboard-server"
loadgen="$repo/build/bench/switchboard-loadgen"
out=""
reference=""
one_server=0
scenarios=()
loadgen_args=()

while [[ $# -gt 0 ]]; do
    case "$1" in
    --server) server=$2; shift 2 ;;
    --reference) reference=$2; shift 2 ;;
    --loadgen) loadgen=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --one-server) one_server=1; shift ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; loadgen_args=("$@"); break ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) scenarios+=("$1"); shift ;;
    esac
done
[[ ${#scenarios[@]} -eq 0 || " ${scenarios[*]} " == *" all "* ]] && scenarios=(S1L S1 S2 S3)

reference_dir=""
case "$reference" in
"") ;;
node-ws)
    reference_dir="$repo/bench/reference/node-ws"
    command -v node >/dev/null || {
        echo "run.sh: --reference node-ws needs node (Node.js 18 or later) on the PATH" >&2
        exit 2
    }
    if [[ ! -d "$reference_dir/node_modules/ws" ]]; then
        echo "run.sh: $reference_dir/node_modules is missing; install the reference first:" >&2
        echo "        npm ci --prefix bench/reference/node-ws" >&2
        exit 2
    fi
    ;;
*) echo "run.sh: unknown reference server '$reference' (known: node-ws)" >&2; exit 2 ;;
esac

programs=("$loadgen")
[[ -z "$reference" ]] && programs=("$server" "$loadgen")
for program in "${programs[@]}"; do
    if [[ ! -x "$program" ]]; then
        echo "run.sh: $program is missing or not executable; build it first (bench/README.md)" >&2
        exit 2
    fi
done
command -v curl >/dev/null || { echo "run.sh: curl is needed to wait for GET /health" >&2; exit 2; }

out=${out:-$(mktemp -d /tmp/switchboard-bench.XXXXXX)}
mkdir -p "$out"
# 10,000 idle connections need as many descriptors in the server and in the generator.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

server_pid=""
server_port=""
data_dir=""

stop_server() {
    [[ -n "$server_pid" ]] || return 0
    if kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$server_pid" 2>/dev/null; then
            echo "run.sh: server did not exit 10 s after SIGTERM; killing it" >&2
            kill -KILL "$server_pid" 2>/dev/null || true
        fi
    fi
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    [[ -n "$data_dir" ]] && rm -rf "$data_dir"
    data_dir=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts the reference server (--reference) on port $1 in the background; the log goes to $2.
start_reference() {
    local port=$1 log=$2
    case "$reference" in
    node-ws)
        # shellcheck disable=SC2086 # SERVER_ARGS is split on purpose
        node "$reference_dir/server.mjs" --bind 127.0.0.1 --port "$port" ${SERVER_ARGS:-} \
            >"$log" 2>&1 &
        ;;
    esac
    server_pid=$!
}

# Starts the server on a free port and waits for GET /health; the log goes to $1.
start_server() {
    local log=$1 attempt port
    local extra=()
    # The bench must not touch the user's data directory or keychain.
    data_dir=$(mktemp -d /tmp/switchboard-bench-data.XXXXXX)
    if [[ -z "$reference" ]] && "$server" --help 2>&1 | grep -q -- '--data-dir'; then
        extra+=(--data-dir "$data_dir")
    fi
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 12000))
        port_is_free "$port" || continue
        if [[ -n "$reference" ]]; then
            start_reference "$port" "$log"
        else
            # shellcheck disable=SC2086 # SERVER_ARGS is split on purpose
            QT_NO_GLIB=1 JWT_SECRET_KEY=switchboard-bench-only-not-a-secret-0123456789abcdef \
                "$server" --bind 127.0.0.1 --port "$port" --auth off "${extra[@]}" \
                    --max-connections-per-ip 1000000 --requests-per-minute 1000000000 \
                    --requests-per-hour 1000000000 ${SERVER_ARGS:-} \
                >"$log" 2>&1 &
            server_pid=$!
        fi
        for _ in $(seq 100); do
            if curl -fsS -m 1 "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
                server_port=$port
                return 0
            fi
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        echo "run.sh: server did not become healthy on port $port (attempt $attempt):" >&2
        tail -n 5 "$log" >&2 || true
        stop_server
        data_dir=$(mktemp -d /tmp/switchboard-bench-data.XXXXXX)
    done
    echo "run.sh: could not start ${reference:+the $reference reference server at }${reference_dir:-$server}" >&2
    return 1
}

run_loadgen() {
    local label=$1
    shift
    local status=0
    timeout --signal=INT --kill-after=10 900 "$loadgen" --port "$server_port" \
        --server-pid "$server_pid" --max-seconds 600 --json-out "$out/$label.json" \
        "$@" "${loadgen_args[@]}" | tee "$out/$label.txt" || status=$?
    return "$status"
}

echo "machine:  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(uname -sr)"
if [[ -n "$reference" ]]; then
    echo "server:   reference $reference: $reference_dir/server.mjs (node $(node --version), ws $(node -p 'require(process.argv[1]).version' "$reference_dir/node_modules/ws/package.json" 2>/dev/null || echo '?'))"
else
    echo "server:   $server ($("$server" --version 2>/dev/null | head -n1 || echo 'version unknown'))"
fi
echo "loadgen:  $loadgen"
echo "results:  $out"
echo

failures=0
if [[ $one_server -eq 1 ]]; then
    start_server "$out/server.log"
    list=$(IFS=,; echo "${scenarios[*]}")
    run_loadgen all --scenario "$list" || failures=$((failures + 1))
    stop_server
else
    for scenario in "${scenarios[@]}"; do
        start_server "$out/server-$scenario.log"
        run_loadgen "$scenario" --scenario "$scenario" || failures=$((failures + 1))
        stop_server
        echo
    done
fi

# One JSON document with every run, for machines.
{
    echo '{"runs":['
    first=1
    for file in "$out"/*.json; do
        [[ "$(basename "$file")" == results.json ]] && continue
        [[ $first -eq 1 ]] || echo ','
        first=0
        cat "$file"
    done
    echo ']}'
} >"$out/.results.json.partial"
mv "$out/.results.json.partial" "$out/results.json"

echo "summary                  (details above; logs and JSON in $out)"
for scenario in "${scenarios[@]}"; do
    file="$out/$scenario.txt"
    [[ $one_server -eq 1 ]] && file="$out/all.txt"
    [[ -f "$file" ]] || continue
    awk -v want="$scenario" '
        /^[A-Za-z0-9]+  / { name = $1 }
        name == want && /^  ERROR / { sub(/^  ERROR +/, ""); error = $0 }
        name == want && /^  result / { sub(/^  result +/, ""); result = $0 }
        name == want && /^  target / { n = split($0, parts, ": "); verdict = parts[n] }
        END {
            if (verdict == "") verdict = (error != "" ? "ERROR" : "-")
            printf "%-7s %-12s %s%s\n", want, verdict, result, (error != "" ? "  [" error "]" : "")
        }' "$file"
done
echo "JSON: $out/results.json"
exit $((failures > 0 ? 1 : 0))
