#!/usr/bin/env python3
"""Quality per byte: edgepix against sharp at each format's default quality.

For each corpus photo, both resize to width 800 and encode JPEG, WebP and AVIF
at their defaults (no q). Each output is scored with SSIMULACRA2 (the
`ssimulacra2` crate, via the `quality` example) against a full-quality
reference resize (Pillow + LittleCMS, full-resolution decode, Lanczos: the
golden tests' make_refs.py), and its bytes are counted. Prints a Markdown table.

    npm install --prefix target/quality-deps sharp@0.35.5     # once
    python3 benches/quality.py [--corpus ../shared/corpus] [--width 800] [--features simd]
"""
import argparse, os, platform, subprocess, sys, tempfile
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "golden"))
from make_refs import render  # noqa: E402
from PIL import Image  # noqa: E402

IMAGES = [
    "photo-6mp-2725x2225.jpg",
    "photo-8mp-ultrahdr-gainmap.jpg",
    "photo-12mp-exif-orientation-6.jpg",
    "photo-2mp-1920x1080.jpg",
    "photo-adobergb-progressive.jpg",
    "webp-lossy.webp",
]
FORMATS = ["jpeg", "webp", "avif"]


def example(features):
    # The dev profile builds dependencies (all the codecs) optimised; bytes and
    # scores do not depend on the profile.
    extra = ["--features", features] if features else []
    subprocess.run(["cargo", "build", "-q", "-p", "edgepix-core", "--example", "quality", *extra],
                   cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "debug", "examples", "quality")


def score(tool, ref_png, output, tmp):
    dist = os.path.join(tmp, "dist.png")
    Image.open(output).convert("RGB").save(dist)
    return float(subprocess.check_output([tool, "score", ref_png, dist], text=True))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("EDGEPIX_CORPUS", "../shared/corpus"))
    ap.add_argument("--width", type=int, default=800)
    ap.add_argument("--sharp", default=os.path.join(ROOT, "target/quality-deps/node_modules/sharp"))
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--features", default="", help="edgepix-core features, e.g. simd (libjpeg-turbo, libaom)")
    args = ap.parse_args()
    formats = args.formats.split(",")
    tool = example(args.features)
    env = dict(os.environ, SHARP_MODULE=args.sharp)
    rows, totals = [], {f: {"ours": [0, 0.0], "sharp": [0, 0.0]} for f in formats}
    with tempfile.TemporaryDirectory() as tmp:
        for name in IMAGES:
            src = os.path.join(args.corpus, name)
            ref = os.path.join(tmp, "ref.png")
            render(src, args.width).convert("RGB").save(ref)
            for fmt in formats:
                ours, theirs = os.path.join(tmp, f"ours.{fmt}"), os.path.join(tmp, f"sharp.{fmt}")
                subprocess.run([tool, "render", src, f"w={args.width}&f={fmt}", ours], check=True)
                subprocess.run(["node", os.path.join(HERE, "quality-sharp.mjs"), src, str(args.width), fmt, theirs],
                               check=True, env=env)
                result = {}
                for who, path in (("ours", ours), ("sharp", theirs)):
                    size, s2 = os.path.getsize(path), score(tool, ref, path, tmp)
                    result[who] = (size, s2)
                    totals[fmt][who][0] += size
                    totals[fmt][who][1] += s2 / len(IMAGES)
                rows.append((name, fmt, result))
                print(f"{name} {fmt} {result}", file=sys.stderr)
    print(f"Width {args.width}, default quality, {datetime.now(timezone.utc):%Y-%m-%d}, "
          f"{platform.processor() or platform.machine()}, `python3 benches/quality.py"
          f"{' --features ' + args.features if args.features else ''}`\n")
    print("| image | format | edgepix bytes | sharp bytes | edgepix SSIMULACRA2 | sharp SSIMULACRA2 |")
    print("|---|---|---:|---:|---:|---:|")
    for name, fmt, r in rows:
        print(f"| {name} | {fmt} | {r['ours'][0]:,} | {r['sharp'][0]:,} | {r['ours'][1]:.2f} | {r['sharp'][1]:.2f} |")
    for fmt in formats:
        o, s = totals[fmt]["ours"], totals[fmt]["sharp"]
        print(f"| **all {len(IMAGES)}** | **{fmt}** | **{o[0]:,}** | **{s[0]:,}** | **{o[1]:.2f}** | **{s[1]:.2f}** |")


if __name__ == "__main__":
    main()
