#!/usr/bin/env python3
"""Cold start: process start to first 200, for the folder and the S3 source.

Usage: python3 benches/coldstart.py target/release/edgepix ../shared/corpus http://127.0.0.1:PORT
where PORT serves `s3s-fs --access-key edgepix --secret-key edgepix-secret ROOT` and ROOT/corpus
links to the corpus. Prints Markdown table rows (7 runs each: median, range)."""
import os, subprocess, sys, time, urllib.request, statistics, socket
def port():
    s=socket.socket(); s.bind(("127.0.0.1",0)); p=s.getsockname()[1]; s.close(); return p
def run(env, url_path):
    p=port(); e=dict(os.environ, EDGEPIX_LISTEN=f"127.0.0.1:{p}", **env)
    t0=time.monotonic(); proc=subprocess.Popen([sys.argv[1]], env=e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                r=urllib.request.urlopen(f"http://127.0.0.1:{p}{url_path}", timeout=10)
                if r.status==200: r.read(); return (time.monotonic()-t0)*1000
            except OSError: time.sleep(0.002)
    finally: proc.terminate(); proc.wait()
corpus=sys.argv[2]; s3=sys.argv[3]
cases={"folder": {"EDGEPIX_SOURCE": corpus},
       "s3 (s3s-fs on loopback)": {"EDGEPIX_SOURCE":"s3://corpus","AWS_ENDPOINT_URL":s3,"AWS_ACCESS_KEY_ID":"edgepix","AWS_SECRET_ACCESS_KEY":"edgepix-secret","AWS_REGION":"us-east-1","AWS_EC2_METADATA_DISABLED":"true","EDGEPIX_S3_PATH_STYLE":"true"}}
for name, env in cases.items():
    for path in ["/healthz", "/photo-2mp-1920x1080.jpg?w=400&f=webp"]:
        xs=[run(env, path) for _ in range(7)]
        print(f"| {name} | `{path}` | {statistics.median(xs):.0f} ms | {min(xs):.0f}–{max(xs):.0f} ms |")
