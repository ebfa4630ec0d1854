#!/usr/bin/env bash
# Every request in the README's first screen (everything before its first
# `## ` heading) against the dev server on the bundled samples, as a
# newcomer would copy it: each http://127.0.0.1:3000/… URL must answer 200
# with an image (the playground page at / with HTML), on the port given.
#   tests/readme_first_screen.sh target/release/edgepix [port]
set -euo pipefail
BIN=$1 PORT=${2:-3316}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"  # the default source, examples/images, is relative to the root
"$BIN" --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
mapfile -t URLS < <(sed '/^## /,$d' README.md | grep -o "http://127\.0\.0\.1:3000/[^' )\`]*" | sort -u)
[ "${#URLS[@]}" -ge 3 ] || { echo "FAIL: found ${#URLS[@]} URLs in the README's first screen"; exit 1; }
failures=0
for url in "${URLS[@]}"; do
  local_url=${url/127.0.0.1:3000/127.0.0.1:$PORT}
  read -r code type < <(curl -s -o /dev/null -w '%{http_code} %{content_type}\n' -m 30 "$local_url" || echo "000 -")
  path=${url#http://127.0.0.1:3000}
  want=$([ "$path" = / ] && echo text/html || echo image/)
  if [ "$code" = 200 ] && [[ "$type" == $want* ]]; then
    echo "ok   $path -> $code $type"
  else
    echo "FAIL $path -> $code $type (want 200 $want…)"; failures=$((failures + 1))
  fi
done
[ "$failures" = 0 ]
