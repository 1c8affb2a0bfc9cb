#!/usr/bin/env bash
# GUI lag under load (issue 6): starts the desktop console (`switchboard --demo`) under
# xvfb-run with `--measure-lag`, runs the loadgen's S2 scenario against the console's own hub,
# then closes the console and prints how late its 16 ms GUI timer fired (p50/p99/max).
#
#   bench/console-lag.sh [--console PATH] [--loadgen PATH] [-- loadgen options]
#
# Needs xvfb-run (and xauth). Builds nothing: build `switchboard` and `switchboard-loadgen`
# first (see bench/README.md). Everything runs on 127.0.0.1 and stops by itself.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
console="$repo/build/app/switchboard"
loadgen="$repo/build/bench/switchboard-loadgen"
loadgen_args=()
while (($#)); do
    case $1 in
    --console) console=$2; shift 2 ;;
    --loadgen) loadgen=$2; shift 2 ;;
    --) shift; loadgen_args=("$@"); break ;;
    *) echo "usage: $0 [--console PATH] [--loadgen PATH] [-- loadgen options]" >&2; exit 2 ;;
    esac
done

out=$(mktemp -d /tmp/switchboard-console-lag.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export HOME="$out/home" XDG_CONFIG_HOME="$out/home/.config"
mkdir -p "$HOME"

cat > "$out/run.sh" <<INNER
#!/usr/bin/env bash
set -u
QT_NO_GLIB=1 JWT_SECRET_KEY=switchboard-bench-only-not-a-secret-0123456789abcdef "$console" --demo --auth off --bind 127.0.0.1 --port $port \
    --max-connections-per-ip 1000000 --requests-per-minute 1000000000 --requests-per-hour 1000000000 \
    --anonymous-requests-per-minute-per-address 1000000000 \
    --data-dir "$out/data" --measure-lag "$out/lag.json" > "$out/console.log" 2>&1 &
pid=\$!
for _ in \$(seq 100); do
    curl -sf "http://127.0.0.1:$port/health" > /dev/null && break
    sleep 0.1
done
ulimit -n \$(ulimit -Hn)
timeout --signal=INT --kill-after=10 600 "$loadgen" --port $port --server-pid \$pid \
    --scenario S2 ${loadgen_args[@]+"${loadgen_args[@]}"} > "$out/loadgen.txt" 2>&1
status=\$?
kill -TERM \$pid
wait \$pid
exit \$status
INNER
chmod +x "$out/run.sh"
ulimit -n "$(ulimit -Hn)"
status=0
xvfb-run -a -s "-screen 0 1440x900x24" "$out/run.sh" || status=$?

grep -E "best|passed|delivered/s" "$out/loadgen.txt" | tail -3 || true
echo "GUI timer lag while S2 ran (16 ms timer, lateness per tick):"
cat "$out/lag.json"
echo "logs and results: $out"
exit $status
