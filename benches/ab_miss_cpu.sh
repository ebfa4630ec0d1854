#!/usr/bin/env bash
# A/B of two release servers on cache-miss CPU: which build spends less per miss.
#   benches/ab_miss_cpu.sh BIN_A BIN_B [ROUNDS]   (default 5)
# Each round starts each build in turn on 127.0.0.1:$PORT (default 3199) over the
# peers' images (../shared/peers/.env/images, from its setup.sh), sends 400
# distinct WebP misses of the 6 MP photo (w 760-839 x q 78-82, the shape of
# bench-http.sh's load), two in flight, and reads the server's user+system CPU
# and minor page faults from /proc/PID/stat before and after. Alternating the
# builds lets both see the same machine noise; compare medians. Loopback only,
# every request bounded by curl --max-time, each server killed after its round.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGES="${PEERS_DIR:-$ROOT/../shared/peers}/.env/images"
PHOTO=2569067123_aca715a2ee_o.jpg
PORT="${PORT:-3199}"
[ $# -ge 2 ] || { sed -n 2,3p "$0" >&2; exit 2; }
[ -f "$IMAGES/$PHOTO" ] || { echo "no $IMAGES/$PHOTO: run ../shared/peers/setup.sh" >&2; exit 1; }
URLS="$(mktemp)"; PID=""
trap 'rm -f "$URLS"; [ -z "$PID" ] || kill "$PID" 2>/dev/null || true' EXIT
for i in $(seq 0 399); do
  echo "http://127.0.0.1:$PORT/$PHOTO?w=$((760 + i % 80))&f=webp&q=$((78 + i / 80))"
done > "$URLS"

stat_field() { awk -v f="$2" '{print $f}' "/proc/$1/stat"; }

one() { # BIN -> "cpu_ms_per_miss faults_per_miss"
  EDGEPIX_SOURCE="$IMAGES" EDGEPIX_LISTEN="127.0.0.1:$PORT" RUST_LOG=warn "$1" > /dev/null 2>&1 &
  PID=$!
  for _ in $(seq 100); do curl -sf -o /dev/null --max-time 5 "http://127.0.0.1:$PORT/$PHOTO?w=16" && break; sleep 0.1; done
  for w in 700 701 702 703; do curl -sf -o /dev/null --max-time 10 "http://127.0.0.1:$PORT/$PHOTO?w=$w&f=webp"; done
  local t0 f0 t1 f1
  t0=$(( $(stat_field $PID 14) + $(stat_field $PID 15) )); f0=$(stat_field $PID 10)
  xargs -P 2 -n 1 curl -sf -o /dev/null --max-time 10 < "$URLS"
  t1=$(( $(stat_field $PID 14) + $(stat_field $PID 15) )); f1=$(stat_field $PID 10)
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  python3 -c "import os; print(round(($t1 - $t0) * 1000 / os.sysconf('SC_CLK_TCK') / 400, 2), ($f1 - $f0) // 400)"
}

for r in $(seq "${3:-5}"); do
  for bin in "$1" "$2"; do echo "$bin $(one "$bin")"; done
done | python3 -c '
import statistics, sys
runs = {}
for line in sys.stdin:
    print(line.rstrip(), flush=True)
    name, cpu, faults = line.split()
    runs.setdefault(name, []).append((float(cpu), int(faults)))
for name, rows in runs.items():
    cpu = statistics.median(c for c, _ in rows)
    faults = statistics.median(f for _, f in rows)
    print(f"{name}: CPU {cpu:.2f} ms per miss (median of {len(rows)}), {faults:.0f} minor faults per miss")'
