#!/usr/bin/env bash
# Every file in the corpus's bad/ folder, under several queries, against a
# fresh server on the corpus folder: each answer must be a 4xx with a
# JSON {code, message} body within 1 s (a file that is in fact a valid image,
# such as bad/png-with-jpg-extension.jpg, which content sniffing reads as the
# PNG it is, must be a 200 image instead), the server must stay up, and its
# resident set must come back near the baseline (within SLACK MiB) afterwards.
# Files of an optional extra folder (tests/hostile/make_hostile.py's) are
# served beside them; a name containing `too-many-pixels`, `too-many-frames`
# or `animation-too-large` must be answered with that code. GIFs whose
# frames stray outside the canvas or lack the trailer are drawn as browsers
# draw them (clipped; the frames before the end), so they answer 200; a
# WebP frame outside its canvas makes the file invalid (browsers show
# nothing), so those answer 4xx like any broken file.
#   tests/bad_files.sh target/release/edgepix ../shared/corpus [slack-MiB] [extra-dir]
set -euo pipefail
BIN=$1 CORPUS=$2 SLACK_MIB=${3:-64} EXTRA=${4:-} PORT=${BAD_PORT:-3314}
VALID_IMAGES=" png-with-jpg-extension.jpg fuzz-panic.webp gif-frame-larger-than-canvas.gif gif-frame-outside-canvas.gif gif-missing-trailer.gif "
# The server's folder: the warm-up photo and bad/, copies (small files).
SRC=$(mktemp -d)
mkdir "$SRC/bad"
cp "$CORPUS/photo-2mp-1920x1080.jpg" "$SRC/"
cp "$CORPUS"/bad/* ${EXTRA:+"$EXTRA"/*} "$SRC/bad/"
EDGEPIX_SOURCE="$SRC" EDGEPIX_LISTEN="127.0.0.1:$PORT" "$BIN" >/dev/null 2>&1 &
PID=$!
BODY=$(mktemp)
trap 'kill $PID 2>/dev/null || true; rm -rf "$BODY" "$SRC"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$PID/status"; }
# Warm up allocator and codecs on a valid image first, so the baseline is a
# working server's, not an idle one's.
curl -s -o /dev/null "http://127.0.0.1:$PORT/photo-2mp-1920x1080.jpg?w=400&f=webp"
baseline=$(rss)
failures=0 checks=0 slowest=0
for path in "$SRC"/bad/*; do
  file=$(basename "$path")
  for q in "" "w=400" "w=200&f=webp" "w=8000&h=8000&f=png" "w=300&f=avif"; do
    read -r code secs < <(curl -s -o "$BODY" -w '%{http_code} %{time_total}\n' -m 5 \
      "http://127.0.0.1:$PORT/bad/$file?$q" || echo "000 5")
    checks=$((checks + 1))
    ms=$(awk -v s="$secs" 'BEGIN {print int(s * 1000)}')
    [ "$ms" -gt "$slowest" ] && slowest=$ms
    if [[ "$VALID_IMAGES" == *" $file "* ]]; then
      ok=$([ "$code" = 200 ] && echo yes || echo no)
    elif want=$(grep -o -E 'too-many-pixels|too-many-frames|animation-too-large' <<<"$file"); then
      ok=$([ "$code" = 422 ] && python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["code"] == sys.argv[2]' "$BODY" "${want//-/_}" 2>/dev/null && echo yes || echo no)
    else
      ok=$([[ "$code" =~ ^4[0-9][0-9]$ ]] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["code"] and d["message"]' "$BODY" 2>/dev/null && echo yes || echo no)
    fi
    if [ "$ok" != yes ] || [ "$ms" -ge 1000 ]; then
      echo "FAIL bad/$file?$q -> $code in ${ms} ms: $(head -c 200 "$BODY")"; failures=$((failures + 1))
    fi
  done
done
sleep 1
after=$(rss)
echo "RSS baseline ${baseline} MiB, after ${after} MiB; slowest answer ${slowest} ms"
if [ "$after" -gt $((baseline + SLACK_MIB)) ]; then echo "FAIL RSS did not come back near baseline"; failures=$((failures + 1)); fi
kill -0 $PID || { echo "FAIL server died"; failures=$((failures + 1)); }
echo "$((checks - failures)) of $checks passed"
[ "$failures" = 0 ]
