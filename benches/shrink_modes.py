#!/usr/bin/env python3
"""Shrink-on-load modes against sharp: bytes and SSIMULACRA2 per photo and width.

For each corpus JPEG photo and each width, edgepix renders with
`shrink_on_load=quality` and `shrink_on_load=fast` (the `quality` example, so
no server is needed) and sharp renders `sharp(input).rotate().resize(w)` at its
defaults (benches/quality-sharp.mjs). Every output is scored against the same
full-quality reference (Pillow + LittleCMS, full decode, EXIF applied,
Lanczos: the golden tests' make_refs.py). The issue's rule for making `fast`
the default: at every photo and width, `fast` scores at or above sharp at
equal or fewer bytes; the last column holds `fast` at the highest q (80 to
90) whose output is no bigger than sharp's. Prints a Markdown table and
which cells break the rule. PNG outputs (`--formats png`) compare the
decoded and resized pixels alone.

    python3 benches/shrink_modes.py --sharp PEERS_DIR/.env/node/node_modules/sharp [--features simd]
    (or build it yourself and pass --tool, e.g. after
    `cargo build --release -p edgepix-core --features simd --example quality`,
    --tool target/release/examples/quality)
"""
import argparse, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from quality import example, render, score  # noqa: E402

PHOTOS = [
    "photo-12mp-exif-orientation-6.jpg",
    "photo-6mp-2725x2225.jpg",
    "photo-24mp-4000x6000.jpg",
    "photo-8mp-ultrahdr-gainmap.jpg",
    "photo-2mp-1920x1080.jpg",
    "photo-adobergb-progressive.jpg",
]
MODES = ["quality", "fast"]


def measure(tool, env, src, width, fmt, tmp):
    """{who: (bytes, score)} for both modes and sharp."""
    ref = os.path.join(tmp, "ref.png")
    render(src, width).convert("RGB").save(ref)
    out = {}
    for mode in MODES:
        path = os.path.join(tmp, f"{mode}.{fmt}")
        subprocess.run([tool, "render", src, f"w={width}&f={fmt}", path, f"shrink_on_load={mode}"], check=True)
        out[mode] = (os.path.getsize(path), score(tool, ref, path, tmp))
    path = os.path.join(tmp, f"sharp.{fmt}")
    subprocess.run(["node", os.path.join(HERE, "quality-sharp.mjs"), src, str(width), fmt, path], check=True, env=env)
    out["sharp"] = (os.path.getsize(path), score(tool, ref, path, tmp))
    # `fast` at equal bytes: the highest q (80 to 90) whose output is no
    # bigger than sharp's, so that an encoder that spends fewer bytes at q80
    # is not scored as worse pixels.
    out["fast, q ≤ sharp's bytes"] = (0, 0.0)
    for q in range(80, 91):
        path = os.path.join(tmp, f"fastq.{fmt}")
        subprocess.run([tool, "render", src, f"w={width}&f={fmt}&q={q}", path, "shrink_on_load=fast"], check=True)
        if os.path.getsize(path) > out["sharp"][0]:
            break
        out["fast, q ≤ sharp's bytes"] = (os.path.getsize(path), score(tool, ref, path, tmp), q)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("EDGEPIX_CORPUS", "../shared/corpus"))
    ap.add_argument("--sharp", required=True, help="the sharp module directory")
    ap.add_argument("--widths", default="400,800,1200")
    ap.add_argument("--formats", default="jpeg,webp")
    ap.add_argument("--features", default="", help="edgepix-core features, e.g. simd (libjpeg-turbo)")
    ap.add_argument("--tool", help="a built `quality` example (else built in the dev profile)")
    args = ap.parse_args()
    tool = args.tool or example(args.features)
    env = dict(os.environ, SHARP_MODULE=args.sharp)
    print("| photo | w | format | quality: bytes / score | fast: bytes / score | sharp: bytes / score "
          "| fast at sharp's bytes: q / bytes / score |")
    print("|---|---|---|---|---|---|---|")
    broken = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in PHOTOS:
            src = os.path.join(args.corpus, name)
            for width in map(int, args.widths.split(",")):
                for fmt in args.formats.split(","):
                    r = measure(tool, env, src, width, fmt, tmp)
                    cells = " | ".join(f"{r[k][0]:,} / {r[k][1]:.1f}" for k in (*MODES, "sharp"))
                    eq = r["fast, q ≤ sharp's bytes"]
                    eq_cell = f"{eq[2]} / {eq[0]:,} / {eq[1]:.1f}" if eq[0] else "none"
                    print(f"| {name} | {width} | {fmt} | {cells} | {eq_cell} |", flush=True)
                    if not eq[0] or eq[1] < r["sharp"][1]:
                        broken.append(f"{name} {width} {fmt}")
    print(f"\n`fast` below sharp's score at sharp's bytes or fewer: {', '.join(broken) or 'none'}")


if __name__ == "__main__":
    main()
