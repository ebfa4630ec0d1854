#!/usr/bin/env python3
"""Output parity of two edgepix server builds: for a refactor that must not
change behaviour. Both servers serve the same folder (by default
../shared/corpus, hostile files included); every file is requested with
each query below from both, and the status, Content-Type and body bytes
must be identical.

    python3 tests/output_parity.py --a OLD/edgepix --b NEW/edgepix [--corpus ../shared/corpus]

Exit status 1 lists the differences; both servers are stopped on exit.
"""

import argparse
import hashlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# w=400 in every output format (the corpus suite's queries), the source's
# own format, and the other paths through the plan: cover and contain
# (padding, background), height only, dpr, explicit quality, none at all.
QUERIES = [
    "w=400&f=jpeg", "w=400&f=png", "w=400&f=webp", "w=400&f=avif", "w=400",
    "w=300&h=200", "w=300&h=300&fit=contain&bg=ff000080", "w=250&h=250&fit=inside&f=webp",
    "h=250&f=webp&q=90", "w=150&dpr=2&f=jpeg&q=95", "",
]


def start(binary, corpus, port):
    env = dict(os.environ, EDGEPIX_SOURCE=corpus, EDGEPIX_LISTEN=f"127.0.0.1:{port}",
               EDGEPIX_PLAYGROUND="false", EDGEPIX_CONCURRENCY="1")
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit(f"{binary} did not start on port {port}")


def fetch(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=120) as r:
            return r.status, r.headers.get("content-type"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("content-type"), e.read()


def files(corpus):
    for root, _, names in os.walk(corpus):
        for name in sorted(names):
            if not name.endswith((".tsv", ".md")):
                yield os.path.relpath(os.path.join(root, name), corpus)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True, help="the reference server binary")
    ap.add_argument("--b", required=True, help="the server binary under test")
    ap.add_argument("--corpus", default=os.environ.get("EDGEPIX_CORPUS", "../shared/corpus"))
    args = ap.parse_args()
    corpus = os.path.abspath(args.corpus)
    servers = [start(args.a, corpus, 3391), start(args.b, corpus, 3392)]
    same, differ, images = 0, [], 0
    try:
        for name in sorted(files(corpus)):
            for query in QUERIES:
                path = urllib.parse.quote(name) + (f"?{query}" if query else "")
                a, b = fetch(3391, path), fetch(3392, path)
                if a == b:
                    same += 1
                    images += a[0] == 200
                else:
                    digest = lambda r: (r[0], r[1], len(r[2]), hashlib.sha256(r[2]).hexdigest()[:12])
                    differ.append(f"{path}: {digest(a)} vs {digest(b)}")
    finally:
        for proc in servers:
            proc.kill()
    for line in differ:
        print(f"DIFFER {line}")
    print(f"{same} identical ({images} of them 200s), {len(differ)} different ({len(QUERIES)} queries per file)")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
