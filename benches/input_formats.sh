#!/usr/bin/env bash
# AVIF and HEIC originals, edgepix beside its peers in one run of the peers'
# bench-lib.sh (single thread, original in memory -> 800 w; JPEG q80, WebP q80,
# AVIF q50, PNG): the corpus's 6 MP AVIF against sharp (libvips reads AVIF
# through libheif) and Pillow (its own AVIF plugin); HEIC (the corpus's
# 1440x960 one and a 6 MP one heif-enc writes from the corpus photo) against
# Pillow with pillow-heif (sharp's prebuilt libvips has no HEVC).
#   cargo build --release -p edgepix-bench --features simd,heic
#   WITH_SIMD=0 ../shared/peers/setup.sh
#   ../shared/peers/.env/py-pillow/bin/pip install pillow-heif
#   benches/input_formats.sh [PEERS_DIR] [ROUNDS] [ITERS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS_DIR="$(cd "${1:-$ROOT/../shared/peers}" && pwd)"
ROUNDS=${2:-2} ITERS=${3:-5}
CORPUS=${EDGEPIX_CORPUS:-$ROOT/../shared/corpus}
IMG="$PEERS_DIR/.env/images"
cp "$CORPUS/avif-6mp-3082x2048.avif" "$CORPUS/heic-1440x960.heic" "$IMG/"
[ -s "$IMG/heic-6mp-2725x2225.heic" ] ||
  heif-enc -q 80 -o "$IMG/heic-6mp-2725x2225.heic" "$CORPUS/photo-6mp-2725x2225.jpg" >/dev/null
run() { # report images peers
  CONTENDER_CMD="$ROOT/target/release/edgepix-bench" CONTENDER_NAME=edgepix PEERS="$3" IMAGES="$2" \
    ROUNDS=$ROUNDS ITERS=$ITERS WARMUP=1 RESULTS_MD="$ROOT/target/$1.md" PYTHONPATH="$ROOT/benches/heif-site" \
    "$PEERS_DIR/bench-lib.sh"
  cat "$ROOT/target/$1.md"
}
run input-avif avif-6mp-3082x2048.avif "sharp pillow edgepix"
run input-heic "heic-1440x960.heic heic-6mp-2725x2225.heic" "pillow edgepix"
