#!/usr/bin/env python3
"""Bounded loopback load/soak test: mixed valid, heavy, invalid and hostile
requests at a fixed concurrency against a server build reading from a
real S3-protocol server (s3s-fs), which is frozen (SIGSTOP: connections hang,
so edgepix must time out) and then killed (connections refused) for part of
the run, and restarted.

    python3 tests/soak.py --bin target/release/edgepix --s3s-fs "$(command -v s3s-fs)" \
        --corpus ../shared/corpus [--duration 60] [--concurrency 64] [--json out.json]

Reports requests served, the status mix per kind, p50/p99 latency and the
server's peak RSS (VmHWM). Exits non-zero if the server died; answered a
valid request with anything but 200/304 while S3 was healthy; answered a
hostile or invalid request with a 5xx while S3 was healthy (other than
503/504, the designed overload answers); let any request hang past the
client timeout, or answer 500 at all; or its peak RSS exceeded the memory
budget plus the cache budget plus a fixed allowance for the runtime.

The phases (fractions of the duration): healthy 0-0.45, S3 frozen 0.45-0.6,
S3 stopped 0.6-0.7, restarted and healthy 0.7-1. Requests in flight across a
phase change, and during a short grace period after S3 returns, are counted
but not held to the healthy-S3 rule.
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from httpcheck import free_port, wait_for

KEY = "soak-signing-key-0123456789abcdef"
MEMORY_BUDGET_MIB, CACHE_MIB, RUNTIME_ALLOWANCE_MIB = 512, 64, 160
CLIENT_TIMEOUT = 15.0  # seconds; the server's own deadline is 5 s
GRACE = 3.0  # seconds after S3 comes back before the healthy rule applies again

# Small and mid-sized originals: renders are quick, so valid requests must not
# see overload; a few widths and formats, so most become cache hits.
VALID = ["photo-2mp-1920x1080.jpg", "progressive-999x999.jpg", "grayscale.jpg", "png-palette-trns.png",
         "webp-lossy.webp", "gif-static.gif", "exif-orientation-6.jpg", "icc-display-p3-8x8.png"]
HEAVY = ["photo-24mp-4000x6000.jpg", "png-rgba-2048x1536.png", "tiff-rgba-adobergb.tif", "png-16bit-rgba.png"]
BAD = sorted(["bad/" + f for f in ["bomb-gif-65535x66601.gif", "bomb-png-16384x16384.png", "broken-zlib-stream.png",
              "corrupt-entropy-data.jpg", "corrupt-header.jpg", "fuzz-oss-fuzz-36829.jpeg", "truncated-10pct.png",
              "truncated-2pct.jpg", "truncated-45pct.jpg", "zero-bytes.jpg", "text-with-jpg-extension.jpg"]])


def sign(key, canonical, exp=None):
    message = f"/{key}?{canonical}" + (f"&exp={exp}" if exp is not None else "")
    digest = hmac.new(KEY.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signed(key, canonical, exp=None):
    query = canonical + (f"&exp={exp}" if exp is not None else "")
    return f"/{key}?{query}{'&' if query else ''}s={sign(key, canonical, exp)}"


def request(rng):
    """(kind, path, extra headers). Canonical queries are written sorted."""
    roll = rng.random()
    if roll < 0.55:
        w, f = rng.choice([100, 200, 320, 480]), rng.choice(["", "f=jpeg&", "f=webp&", "f=png&"])
        exp = rng.choice([None, int(time.time()) + 3600])
        return "valid", signed(rng.choice(VALID), f"{f}w={w}", exp), {}
    if roll < 0.57:
        return "heavy", signed(rng.choice(HEAVY), f"w={rng.choice([800, 1600, 3000])}"), {}
    if roll < 0.80:
        return "hostile", signed(rng.choice(BAD), rng.choice(["", "w=400", "f=webp&w=200"])), {}
    good = signed(rng.choice(VALID), "w=200")
    return "invalid", rng.choice([
        "/photo-2mp-1920x1080.jpg?w=200",  # unsigned
        good.replace("w=200", "w=201"),  # tampered
        good + "&w=300",  # replayed with other parameters
        signed(VALID[0], "w=200", exp=int(time.time()) - 5),  # expired
        signed(VALID[0], "w=99999"),  # over the output limit
        signed(VALID[0], "h=8192&w=8192&zzz=1"),  # unknown name
        "/../etc/passwd?w=1", "/%2e%2e/secret.jpg", "/a%00b.jpg", "/photo.jpg?w=-1&s=x",
        signed("no-such-image.jpg", "w=100"),
        signed("huge-20000x14000-grey.jpg", "w=400"),  # too many pixels
    ]), {}


async def fetch(conn, path, headers):
    """One GET on a keep-alive connection: (status, body bytes)."""
    reader, writer = conn
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Accept: image/webp,*/*"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return status, body


class Phases:
    def __init__(self, start, duration):
        self.start, self.duration = start, duration
        self.edges = [(0.0, "healthy"), (0.45, "frozen"), (0.6, "stopped"), (0.7, "healthy")]

    def at(self, t):
        frac = (t - self.start) / self.duration
        name, since = "healthy", self.start
        for edge, phase in self.edges:
            if frac >= edge:
                name, since = phase, self.start + edge * self.duration
        return name, since

    def healthy_throughout(self, t0, t1):
        (a, since), (b, _) = self.at(t0), self.at(t1)
        # The first GRACE seconds are a cold cache: 64 simultaneous misses.
        settled = t0 - since >= GRACE
        return a == b == "healthy" and settled and self.at(t0)[1] == self.at(t1)[1]


async def worker(port, rng, stop_at, results, phases):
    conn = None
    while time.monotonic() < stop_at:
        kind, path, headers = request(rng)
        t0 = time.monotonic()
        try:
            if conn is None:
                conn = await asyncio.open_connection("127.0.0.1", port)
            status, body = await asyncio.wait_for(fetch(conn, path, headers), CLIENT_TIMEOUT)
            json_ok = status < 400 or body.startswith(b"{")
            if status >= 500 and json_ok:
                status = f"{status}:{json.loads(body).get('code')}"
        except asyncio.TimeoutError:
            status, json_ok = "hang", False
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            status, json_ok = "conn-error", False
        if not isinstance(status, int) or status == 400:
            # Reconnect after errors (the server may close after some answers).
            if conn is not None:
                conn[1].close()
            conn = None
        t1 = time.monotonic()
        results.append((kind, status, t1 - t0, phases.healthy_throughout(t0, t1), json_ok, path))


def rss_mib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else 0.0


async def run(args, port, server, s3_control):
    start = time.monotonic()
    phases = Phases(start, args.duration)
    results, peak_rss = [], 0.0
    rngs = [random.Random(args.seed + i) for i in range(args.concurrency)]
    workers = [asyncio.create_task(worker(port, rng, start + args.duration, results, phases)) for rng in rngs]
    state = "healthy"
    while any(not w.done() for w in workers):
        await asyncio.sleep(0.1)
        if server.poll() is None:
            peak_rss = max(peak_rss, rss_mib(server.pid, "VmHWM"))
        phase, _ = phases.at(time.monotonic())
        if phase != state:
            s3_control(phase)
            state = phase
    await asyncio.gather(*workers)
    return results, peak_rss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="target/release/edgepix")
    parser.add_argument("--s3s-fs", default="s3s-fs")
    parser.add_argument("--corpus", default="../shared/corpus")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args()
    corpus = os.path.abspath(args.corpus)
    aws = {"AWS_ACCESS_KEY_ID": "edgepix", "AWS_SECRET_ACCESS_KEY": "edgepix-secret", "AWS_REGION": "us-east-1",
           "AWS_EC2_METADATA_DISABLED": "true", "EDGEPIX_S3_PATH_STYLE": "true"}
    root = tempfile.mkdtemp(prefix="edgepix-soak-")
    os.symlink(corpus, os.path.join(root, "corpus"))
    s3_port, port = free_port(), free_port()
    procs = {}

    def start_s3():
        procs["s3"] = subprocess.Popen(
            [args.s3s_fs, "--host", "127.0.0.1", "--port", str(s3_port), "--access-key", aws["AWS_ACCESS_KEY_ID"],
             "--secret-key", aws["AWS_SECRET_ACCESS_KEY"], root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def s3_control(phase):
        print(f"{time.strftime('%T')} S3 -> {phase}", flush=True)
        s3 = procs["s3"]
        if phase == "frozen":
            s3.send_signal(signal.SIGSTOP)
        elif phase == "stopped":
            s3.send_signal(signal.SIGCONT)
            s3.kill()
            s3.wait()
        elif phase == "healthy":
            start_s3()

    env = dict(os.environ, **aws, EDGEPIX_SOURCE="s3://corpus", AWS_ENDPOINT_URL=f"http://127.0.0.1:{s3_port}",
               EDGEPIX_LISTEN=f"127.0.0.1:{port}", EDGEPIX_SIGNING_KEYS=KEY,
               EDGEPIX_MEMORY_BUDGET=f"{MEMORY_BUDGET_MIB}MiB", EDGEPIX_CACHE_BYTES=f"{CACHE_MIB}MiB",
               EDGEPIX_REQUEST_TIMEOUT_MS="5000", EDGEPIX_S3_TIMEOUT_MS="2000", EDGEPIX_S3_CONNECT_TIMEOUT_MS="500",
               EDGEPIX_ADMISSION_WAIT_MS="1000", RUST_LOG="warn")
    try:
        start_s3()
        wait_for(f"http://127.0.0.1:{s3_port}/")
        procs["server"] = server = subprocess.Popen([args.bin], env=env, stdout=subprocess.DEVNULL,
                                                    stderr=open(os.path.join(root, "server.log"), "w"))
        wait_for(f"http://127.0.0.1:{port}/healthz")
        baseline = rss_mib(server.pid, "VmRSS")
        results, peak = asyncio.run(run(args, port, server, s3_control))
        alive = server.poll() is None
        after = rss_mib(server.pid, "VmRSS") if alive else 0.0
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.kill()
    return report(args, results, peak, baseline, after, alive)


def report(args, results, peak, baseline, after, alive):
    failures = []
    mix = {}
    for kind, status, _, healthy, json_ok, path in results:
        key = f"{kind}:{status}"
        if isinstance(status, str) and status[:3].isdigit():
            status = int(status[:3])
        mix[key] = mix.get(key, 0) + 1
        why = None
        if status in ("hang", "conn-error"):
            why = status
        elif status == 500:
            why = "500"
        elif not json_ok:
            why = "error without a JSON body"
        elif healthy and kind == "valid" and status not in (200, 304):
            why = f"valid request answered {status} while S3 was healthy"
        elif healthy and kind in ("hostile", "invalid") and status >= 500 and status not in (503, 504):
            why = f"{kind} request answered {status} while S3 was healthy"
        if why:
            failures.append(f"{why} ({key}): {path}")
    limit = MEMORY_BUDGET_MIB + CACHE_MIB + RUNTIME_ALLOWANCE_MIB
    if peak > limit:
        failures.append(f"peak RSS {peak:.0f} MiB over {limit} MiB")
    if not alive:
        failures.append("the server died")
    latencies = [r[2] for r in results]
    valid = [r[2] for r in results if r[0] == "valid"]
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "duration_s": args.duration, "concurrency": args.concurrency,
        "requests": len(results), "rps": round(len(results) / args.duration, 1),
        "status_mix": dict(sorted(mix.items())),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1), "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "valid_p50_ms": round(percentile(valid, 0.5) * 1000, 1),
        "valid_p99_ms": round(percentile(valid, 0.99) * 1000, 1),
        "baseline_rss_mib": round(baseline, 1), "peak_rss_mib": round(peak, 1), "rss_after_mib": round(after, 1),
        "rss_limit_mib": limit, "failures": len(failures),
    }
    print(json.dumps(summary, indent=2))
    for failure in sorted(set(failures))[:30]:
        print("FAIL", failure)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
