#!/usr/bin/env python3
"""edgepix next to sharp and Pillow, in one run, on ../shared/peers' workload.

1. Library: runs the peers' `bench-lib.sh` with edgepix as the contender
   (`target/release/edgepix-bench`, single thread, the encoded original in
   memory → width 800 → JPEG q80 / WebP q80 / AVIF q50 / PNG), peers rotated
   every round, and keeps its Markdown report (ms per image, bytes, ratios).
2. Quality: scores every peer's last output with SSIMULACRA2 (the `quality`
   example, same crate as the golden tests) against a full-quality reference
   resize (Pillow + LittleCMS, full-resolution decode, Lanczos:
   tests/golden/make_refs.py) and prints bytes and score side by side.
3. Memory: peak RSS of one 24 MP JPEG → 800w against a full decode.

    cargo build --release -p edgepix-bench --features simd
    WITH_SIMD=0 ../shared/peers/setup.sh
    ../shared/peers/.env/py-pillow/bin/python benches/compare.py [--rounds 2 --iters 5]

The HTTP half (edgepix vs ipx under the same bounded wrk load) is
`benches/run-edgepix.sh` plus the peers' `bench-http.sh`; see BENCHMARKS.md.
"""
import argparse, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "golden"))
from make_refs import render  # noqa: E402
from PIL import Image  # noqa: E402

IMAGE = "2569067123_aca715a2ee_o.jpg"  # = corpus photo-6mp-2725x2225.jpg
FORMATS = ["jpeg", "webp", "avif", "avif-s6", "png"]


def outputs(out_dir, peer):
    """(label, format, path) of a peer's last outputs for IMAGE."""
    folder = os.path.join(out_dir, peer)
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if not name.startswith(IMAGE + "."):
            continue
        parts = name[len(IMAGE) + 1:].split(".")
        label = peer if len(parts) == 1 or parts[0] == "full" else f"{peer}+{parts[0]}"
        yield label, parts[-1], os.path.join(folder, name)


def score(tool, ref, path, tmp):
    dist = os.path.join(tmp, "dist.png")
    im = Image.open(path).convert("RGB")
    if im.size != ref.size:  # a peer rounding the height differently
        im = im.resize(ref.size, Image.Resampling.LANCZOS)
    im.save(dist)
    return float(subprocess.check_output([tool, "score", os.path.join(tmp, "ref.png"), dist], text=True))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers-dir", default=os.path.join(ROOT, "..", "shared", "peers"))
    ap.add_argument("--rounds", default="2")
    ap.add_argument("--iters", default="5")
    ap.add_argument("--peers", default="sharp pillow edgepix")
    ap.add_argument("--skip-run", action="store_true", help="only score the outputs already there")
    ap.add_argument("--bench", default=os.path.join(ROOT, "target", "release", "edgepix-bench"),
                    help="the edgepix-bench binary (e.g. an older build, to compare two)")
    ap.add_argument("--corpus", default=os.environ.get("EDGEPIX_CORPUS", os.path.join(ROOT, "..", "shared", "corpus")))
    a = ap.parse_args()
    peers = os.path.abspath(a.peers_dir)
    bench = os.path.abspath(a.bench)
    report = os.path.join(ROOT, "target", "compare-lib.md")
    if not a.skip_run:
        env = dict(os.environ, CONTENDER_CMD=bench, CONTENDER_NAME="edgepix", PEERS=a.peers, IMAGES=IMAGE,
                   ROUNDS=a.rounds, ITERS=a.iters, WARMUP="1", RESULTS_MD=report)
        subprocess.run([os.path.join(peers, "bench-lib.sh")], env=env, check=True)
        print(open(report).read())
    subprocess.run(["cargo", "build", "-q", "-p", "edgepix-core", "--example", "quality"], cwd=ROOT, check=True)
    tool = os.path.join(ROOT, "target", "debug", "examples", "quality")
    out_dir = os.path.join(peers, ".env", "out")
    print("| peer | format | bytes | SSIMULACRA2 |\n|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        ref = render(os.path.join(peers, ".env", "images", IMAGE), 800).convert("RGB")
        ref.save(os.path.join(tmp, "ref.png"))
        for peer in ["sharp", "pillow", "pillow-simd", "edgepix"]:
            for label, fmt, path in outputs(out_dir, peer):
                print(f"| {label} | {fmt} | {os.path.getsize(path):,} | {score(tool, ref, path, tmp):.2f} |")
    big = os.path.join(a.corpus, "photo-24mp-4000x6000.jpg")
    if os.path.exists(big):
        ours = int(subprocess.check_output([bench, "rss", big, "800"], text=True))
        full = int(subprocess.check_output([bench, "rss-full", big], text=True))
        print(f"\nPeak RSS, 24 MP JPEG: resize to 800w {ours / 1024:.1f} MiB, full decode {full / 1024:.1f} MiB, "
              f"ratio {ours / full:.2f}")


if __name__ == "__main__":
    main()
