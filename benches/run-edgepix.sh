#!/usr/bin/env bash
# edgepix as an HTTP contender in ../shared/peers (bench-http.sh's CONTENDER_RUN),
# with the verbs of the peers' run-ipx.sh:
#   benches/run-edgepix.sh start|stop|urls|template
# Serves the peers' .env/images from 127.0.0.1:$EDGEPIX_PORT (default 3103) with the
# release binary (EDGEPIX_BIN, default target/release/edgepix; build it with
# `cargo build --release -p edgepix --features simd`). PID in .env/run/edgepix.pid.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="${PEERS_DIR:-$ROOT/../shared/peers}"
HERE="$(cd "$HERE" && pwd)"
. "$HERE/bench/common.sh"
PORT="${EDGEPIX_PORT:-3103}"
BIN="${EDGEPIX_BIN:-$ROOT/target/release/edgepix}"
PIDFILE="$RUN/edgepix.pid"
TEMPLATE="http://127.0.0.1:$PORT/{file}?w={w}&f=webp&q={q}"

urls() { for f in "${HTTP_IMAGES[@]}"; do echo "http://127.0.0.1:$PORT/$f?w=800&f=webp&q=80"; done; }

case "${1:-}" in
  start)
    if pid_running "$PIDFILE"; then echo "edgepix already running (pid $(cat "$PIDFILE"))"; urls; exit 0; fi
    port_free "$PORT" || { echo "port $PORT is taken; set EDGEPIX_PORT" >&2; exit 1; }
    EDGEPIX_SOURCE="$IMAGES_DIR" EDGEPIX_LISTEN="127.0.0.1:$PORT" RUST_LOG=warn \
      "$BIN" > "$RUN/edgepix.log" 2>&1 &
    echo $! > "$PIDFILE"
    if ! wait_http "http://127.0.0.1:$PORT/${HTTP_IMAGES[0]}?w=16" 30; then
      echo "edgepix did not come up; log:" >&2; cat "$RUN/edgepix.log" >&2; stop_pidfile "$PIDFILE"; exit 1
    fi
    echo "edgepix up on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"
    urls ;;
  stop) stop_pidfile "$PIDFILE"; echo "edgepix stopped" ;;
  urls) urls ;;
  template) echo "$TEMPLATE" ;;
  *) sed -n '2,7p' "$0"; exit 2 ;;
esac
