#!/usr/bin/env bash
# The arm64 Lambda package's codecs, checked without arm64 hardware: the
# edgepix-bench binary is cross-built exactly like the package (cargo-lambda,
# zig, `simd`: libjpeg-turbo with NEON, libaom) and run under qemu-aarch64 on
# the 6 MP corpus photo → 800 px. JPEG, WebP and PNG must be byte-identical to
# the x86_64 build's; the AVIF (libaom's arm64 code paths) must decode at
# 800x653 and stay within 3 levels of the x86_64 AVIF on average.
#   tests/arm64_qemu.sh ../shared/corpus target/debug/edgepix-bench
# The second argument is the x86_64 edgepix-bench, built by CI's simd build
# beside the server (dev profile: the same code, so the same bytes). The arm64 one is built here with the Lambda package in
# the same invocation: edgepix-bench adds no features to any shared crate, so
# after the package's own build only edgepix-bench itself compiles.
set -euo pipefail
CORPUS=$1
X86_BENCH=$2
NAME=photo-6mp-2725x2225.jpg
if ! command -v qemu-aarch64 >/dev/null || [ ! -e /lib/ld-linux-aarch64.so.1 ]; then
  dpkg --add-architecture arm64
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user libc6:arm64 libgcc-s1:arm64 >/dev/null
fi
timeout 1500 cargo lambda build --release --arm64 -p edgepix-lambda -p edgepix-bench \
  --features edgepix-lambda/simd,edgepix-bench/simd
OUT=target/arm64-check
rm -rf "$OUT" && mkdir -p "$OUT/arm64" "$OUT/x86_64"
timeout 300 qemu-aarch64 target/lambda/edgepix-bench/bootstrap "$CORPUS/$NAME" 1 0 jpeg,webp,png,avif "$OUT/arm64" >/dev/null
"$X86_BENCH" "$CORPUS/$NAME" 1 0 jpeg,webp,png,avif "$OUT/x86_64" >/dev/null
failures=0
for f in jpeg webp png; do
  if cmp -s "$OUT/arm64/$NAME.$f" "$OUT/x86_64/$NAME.$f"; then
    echo "$f: arm64 output identical to x86_64 ($(stat -c %s "$OUT/arm64/$NAME.$f") bytes)"
  else
    echo "FAIL $f: arm64 and x86_64 outputs differ"; failures=$((failures + 1))
  fi
done
python3 - "$OUT/arm64/$NAME.avif" "$OUT/x86_64/$NAME.avif" <<'PY' || failures=$((failures + 1))
import sys
from PIL import Image, ImageChops, ImageStat
arm, x86 = (Image.open(p).convert("RGB") for p in sys.argv[1:3])
diff = sum(ImageStat.Stat(ImageChops.difference(arm, x86)).mean) / 3
print(f"avif: arm64 {arm.size[0]}x{arm.size[1]}, mean difference from x86_64 {diff:.2f} levels")
sys.exit(0 if arm.size == (800, 653) and diff < 3 else 1)
PY
[ "$failures" = 0 ] || { echo "$failures arm64 check(s) failed"; exit 1; }
