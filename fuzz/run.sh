#!/usr/bin/env bash
# Run the fuzz targets for a bounded time each, seeded from the corpus
# (copied into fuzz/target/seeds at run time, never committed):
#   bash fuzz/run.sh [SECONDS_PER_TARGET] [CORPUS] [PARAMS_SECONDS] [GENERATED]
# The animation target (GIF, WebP and APNG frames) is seeded with the
# corpus's GIFs and WebPs, an APNG made from one, and tests/hostile's animations, and runs for
# PARAMS_SECONDS. The decoders target (AVIF, JPEG XL) is seeded with the corpus's AVIF/HEIC/
# JPEG XL files and those in GENERATED (tests/golden/generated.py's output,
# e.g. target/golden/generated), and runs for PARAMS_SECONDS.
# PARAMS_SECONDS (default: SECONDS_PER_TARGET) bounds the query-string
# target alone: its coverage stops growing within about a minute (CI's run
# of 2026-12-07: 1326 edges by 2 M executions, ~60 s, none new in the next
# 90 s), while the pipeline target still found new edges at 150 s.
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`); RUSTC_BOOTSTRAP=1
# lets the pinned stable toolchain take the sanitizer flags. A crash leaves
# its input in fuzz/artifacts/<target>/ and fails the script: turn it into a
# regression test in the normal suite, then fix the bug.
set -euo pipefail
SECS=${1:-150}
PARAMS_SECS=${3:-$SECS}
# Relative to where the script is called from (CI: the repository root).
CORPUS=$(realpath "${2:-${EDGEPIX_CORPUS:-$(dirname "$0")/../../shared/corpus}}")
GENERATED=${4:+$(realpath "$4")}
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
# cargo fuzz builds with debug assertions, under which rav1d checks its
# disjoint borrows and captures a backtrace for each when backtraces are on:
# 20 s for one small AVIF instead of 3. Library backtraces off; a panic's
# backtrace (RUST_BACKTRACE) is unaffected.
export RUST_LIB_BACKTRACE=0
SEEDS=target/seeds
rm -rf "$SEEDS" && mkdir -p "$SEEDS/params" "$SEEDS/pipeline" "$SEEDS/decoders" "$SEEDS/animation"
# Images up to 300 KB (bigger ones make each run slow), hostile files included.
find "$CORPUS" -type f -size -300k ! -name '*.tsv' ! -name '*.md' -exec cp {} "$SEEDS/pipeline/" \;
find "$CORPUS" ${GENERATED:+"$GENERATED"} -type f -size -300k \( -name '*.avif' -o -name '*.heic' -o -name '*.jxl' \) \
  -exec cp {} "$SEEDS/decoders/" \;
find "$CORPUS" -type f -size -300k \( -name '*.gif' -o -name '*.webp' \) -exec cp {} "$SEEDS/animation/" \;
python3 -c 'import sys; sys.path.insert(0, "../tests/hostile"); import apng, gif, webp, pathlib
for name, data in {**gif.hostile(), **webp.hostile(), **apng.hostile()}.items():
    if len(data) < 65536: pathlib.Path(sys.argv[1], name).write_bytes(data)' "$SEEDS/animation"
# An APNG seed: the corpus's animated GIF, small, through Pillow's APNG writer.
python3 -c 'import sys; from PIL import Image, ImageSequence
frames = [f.convert("RGBA").resize((48, 48)) for f in ImageSequence.Iterator(Image.open(sys.argv[1]))][:8]
frames[0].save(sys.argv[2], format="PNG", save_all=True, append_images=frames[1:], duration=90, loop=0)' \
  "$CORPUS/gif-animated-44-frames.gif" "$SEEDS/animation/apng-8-frames.png"
python3 - "$SEEDS/params" <<'PY'
import json, pathlib, sys
cases = json.load(open("../tests/vectors/canonical.json"))["cases"]
for i, case in enumerate(cases):
    pathlib.Path(sys.argv[1], f"vector-{i}").write_text(case["query"])
PY
echo "seeds: $(ls "$SEEDS/pipeline" | wc -l) images, $(ls "$SEEDS/decoders" | wc -l) AVIF/HEIC/JPEG XL, $(ls "$SEEDS/animation" | wc -l) GIF/WebP, $(ls "$SEEDS/params" | wc -l) queries"
cargo fuzz build params
cargo fuzz build pipeline
cargo fuzz build decoders
cargo fuzz build animation
cargo fuzz run params "$SEEDS/params" -- -max_total_time="$PARAMS_SECS" -max_len=512 -timeout=5
cargo fuzz run pipeline "$SEEDS/pipeline" -- -max_total_time="$SECS" -max_len=307200 -timeout=20 -rss_limit_mb=2048
cargo fuzz run decoders "$SEEDS/decoders" -- -max_total_time="$PARAMS_SECS" -max_len=307200 -timeout=20 -rss_limit_mb=2048
cargo fuzz run animation "$SEEDS/animation" -- -max_total_time="$PARAMS_SECS" -max_len=307200 -timeout=20 -rss_limit_mb=2048
