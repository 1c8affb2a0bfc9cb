#!/usr/bin/env bash
# Runs the bench scenarios against a switchboard-server (or a reference server) started here, on
# 127.0.0.1 only; with --compare, against several servers in turn, run by run.
# Builds nothing: build the server, switchboard-loadgen and switchboard-raw-reference first
# (see bench/README.md).
#
#   bench/run.sh [options] [SCENARIO...]
#
#   SCENARIO: S1L S1 S2 S3 S4 REST churn wss soak growth custom cluster-S1L cluster-S2
#             cluster, or all (the default: S1L S1 S2 S3 S4 REST). growth runs
#             growth-connections, -subscriptions, -topics, -events and -dialects, each against
#             a fresh server. cluster-S1L and cluster-S2 run S1L and S2 against two nodes and a
#             redis-server started here (subscribers split over the nodes, the publisher on the
#             first); cluster runs S1L cluster-S1L S2 cluster-S2, so that every cluster figure
#             has the single-node one of the same session beside it.
#
#   --server PATH     switchboard-server            (default: build/app/switchboard-server)
#   --loadgen PATH    switchboard-loadgen           (default: build/bench/switchboard-loadgen)
#   --raw PATH        switchboard-raw-reference     (default: build/bench/switchboard-raw-reference)
#   --redis-server PATH  redis-server for the cluster scenarios (default: the one on the PATH)
#   --reference NAME  run a reference server instead of switchboard-server. NAME: raw (the
#                     single-threaded epoll server, bench/reference/raw-epoll) or node-ws (Node's
#                     ws library; install it first: npm ci --prefix bench/reference/node-ws)
#   --compare LIST    interleaved comparison of servers, e.g. switchboard,raw,node-ws: run k of
#                     every scenario goes to each server in turn (the order rotates by run), and
#                     the summary gives every run, the median per server and the ratio to raw
#   --runs N          runs of each scenario per server and ACK mode (default 1; 5 with --compare)
#   --acks LIST       quick, delayed or quick,delayed: how the clients acknowledge (default quick;
#                     quick,delayed with --compare, quick being the headline)
#   --out DIR         where results and server logs go (default: a new directory under /tmp)
#   --one-server      run every scenario against one server (not with --compare)
#   --                everything after it goes to switchboard-loadgen (e.g. -- --seconds 5)
#
# Environment: SERVER_ARGS adds arguments to the server's command line (a reference's too).
# churn, soak and growth-dialects run switchboard-server with --auth required and a
# JWT_SECRET_KEY that the generator signs its tokens with; wss runs it with a self-signed
# certificate made for the run.
# Each run is bounded (switchboard-loadgen --max-seconds, then `timeout`); the server is stopped
# with SIGTERM (SIGKILL if it has not exited 10 s later) whatever happens.

set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server="$repo/build/app/switchboard-server"
loadgen="$repo/build/bench/switchboard-loadgen"
raw="$repo/build/bench/switchboard-raw-reference"
node_dir="$repo/bench/reference/node-ws"
redis_server=$(command -v redis-server || echo redis-server)
out=""
reference=""
compare=""
runs=""
acks=""
one_server=0
scenarios=()
loadgen_args=()
# Never a real secret: it signs tokens for a server that lives for one run on 127.0.0.1.
bench_secret="switchboard-bench-only-not-a-secret-0123456789abcdef"

while [[ $# -gt 0 ]]; do
    case "$1" in
    --server) server=$2; shift 2 ;;
    --loadgen) loadgen=$2; shift 2 ;;
    --raw) raw=$2; shift 2 ;;
    --redis-server) redis_server=$2; shift 2 ;;
    --reference) reference=$2; shift 2 ;;
    --compare) compare=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --acks) acks=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --one-server) one_server=1; shift ;;
    -h | --help) sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; loadgen_args=("$@"); break ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) scenarios+=("$1"); shift ;;
    esac
done
[[ ${#scenarios[@]} -eq 0 || " ${scenarios[*]} " == *" all "* ]] && scenarios=(S1L S1 S2 S3 S4 REST)
# growth: one part per fresh server.
expanded=()
for scenario in "${scenarios[@]}"; do
    if [[ $scenario == growth ]]; then
        expanded+=(growth-connections growth-subscriptions growth-topics growth-events growth-dialects)
    elif [[ $scenario == cluster ]]; then
        expanded+=(S1L cluster-S1L S2 cluster-S2)
    else
        expanded+=("$scenario")
    fi
done
scenarios=("${expanded[@]}")

if [[ -n "$compare" && -n "$reference" ]]; then
    echo "run.sh: --compare and --reference exclude each other" >&2
    exit 2
fi
if [[ -n "$compare" ]]; then
    IFS=, read -r -a servers <<<"$compare"
    runs=${runs:-5}
    acks=${acks:-quick,delayed}
    one_server=0
else
    servers=("${reference:-switchboard}")
    runs=${runs:-1}
    acks=${acks:-quick}
fi
IFS=, read -r -a ack_modes <<<"$acks"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs must be a positive number" >&2; exit 2; }
for mode in "${ack_modes[@]}"; do
    [[ $mode == quick || $mode == delayed ]] || { echo "run.sh: --acks takes quick and/or delayed" >&2; exit 2; }
done

needed=("$loadgen")
for name in "${servers[@]}"; do
    case "$name" in
    switchboard) needed+=("$server") ;;
    raw) needed+=("$raw") ;;
    node-ws)
        command -v node >/dev/null || {
            echo "run.sh: node-ws needs node (Node.js 18 or later) on the PATH" >&2
            exit 2
        }
        if [[ ! -d "$node_dir/node_modules/ws" ]]; then
            echo "run.sh: $node_dir/node_modules is missing; install the reference first:" >&2
            echo "        npm ci --prefix bench/reference/node-ws" >&2
            exit 2
        fi
        ;;
    *) echo "run.sh: unknown server '$name' (known: switchboard, raw, node-ws)" >&2; exit 2 ;;
    esac
done
for program in "${needed[@]}"; do
    if [[ ! -x "$program" ]]; then
        echo "run.sh: $program is missing or not executable; build it first (bench/README.md)" >&2
        exit 2
    fi
done
if [[ " ${scenarios[*]} " == *" cluster-"* ]]; then
    [[ $one_server -eq 0 ]] || { echo "run.sh: the cluster scenarios start their own servers (not with --one-server)" >&2; exit 2; }
    if [[ " ${servers[*]} " != " switchboard " ]]; then
        echo "run.sh: the cluster scenarios run switchboard-server only (not with --reference or --compare)" >&2
        exit 2
    fi
    [[ -x "$(command -v "$redis_server")" ]] || {
        echo "run.sh: the cluster scenarios need redis-server (apt install redis-server, or --redis-server PATH)" >&2
        exit 2
    }
fi
command -v curl >/dev/null || { echo "run.sh: curl is needed to wait for GET /health" >&2; exit 2; }
command -v python3 >/dev/null || { echo "run.sh: python3 is needed for the summary" >&2; exit 2; }

out=${out:-$(mktemp -d /tmp/switchboard-bench.XXXXXX)}
mkdir -p "$out"
# 19,000 idle connections need as many descriptors in the server and in the generator.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

server_pid=""
server_port=""
server_scheme=http
server_auth=off # the running server's --auth: the generator signs in only where it is required
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
port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A cluster run: node b and the redis-server beside the server above (node a).
node_args=()
node_b_pid=""
node_b_port=""
node_b_data=""
redis_pid=""
redis_port=""
redis_dir=""

stop_cluster() {
    local pid
    for pid in "$node_b_pid" "$redis_pid"; do
        [[ -n "$pid" ]] || continue
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    node_b_pid=""
    redis_pid=""
    node_args=()
    [[ -n "$node_b_data" ]] && rm -rf "$node_b_data"
    [[ -n "$redis_dir" ]] && rm -rf "$redis_dir"
    node_b_data=""
    redis_dir=""
}
trap 'stop_server; stop_cluster' EXIT
trap 'exit 130' INT TERM

# Starts a redis-server without persistence on a free loopback port, then node b and node a
# (the server above) on it; logs under $1.
start_cluster() {
    local prefix=$1 attempt port
    redis_dir=$(mktemp -d /tmp/switchboard-bench-redis.XXXXXX)
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 12000))
        port_is_free "$port" || continue
        "$redis_server" --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
            --dir "$redis_dir" --daemonize no >"$prefix-redis.log" 2>&1 &
        redis_pid=$!
        for _ in $(seq 50); do
            port_is_free "$port" || { redis_port=$port; break 2; }
            kill -0 "$redis_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -TERM "$redis_pid" 2>/dev/null || true
        wait "$redis_pid" 2>/dev/null || true
        redis_pid=""
    done
    [[ -n "$redis_pid" ]] || { echo "run.sh: could not start redis-server" >&2; return 1; }
    node_args=(--redis "redis://127.0.0.1:$redis_port" --node-name b)
    start_server switchboard "$scenario" "$prefix-node-b.log" || return 1
    node_b_pid=$server_pid
    node_b_port=$server_port
    node_b_data=$data_dir
    server_pid=""
    data_dir=""
    node_args=(--redis "redis://127.0.0.1:$redis_port" --node-name a)
    start_server switchboard "$scenario" "$prefix-server.log"
}

# A self-signed certificate for wss, made once per run.sh.
tls_files() {
    if [[ ! -f "$out/tls/cert.pem" ]]; then
        command -v openssl >/dev/null || { echo "run.sh: wss needs openssl" >&2; return 1; }
        mkdir -p "$out/tls"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
            -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
            -keyout "$out/tls/key.pem" -out "$out/tls/cert.pem" >/dev/null 2>&1
    fi
}

# Whether server $1 can run scenario $2 (the references speak only the native protocol's part
# the generator uses: no TLS, no jobs, no other dialects).
supports() {
    local name=$1 scenario=$2
    [[ $name == switchboard ]] && return 0
    case "$scenario" in
    wss | soak | growth-dialects) return 1 ;;
    *) return 0 ;;
    esac
}

# Starts server $1 for scenario $2 on a free port and waits for GET /health; log in $3.
start_server() {
    local name=$1 scenario=$2 log=$3 attempt port
    local extra=()
    server_scheme=http server_auth=off
    case "$scenario" in
    churn | soak | growth-dialects) server_auth=required ;;
    wss)
        tls_files
        extra+=(--tls-cert "$out/tls/cert.pem" --tls-key "$out/tls/key.pem")
        server_scheme=https
        ;;
    esac
    # The bench must not touch the user's data directory or keychain.
    data_dir=$(mktemp -d /tmp/switchboard-bench-data.XXXXXX)
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 12000))
        port_is_free "$port" || continue
        case "$name" in
        switchboard)
            # shellcheck disable=SC2086 # SERVER_ARGS is split on purpose
            QT_NO_GLIB=1 JWT_SECRET_KEY=$bench_secret \
                "$server" --bind 127.0.0.1 --port "$port" --auth "$server_auth" --data-dir "$data_dir" \
                    --max-connections-per-ip 1000000 --requests-per-minute 1000000000 \
                    --requests-per-hour 1000000000 \
                    --anonymous-requests-per-minute-per-address 1000000000 "${extra[@]}" "${node_args[@]}" ${SERVER_ARGS:-} \
                >"$log" 2>&1 &
            ;;
        raw)
            # shellcheck disable=SC2086
            "$raw" --bind 127.0.0.1 --port "$port" ${SERVER_ARGS:-} >"$log" 2>&1 &
            ;;
        node-ws)
            # shellcheck disable=SC2086
            node "$node_dir/server.mjs" --bind 127.0.0.1 --port "$port" ${SERVER_ARGS:-} \
                >"$log" 2>&1 &
            ;;
        esac
        server_pid=$!
        for _ in $(seq 100); do
            if curl -kfsS -m 1 "$server_scheme://127.0.0.1:$port/health" >/dev/null 2>&1; then
                server_port=$port
                return 0
            fi
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        echo "run.sh: $name did not become healthy on port $port (attempt $attempt):" >&2
        tail -n 5 "$log" >&2 || true
        stop_server
        data_dir=$(mktemp -d /tmp/switchboard-bench-data.XXXXXX)
    done
    echo "run.sh: could not start $name" >&2
    return 1
}

# Runs the generator: label $1, ACK mode $2, then its scenario arguments.
run_loadgen() {
    local label=$1 mode=$2
    shift 2
    local status=0 extra=() secret=""
    [[ " $* " == *" soak "* ]] && extra+=(--soak-csv "$out/$label-rss.csv")
    # Only where the server requires sign-in: elsewhere a token would only cost the hub time.
    [[ $server_auth == required ]] && secret=$bench_secret
    JWT_SECRET_KEY=$secret timeout --signal=INT --kill-after=10 7500 "$loadgen" \
        --port "$server_port" --server-pid "$server_pid" --max-seconds 7200 --acks "$mode" \
        --json-out "$out/$label.json" "${extra[@]}" "$@" "${loadgen_args[@]}" \
        | tee "$out/$label.txt" || status=$?
    return "$status"
}

echo "machine:  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(uname -sr)"
for name in "${servers[@]}"; do
    case "$name" in
    switchboard) echo "server:   switchboard: $server ($("$server" --version 2>/dev/null | head -n1 || echo 'version unknown'))" ;;
    raw) echo "server:   raw: $raw (single-threaded epoll, one frame per event, writev per socket)" ;;
    node-ws) echo "server:   node-ws: $node_dir/server.mjs (node $(node --version), ws $(node -p 'require(process.argv[1]).version' "$node_dir/node_modules/ws/package.json" 2>/dev/null || echo '?'))" ;;
    esac
done
echo "loadgen:  $loadgen"
echo "runs:     $runs per scenario, server and ACK mode (${acks}); scenarios: ${scenarios[*]}"
echo "results:  $out"
echo

manifest="$out/manifest.tsv"
: >"$manifest"
failures=0

if [[ $one_server -eq 1 ]]; then
    name=${servers[0]}
    start_server "$name" "${scenarios[0]}" "$out/$name-server.log"
    list=$(IFS=,; echo "${scenarios[*]}")
    for mode in "${ack_modes[@]}"; do
        label="$name-all-$mode"
        run_loadgen "$label" "$mode" --scenario "$list" || failures=$((failures + 1))
        printf '%s\t%s\t%s\t%s\t%s\n' "$name" all "$mode" 1 "$label.json" >>"$manifest"
    done
    stop_server
else
    for run in $(seq "$runs"); do
        # The order of the servers turns by one each run, so none is always first or last.
        count=${#servers[@]}
        order=()
        for i in $(seq 0 $((count - 1))); do
            order+=("${servers[$(((i + run - 1) % count))]}")
        done
        for scenario in "${scenarios[@]}"; do
            for name in "${order[@]}"; do
                if ! supports "$name" "$scenario"; then
                    [[ $run -eq 1 ]] && echo "run.sh: $scenario is not run against $name (it needs what only the hub has)"
                    continue
                fi
                for mode in "${ack_modes[@]}"; do
                    label="$name-$scenario-$mode-run$run"
                    echo "== $scenario on $name, $mode ACKs, run $run of $runs"
                    if [[ $scenario == cluster-* ]]; then
                        # Two nodes and Redis: subscribers on both, the publisher on a.
                        if start_cluster "$out/$label"; then
                            run_loadgen "$label" "$mode" --scenario "${scenario#cluster-}" \
                                --subscriber-ports "$server_port,$node_b_port" \
                                --peer-pids "$node_b_pid,$redis_pid" --redis-port "$redis_port" \
                                || failures=$((failures + 1))
                            printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$scenario" "$mode" "$run" "$label.json" >>"$manifest"
                        else
                            failures=$((failures + 1))
                        fi
                        stop_server
                        stop_cluster
                    elif start_server "$name" "$scenario" "$out/$label-server.log"; then
                        run_loadgen "$label" "$mode" --scenario "$scenario" || failures=$((failures + 1))
                        printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$scenario" "$mode" "$run" "$label.json" >>"$manifest"
                        stop_server
                    else
                        failures=$((failures + 1))
                        stop_server
                    fi
                    echo
                done
            done
        done
    done
fi

python3 "$repo/bench/summarize.py" "$out" | tee "$out/summary.txt"
exit $((failures > 0 ? 1 : 0))
