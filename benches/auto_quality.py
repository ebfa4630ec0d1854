#!/usr/bin/env python3
"""q=auto against the fixed quality a careful team would have to set.

For every corpus photo at 400, 800 and 1200 px wide and each format (JPEG,
WebP, AVIF): bytes at every q of a 5-step grid, the lowest grid q that
scores SSIMULACRA2 >= 70, and what q=auto chose (bytes, score). Per format,
the fixed q that keeps *every* photo at >= 70 is the highest of those
lowest passing qs; q=auto's total bytes are compared with that q's, and the
time of both requests is measured on the pipeline (median of ITERS runs,
interleaved). Scores: the ssimulacra2 crate, not the search's own metric.

    cargo build --release -p edgepix-core --features simd --example auto_quality
    python3 benches/auto_quality.py --tool target/release/examples/auto_quality \\
        --corpus ../shared/corpus [--formats jpeg,webp,avif] [--iters 5] [--json out.jsonl]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

PHOTOS = [
    "photo-2mp-1920x1080.jpg",
    "photo-6mp-2725x2225.jpg",
    "photo-8mp-3264x2448.jpg",
    "photo-8mp-ultrahdr-gainmap.jpg",
    "photo-12mp-exif-orientation-6.jpg",
    "photo-24mp-4000x6000.jpg",
    "photo-adobergb-progressive.jpg",
    "progressive-999x999.jpg",
    "avif-6mp-3082x2048.avif",
    "webp-lossy.webp",
]
WIDTHS = [400, 800, 1200]
TARGET, FLOOR = 70.0, 68.0


def run(tool, *args):
    out = subprocess.run([tool, *map(str, args)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--corpus", default=os.environ.get("EDGEPIX_CORPUS", "../shared/corpus"))
    ap.add_argument("--formats", default="jpeg,webp,avif")
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--json", help="append every result line here")
    args = ap.parse_args()
    log = open(args.json, "a") if args.json else None
    for fmt in args.formats.split(","):
        cases = []
        for photo in PHOTOS:
            for width in WIDTHS:
                r = run(args.tool, os.path.join(args.corpus, photo), width, fmt, "score")
                cases.append(r)
                if log:
                    print(json.dumps(r), file=log, flush=True)
                print(f"{fmt} {photo} {width}: pass_q {r['pass_q']}, auto q{r['auto']['q']} "
                      f"{r['auto']['bytes']} B score {r['auto']['score']:.1f}", file=sys.stderr)
        summarise(args, fmt, cases, log)


def summarise(args, fmt, cases, log):
    passes = [c["pass_q"] for c in cases]
    fixed_q = None if None in passes else max(passes)
    if fixed_q is None:
        print(f"{fmt}: some photo never reaches {TARGET} on the grid")
        return
    fixed_bytes = sum(dict(map(tuple, c["grid"]))[fixed_q] for c in cases)
    auto_bytes = sum(c["auto"]["bytes"] for c in cases)
    scores = [c["auto"]["score"] for c in cases]
    ratios = []
    for c in cases:
        t = run(args.tool, c["image"], c["width"], fmt, "time", args.iters, fixed_q)
        if log:
            print(json.dumps(t), file=log, flush=True)
        ratios.append(t["auto_ms"] / t["fixed_ms"])
        print(f"{fmt} {os.path.basename(c['image'])} {c['width']}: auto {t['auto_ms']:.1f} ms, "
              f"q{fixed_q} {t['fixed_ms']:.1f} ms", file=sys.stderr)
    chosen = sorted(c["auto"]["q"] for c in cases)
    print(f"| {fmt} | q{fixed_q} | {fixed_bytes:,} | {auto_bytes:,} | {auto_bytes / fixed_bytes:.2f}x | "
          f"{min(scores):.1f} | {sum(s < TARGET for s in scores)} / {sum(s < FLOOR for s in scores)} | "
          f"{chosen[0]}-{chosen[len(chosen) // 2]}-{chosen[-1]} | "
          f"{statistics.median(ratios):.2f}x (max {max(ratios):.2f}x) |", flush=True)


if __name__ == "__main__":
    main()
