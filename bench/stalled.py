#!/usr/bin/env python3
"""What clients that stop reading cost the server: its RSS growth while it holds frames for them.

    python3 bench/stalled.py --server build/app/switchboard-server [--clients 200]
                             [--events 30000] [--payload 200]

Starts the server (no authentication, an outbound cap of 64 MiB so that no one is cut off, a
fresh data folder, a free loopback port), opens --clients WebSocket connections that subscribe
to one topic and then never read, publishes --events events with a --payload-byte pad to that
topic over REST (batches of 500), waits 2 s, and prints the server's RSS growth beside what it
reports holding for those clients (`outbound_bytes` in /api/v1/ws/stats/detailed: frames the
kernel's buffers did not take). Everything goes to 127.0.0.1 and stops by itself.

Standard library only: a Python client is plenty for a memory figure (it is not a rate test).
"""

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HANDSHAKE = (
    b"GET /ws/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
)
TOPIC = "stalled"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def resident_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for the server")


def masked_text(text):
    data = text.encode()
    assert len(data) < 126
    return bytes([0x81, 0x80 | len(data)]) + b"\0\0\0\0" + data  # mask key 0: payload as is


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as reply:
        return json.loads(reply.read())


def post(port, path, body):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        reply.read()


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"stalled.py: timed out waiting for {what}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True, help="switchboard-server binary")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--events", type=int, default=30000)
    parser.add_argument("--payload", type=int, default=200, help="bytes of pad per event")
    options = parser.parse_args()

    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = subprocess.Popen(
            [options.server, "--bind", "127.0.0.1", "--port", str(port), "--auth", "off",
             "--data-dir", data_dir, "--outbound-buffer-bytes", str(64 * 1024 * 1024),
             "--max-connections-per-ip", "1000000",
             "--requests-per-minute", "1000000000", "--requests-per-hour", "1000000000",
             "--anonymous-requests-per-minute-per-address", "1000000000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        clients = []
        try:
            wait_until(lambda: get(port, "/health") is not None, 10, "the server")
            for _ in range(options.clients):
                client = socket.create_connection(("127.0.0.1", port))
                client.sendall(HANDSHAKE)
                head = b""
                while b"\r\n\r\n" not in head:  # the answer's head only; nothing after it
                    head += client.recv(1)
                client.sendall(masked_text(f'{{"type":"subscribe","data":{{"topics":["{TOPIC}"]}}}}'))
                clients.append(client)
            wait_until(
                lambda: get(port, "/api/v1/ws/stats/detailed")["per_topic"]
                .get(TOPIC, {}).get("subscribers", 0) == options.clients,
                30, "the subscriptions")
            before = resident_kib(server.pid)
            pad = "x" * options.payload
            sent = 0
            while sent < options.events:
                count = min(500, options.events - sent)
                post(port, "/api/v1/publish",
                     [{"topic": TOPIC, "type": "tick", "data": {"i": sent + k, "pad": pad}}
                      for k in range(count)])
                sent += count
            time.sleep(2)  # a measurement pause, not synchronisation: the figures are read after it
            after = resident_kib(server.pid)
            stats = get(port, "/api/v1/ws/stats/detailed")
            held = [c["outbound_bytes"] for c in stats["per_connection"] if TOPIC in c["topics"]]
        finally:
            for client in clients:
                client.close()
            server.terminate()
            server.wait(timeout=30)

    mib = 1024 * 1024
    print(f"stalled: {options.clients} clients that stopped reading, {options.events} events "
          f"with a {options.payload}-byte pad")
    print(f"  server RSS    {before / 1024:.1f} -> {after / 1024:.1f} MiB "
          f"(+{(after - before) / 1024:.1f} MiB)")
    print(f"  held for them {sum(held) / mib:.1f} MiB in all, "
          f"{sum(held) / max(len(held), 1) / mib:.2f} MiB each ({len(held)} still connected)")


if __name__ == "__main__":
    main()
