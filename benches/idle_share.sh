#!/usr/bin/env bash
# How much of the machine a server leaves idle under the peers' cache-miss load:
#   benches/idle_share.sh edgepix|ipx [ROUNDS]
# Each round starts the server (edgepix through run-edgepix.sh, EDGEPIX_BIN
# and EDGEPIX_CONCURRENCY honoured; ipx through the peers' run-ipx.sh), runs
# a 6 s `load.sh --vary` (distinct w/q per request), reads /proc/stat and
# the server's CPU from 1 s to 5 s into it (past wrk's start, before its
# stop), stops the server and prints: idle %, cores the server used, req/s.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="$(cd "${PEERS_DIR:-$ROOT/../shared/peers}" && pwd)"
SRV="${1:?usage: idle_share.sh edgepix|ipx [ROUNDS]}"
ROUNDS="${2:-3}"
case "$SRV" in
  edgepix) RUN_SCRIPT="$ROOT/benches/run-edgepix.sh" ;;
  ipx) RUN_SCRIPT="$PEERS/run-ipx.sh" ;;
  *) echo "server must be edgepix or ipx" >&2; exit 2 ;;
esac
PIDFILE="$PEERS/.env/run/$SRV.pid"
. "$ROOT/benches/lib.sh"
refuse_running "$PIDFILE" "$SRV"   # each round must time a server it started
stat_line() { head -1 /proc/stat; }

for ((r = 1; r <= ROUNDS; r++)); do
  "$RUN_SCRIPT" start > /dev/null || { echo "$SRV did not start" >&2; exit 1; }
  pid="$(cat "$PIDFILE")"
  out="$(mktemp)"
  (cd "$PEERS" && ./load.sh --vary "$("$RUN_SCRIPT" template)" -d 6 -c 8 -t 2 \
    "$("$RUN_SCRIPT" urls | head -1)" > "$out") &
  sleep 1
  s0="$(stat_line)"; c0="$(cpu_ticks "$pid")"; t0="$(date +%s.%N)"
  sleep 4
  s1="$(stat_line)"; c1="$(cpu_ticks "$pid")"; t1="$(date +%s.%N)"
  wait
  "$RUN_SCRIPT" stop > /dev/null
  rps="$(sed -n 's/.*"req_per_s": \([0-9.]*\).*/\1/p' "$out")"; rm -f "$out"
  python3 - "$s0" "$s1" "$c0" "$c1" "$t0" "$t1" "$(getconf CLK_TCK)" "$rps" "$SRV" <<'PY'
import sys
a, b = ([int(x) for x in s.split()[1:9]] for s in sys.argv[1:3])
d = [y - x for x, y in zip(a, b)]
c0, c1, t0, t1, hz = (float(x) for x in sys.argv[3:8])
print(f"{sys.argv[9]}: idle {100 * d[3] / sum(d):.1f}%, server {(c1 - c0) / hz / (t1 - t0):.2f} cores, "
      f"{float(sys.argv[8]):.1f} req/s")
PY
done
