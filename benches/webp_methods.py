#!/usr/bin/env python3
"""Bytes and SSIMULACRA2 of edgepix's WebP per libwebp method and quality.

Renders `benches/quality.py`'s six corpus photos at width 800 with the
`quality` example (setting webp_method=M, query q=Q), scores each against
the same full-quality reference resize, and prints the total bytes and the
mean score per METHOD:Q pair, to set against sharp's row of quality.py.

    python3 benches/webp_methods.py [--corpus ../shared/corpus] [--features simd] 2:80 1:80 1:75
"""
import argparse, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from quality import IMAGES, example, render, score  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("EDGEPIX_CORPUS", "../shared/corpus"))
    ap.add_argument("--features", default="simd")
    ap.add_argument("pairs", nargs="+", help="METHOD:Q, e.g. 2:80")
    args = ap.parse_args()
    tool = example(args.features)
    with tempfile.TemporaryDirectory() as tmp:
        refs = {}
        for name in IMAGES:
            refs[name] = os.path.join(tmp, name + ".ref.png")
            render(os.path.join(args.corpus, name), 800).convert("RGB").save(refs[name])
        print("| method | q | bytes, six photos | mean SSIMULACRA2 |\n|---:|---:|---:|---:|")
        for pair in args.pairs:
            method, q = (int(x) for x in pair.split(":"))
            total, mean = 0, 0.0
            for name in IMAGES:
                out = os.path.join(tmp, "out.webp")
                subprocess.run([tool, "render", os.path.join(args.corpus, name), f"w=800&f=webp&q={q}", out,
                                f"webp_method={method}"], check=True)
                total += os.path.getsize(out)
                mean += score(tool, refs[name], out, tmp) / len(IMAGES)
            print(f"| {method} | {q} | {total:,} | {mean:.2f} |", flush=True)


if __name__ == "__main__":
    main()
