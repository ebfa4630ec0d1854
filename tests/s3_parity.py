#!/usr/bin/env python3
"""S3 source end to end, with real processes on loopback.

Starts the s3s-fs binary (an S3-protocol server) with the corpus as bucket
`corpus`, and the edgepix binary given four times: on the folder, on
s3://corpus (configured only through the standard AWS_* variables and
EDGEPIX_S3_PATH_STYLE, as in production), on an endpoint that accepts
connections and never answers, and on one that refuses them. Checks:

* every valid corpus image in a supported format at w=400&f=webp comes back
  byte-identical from S3 and from the folder (and the ETag of a variant is
  stable across requests);
* a missing key is 404 JSON; a stalled S3 is 504 within the timeout; an
  unreachable S3 is 502; none hangs, and the servers stay up.

    python3 tests/s3_parity.py --bin target/release/edgepix --s3s-fs s3s-fs --corpus ../shared/corpus
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from httpcheck import fetch, free_port, wait_for

SUPPORTED = {"JPEG", "PNG", "GIF", "WEBP", "TIFF"}


def stalling_listener():
    """Accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []
    threading.Thread(target=lambda: [held.append(server.accept()) for _ in iter(int, 1)], daemon=True).start()
    return server.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="target/release/edgepix")
    parser.add_argument("--s3s-fs", default="s3s-fs")
    parser.add_argument("--corpus", default="../shared/corpus")
    args = parser.parse_args()
    corpus = os.path.abspath(args.corpus)
    procs, passed, failed = [], 0, 0

    def check(ok, what):
        nonlocal passed, failed
        passed, failed = passed + bool(ok), failed + (not ok)
        if not ok:
            print(f"FAIL {what}", flush=True)

    def edgepix(source, **env):
        port = free_port()
        full = dict(os.environ, EDGEPIX_SOURCE=source, EDGEPIX_LISTEN=f"127.0.0.1:{port}", **env)
        procs.append(subprocess.Popen([args.bin], env=full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        return base

    aws = {
        "AWS_ACCESS_KEY_ID": "edgepix",
        "AWS_SECRET_ACCESS_KEY": "edgepix-secret",
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "EDGEPIX_S3_PATH_STYLE": "true",
    }
    try:
        root = tempfile.mkdtemp(prefix="edgepix-s3-")
        os.symlink(corpus, os.path.join(root, "corpus"))
        s3_port = free_port()
        procs.append(subprocess.Popen(
            [args.s3s_fs, "--host", "127.0.0.1", "--port", str(s3_port), "--access-key", aws["AWS_ACCESS_KEY_ID"],
             "--secret-key", aws["AWS_SECRET_ACCESS_KEY"], root],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for(f"http://127.0.0.1:{s3_port}/")
        folder = edgepix(corpus)
        s3 = edgepix("s3://corpus", AWS_ENDPOINT_URL=f"http://127.0.0.1:{s3_port}", **aws)
        stalled = edgepix("s3://corpus", AWS_ENDPOINT_URL=f"http://127.0.0.1:{stalling_listener()}",
                          EDGEPIX_S3_TIMEOUT_MS="1000", **aws)
        refused = edgepix("s3://corpus", AWS_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}",
                          EDGEPIX_S3_TIMEOUT_MS="5000", **aws)

        with open(os.path.join(corpus, "MANIFEST.tsv"), newline="") as f:
            rows = [r for r in csv.DictReader(f, delimiter="\t") if not r["file"].startswith("bad/")]
        for row in rows:
            fmt = row["format"].split("Pillow: ")[-1].split()[0]
            if fmt not in SUPPORTED or int(row["width"]) * int(row["height"]) > 50_000_000:
                continue
            path = "/" + urllib.parse.quote(row["file"]) + "?w=400&f=webp"
            a, b = fetch(folder + path), fetch(s3 + path)
            check(a[0] == b[0] == 200 and a[2] == b[2], f"{row['file']}: folder {a[0]} {len(a[2])} B, s3 {b[0]} {len(b[2])} B")
            again = fetch(s3 + path)
            check(again[1].get("ETag") == b[1].get("ETag") and again[1].get("X-Cache") == "HIT", f"{row['file']}: ETag/cache")

        status, headers, body, _ = fetch(s3 + "/no-such-file.jpg?w=10")
        check(status == 404 and json.loads(body)["code"] == "not_found", f"missing key via S3: {status} {body[:100]!r}")
        status, headers, body, secs = fetch(stalled + "/photo-2mp-1920x1080.jpg?w=10", timeout=30)
        check(status == 504 and json.loads(body)["code"] == "source_timeout" and secs < 5,
              f"stalled S3: {status} in {secs:.1f}s {body[:100]!r}")
        check(headers.get("Cache-Control") == "no-store", "504 is not stored")
        status, _, body, secs = fetch(refused + "/photo-2mp-1920x1080.jpg?w=10", timeout=30)
        check(status == 502 and json.loads(body)["code"] == "source_unavailable" and secs < 10,
              f"unreachable S3: {status} in {secs:.1f}s {body[:100]!r}")
        for base in (folder, s3, stalled, refused):
            check(fetch(base + "/healthz")[0] == 200, f"{base} died")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
