#!/usr/bin/env bash
# Eight cache-missing requests (random widths 800-1799) for the 12 MP phone
# photo as WebP against a running server on 127.0.0.1:PORT; fails on any
# status but 200. For timing two servers side by side, e.g. with hyperfine
# or any A/B runner:  benches/miss_batch.sh PORT [IMAGE]
set -euo pipefail
PORT=$1 IMAGE=${2:-photo-12mp-exif-orientation-6.jpg}
for _ in 1 2 3 4 5 6 7 8; do
  w=$((800 + RANDOM % 1000))
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/$IMAGE?w=$w&f=webp")
  [ "$code" = 200 ] || { echo "status $code for w=$w" >&2; exit 1; }
done
