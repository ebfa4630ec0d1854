#!/usr/bin/env bash
# `cargo lambda watch` end to end: the Lambda binary (CI: its simd build), under
# cargo-lambda's local Lambda runtime and Function URL emulation, reads
# originals from an S3-protocol server (s3s-fs) on loopback; its images must be
# byte-identical to the dev server's (same build) on the same files from the folder.
#   tests/lambda_watch.sh target/release/edgepix target/release/edgepix-lambda ../shared/corpus
# `--only-lambda-apis` makes cargo lambda serve the Runtime API and the
# Function URL emulation without building the function itself: a `cargo run`
# of one package resolves other features than CI's simd build and would
# recompile half the dependency tree (20+ minutes on 2 busy cores). The
# function is the binary given, started with the variables cargo lambda
# names, and talks to the emulator exactly as it talks to Lambda.
# Bounded: everything it starts is stopped on exit, cargo lambda runs under
# `timeout`.
set -euo pipefail
BIN=$1 LAMBDA_BIN=$2 CORPUS=$(cd "$3" && pwd)
S3_PORT=${S3_PORT:-3340} WATCH_PORT=${WATCH_PORT:-3341} DEV_PORT=${DEV_PORT:-3342}
ROOT=$(mktemp -d)
ln -s "$CORPUS" "$ROOT/corpus"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$ROOT"' EXIT

s3s-fs --host 127.0.0.1 --port "$S3_PORT" --access-key edgepix --secret-key edgepix-secret "$ROOT" >/dev/null 2>&1 &
PIDS+=($!)
EDGEPIX_SOURCE="$CORPUS" EDGEPIX_LISTEN="127.0.0.1:$DEV_PORT" "$BIN" >/dev/null 2>&1 &
PIDS+=($!)
# stdin stays open: cargo lambda watch stops when it reads end-of-file.
sleep 600 2>/dev/null | timeout 600 cargo lambda watch --only-lambda-apis --invoke-address 127.0.0.1 \
  --invoke-port "$WATCH_PORT" >target/lambda-watch.log 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$WATCH_PORT") 2>/dev/null && break; sleep 0.2; done
env EDGEPIX_SOURCE=s3://corpus EDGEPIX_S3_PATH_STYLE=true AWS_ENDPOINT_URL="http://127.0.0.1:$S3_PORT" \
  AWS_ACCESS_KEY_ID=edgepix AWS_SECRET_ACCESS_KEY=edgepix-secret AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
  AWS_LAMBDA_FUNCTION_NAME=edgepix-lambda AWS_LAMBDA_FUNCTION_VERSION=1 AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1769 \
  AWS_LAMBDA_RUNTIME_API="http://127.0.0.1:$WATCH_PORT/.rt/edgepix-lambda" \
  timeout 600 "$LAMBDA_BIN" >target/lambda-function.log 2>&1 &
PIDS+=($!)

URL="http://127.0.0.1:$WATCH_PORT/lambda-url/edgepix-lambda"
for _ in $(seq 1 50); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -m 30 "$URL/photo-2mp-1920x1080.jpg?w=10" || true)
  [ "$code" = 200 ] && break
  sleep 0.5
done
# lambda_get PATH_AND_QUERY: one request through the Function URL emulation into
# $ROOT/lambda (headers in $ROOT/headers, Content-Type in $type). cargo lambda watch 1.9.2 now and then
# loses a response the function did send: on 2026-11-25, 4 runs in 58 (one in
# CI) lost one request each, and each time the function's own log had that
# request answered 200 with the right byte count; the emulator then either
# never answered curl or answered with an error of its own (text/plain). Such
# a request is sent again, at most twice, and counted; more than MAX_RETRIES
# in a run fails the test. Whatever the function answers itself (an image/* or
# a JSON error) is never retried, and its log must show no error (below).
MAX_RETRIES=3 retries=0
lambda_get() {
  local attempt rc
  for attempt in 1 2 3; do
    rc=0; : >"$ROOT/lambda"; : >"$ROOT/headers"
    curl -s -o "$ROOT/lambda" -D "$ROOT/headers" -m 30 "$URL/$1" || rc=$?
    type=$(awk -F': ' 'tolower($1)=="content-type" {print $2}' "$ROOT/headers" | tr -d '\r')
    if [ "$rc" = 0 ] && [[ $type == image/* || $type == application/json* ]]; then return 0; fi
    retries=$((retries + 1))
    echo "emulator retry $retries ($1, attempt $attempt): curl exit $rc, ${type:-no content type}," \
      "$(head -c 200 "$ROOT/lambda" | tr -c '[:print:]' ' ')"
  done
}

failures=0 passed=0
for file in photo-2mp-1920x1080.jpg photo-6mp-2725x2225.jpg exif-orientation-6.jpg png-rgba-2048x1536.png \
  webp-lossy-alpha.webp gif-static.gif tiff-rgba-adobergb.tif; do
  for q in "w=400&f=webp" "w=300&h=300&f=jpeg" "w=200&f=png"; do
    lambda_get "$file?$q"
    curl -s -o "$ROOT/dev" -m 120 "http://127.0.0.1:$DEV_PORT/$file?$q"
    if cmp -s "$ROOT/lambda" "$ROOT/dev" && [ -s "$ROOT/dev" ] && [[ $type == image/* ]]; then
      passed=$((passed + 1))
    else
      echo "FAIL $file?$q: lambda $(stat -c %s "$ROOT/lambda") B ($type), dev server $(stat -c %s "$ROOT/dev") B"
      failures=$((failures + 1))
    fi
  done
done
lambda_get "no-such-file.jpg?w=10"
code=$(awk 'NR==1 {print $2}' "$ROOT/headers")
if [ "$code" = 404 ] && grep -q '"not_found"' "$ROOT/lambda"; then passed=$((passed + 1)); else
  echo "FAIL missing key: $code $(head -c 200 "$ROOT/lambda")"; failures=$((failures + 1)); fi
# The function answered every request itself: no error or panic in its log.
errors=$(grep '"level":"ERROR"\|panicked' target/lambda-function.log | head -5 || true)
if [ -n "$errors" ]; then
  echo "FAIL the function logged an error:"; echo "$errors"
  failures=$((failures + 1))
fi
if [ "$retries" -gt "$MAX_RETRIES" ]; then
  echo "FAIL $retries emulator retries (at most $MAX_RETRIES)"; failures=$((failures + 1))
fi
echo "$passed passed, $failures failed, $retries emulator retries"
[ "$failures" = 0 ] || { tail -n 20 target/lambda-watch.log target/lambda-function.log; exit 1; }
