#!/usr/bin/env bash
# A/B of two release servers on cache-miss CPU: which build spends less per miss.
#   benches/ab_miss_cpu.sh BIN_A BIN_B [ROUNDS]   (default 5)
# Each round starts each build in turn through run-edgepix.sh (EDGEPIX_BIN, on
# 127.0.0.1:$EDGEPIX_PORT, default 3103, over the peers' images from their
# setup.sh), sends 400 distinct WebP misses of the 6 MP photo (w 760-839 x
# q 78-82, the shape of bench-http.sh's load), two in flight, and reads the
# server's user+system CPU and minor page faults from /proc/PID/stat before and
# after. Alternating the builds lets both see the same machine noise; compare
# medians. Loopback only, every request bounded by curl --max-time, each server
# stopped after its round.
set -euo pipefail
shopt -s inherit_errexit
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER="$ROOT/benches/run-edgepix.sh"
PIDFILE="${PEERS_DIR:-$ROOT/../shared/peers}/.env/run/edgepix.pid"
. "$ROOT/benches/lib.sh"
[ $# -ge 2 ] || { sed -n 2,3p "$0" >&2; exit 2; }
refuse_running "$PIDFILE" edgepix
PHOTO_URL="$("$SERVER" urls | head -1)"   # the photo at w=800&f=webp&q=80
URLS="$(mktemp)"
trap 'rm -f "$URLS"; "$SERVER" stop > /dev/null' EXIT
for i in $(seq 0 399); do
  echo "${PHOTO_URL%%\?*}?w=$((760 + i % 80))&f=webp&q=$((78 + i / 80))"
done > "$URLS"

one() { # BIN -> "cpu_ms_per_miss faults_per_miss"
  EDGEPIX_BIN="$1" "$SERVER" start > /dev/null
  local pid t0 f0 t1 f1
  pid="$(cat "$PIDFILE")"
  for w in 700 701 702 703; do curl -sf -o /dev/null --max-time 10 "${PHOTO_URL%%\?*}?w=$w&f=webp"; done
  t0=$(cpu_ticks $pid); f0=$(proc_field $pid 10)
  xargs -P 2 -n 1 curl -sf -o /dev/null --max-time 10 < "$URLS"
  t1=$(cpu_ticks $pid); f1=$(proc_field $pid 10)
  "$SERVER" stop > /dev/null
  python3 -c "import os; print(round(($t1 - $t0) * 1000 / os.sysconf('SC_CLK_TCK') / 400, 2), ($f1 - $f0) // 400)"
}

for r in $(seq "${3:-5}"); do
  for bin in "$1" "$2"; do out="$(one "$bin")"; echo "$bin $out"; done
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
