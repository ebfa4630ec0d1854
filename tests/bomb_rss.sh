#!/usr/bin/env bash
# Peak RSS while refusing the corpus's bombs: a fresh server is asked for the
# 20000x14000 JPEG and the PNG/GIF bombs (20 times each, every output format);
# each must answer 422, and the process's peak resident set (VmHWM, read from
# /proc) must stay under the budget.
#   tests/bomb_rss.sh target/release/edgepix ../shared/corpus [budget-MiB]
set -euo pipefail
BIN=$1 CORPUS=$2 BUDGET_MIB=${3:-200} PORT=${BOMB_PORT:-3312}
EDGEPIX_SOURCE="$CORPUS" EDGEPIX_LISTEN="127.0.0.1:$PORT" "$BIN" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
hwm() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$PID/status"; }
echo "baseline peak RSS: $(hwm) MiB"
failures=0 checks=2
for file in huge-20000x14000-grey.jpg bad/bomb-png-16384x16384.png bad/bomb-gif-65535x66601.gif; do
  for _ in $(seq 1 20); do
    for q in "w=400" "w=400&f=avif" "w=8000&h=8000&f=png" ""; do
      # Failures are never cached, so every request is refused afresh.
      code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 "http://127.0.0.1:$PORT/$file?$q" || true)
      checks=$((checks + 1))
      if [ "$code" != 422 ]; then echo "FAIL $file?$q -> $code"; failures=$((failures + 1)); fi
    done
  done
  echo "$file: peak RSS so far $(hwm) MiB"
done
peak=$(hwm)
if [ "$peak" -ge "$BUDGET_MIB" ]; then echo "FAIL peak RSS $peak MiB >= $BUDGET_MIB MiB"; failures=$((failures + 1)); fi
kill -0 $PID || { echo "FAIL server died"; failures=$((failures + 1)); }
echo "peak RSS $peak MiB (budget $BUDGET_MIB MiB); $((checks - failures)) passed, $failures failed"
[ "$failures" = 0 ]
