#!/usr/bin/env python3
"""CPU time per resize of the release server: the input of infra/cost.py.

Usage: python3 benches/cpu_per_image.py target/release/edgepix ../shared/corpus PORT [N]

Starts the server on 127.0.0.1:PORT over the corpus folder with one image
at a time (EDGEPIX_CONCURRENCY=1), sends N requests per workload one after
another, each with a different `q` so that none is answered from the cache,
and reads the server's CPU time (user + system, /proc/PID/stat) before and
after. Prints Markdown rows: CPU ms per image (what Lambda bills at one
vCPU, minus the S3 wait), wall ms per request, output size.
"""
import os
import statistics
import subprocess
import sys
import time
import urllib.request

WORKLOADS = [
    ("photo-6mp-2725x2225.jpg", "w=800&f=webp"),
    ("photo-6mp-2725x2225.jpg", "w=800&f=jpeg"),
    ("photo-6mp-2725x2225.jpg", "w=800&f=avif"),
    ("photo-2mp-1920x1080.jpg", "w=400&f=webp"),
    ("photo-24mp-4000x6000.jpg", "w=800&f=webp"),
]
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def get(url):
    with urllib.request.urlopen(url, timeout=60) as r:
        assert r.status == 200, (url, r.status)
        return r.read()


def main():
    binary, corpus, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    env = dict(os.environ, EDGEPIX_SOURCE=corpus, EDGEPIX_LISTEN=f"127.0.0.1:{port}", EDGEPIX_CONCURRENCY="1")
    server = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        print("| source | request | CPU ms per image | wall ms (median) | output |")
        print("|---|---|---|---|---|")
        for image, query in WORKLOADS:
            get(f"{base}/{image}?{query}&q=60")  # warm-up: page cache, allocator
            before, walls, size = cpu_seconds(server.pid), [], 0
            for i in range(n):
                t0 = time.monotonic()
                size = len(get(f"{base}/{image}?{query}&q={70 + i}"))
                walls.append((time.monotonic() - t0) * 1000)
            cpu_ms = (cpu_seconds(server.pid) - before) * 1000 / n
            print(f"| {image} | `{query}` | {cpu_ms:.0f} | {statistics.median(walls):.0f} | {size / 1024:.0f} KB |")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
