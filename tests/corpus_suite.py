#!/usr/bin/env python3
"""Corpus suite: a running edgepix server against ../shared/corpus.

Every valid corpus image in a supported input format and within the default
limits must come back at w=400 in each output format with the right size
(EXIF orientation applied) and a body that Pillow decodes; files over the
limits must answer 422; every hostile file in bad/ must answer 4xx with a JSON
body (or, for the two files there that are valid images, a correct 200); and
the server must still be up at the end.

Pillow (with its bundled libavif) is the independent oracle for decoding and
for the expected size. Run by .ci/run; by hand:

    EDGEPIX_SOURCE=../shared/corpus cargo run --release &
    python3 tests/corpus_suite.py --base http://127.0.0.1:3000 --corpus ../shared/corpus
"""

import argparse
import csv
import io
import json
import math
import os
import sys
import urllib.parse

from PIL import Image, ImageOps

from httpcheck import fetch

FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "avif": "AVIF"}
SUPPORTED_INPUT = {"JPEG", "PNG", "GIF", "WEBP", "TIFF", "AVIF"}
# Files Pillow cannot read alone but edgepix can (with the `heic` feature):
# (corpus file -> size as displayed), checked when --heic says the server has it.
HEIC = {"heic-1440x960.heic": (1440, 960)}
MAX_PIXELS = 50_000_000
# Files in bad/ that are valid images, which edgepix must serve correctly:
# a PNG named .jpg (content is sniffed, as imgproxy and sharp do) and the
# WebP that once panicked image-rs (libwebp and Pillow decode it).
VALID_IN_BAD = {"bad/png-with-jpg-extension.jpg", "bad/fuzz-panic.webp"}


def expected_size(path, width):
    name = os.path.basename(path)
    if name in HEIC:
        w, h = HEIC[name]
        out_w = min(width, w)
        return out_w, max(1, math.floor(h * out_w / w + 0.5))
    with Image.open(path) as im:
        w, h = ImageOps.exif_transpose(im).size if im.format != "AVIF" else im.size
    out_w = min(width, w)
    return out_w, max(1, math.floor(h * out_w / w + 0.5))


def quote(name):
    return urllib.parse.quote(name)


class Suite:
    def __init__(self, base, corpus, heic=False):
        self.base, self.corpus, self.heic = base.rstrip("/"), corpus, heic
        self.passed, self.failed = 0, 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}", flush=True)

    def image(self, name, fmt):
        url = f"{self.base}/{quote(name)}?w=400&f={fmt}"
        status, headers, body, secs = fetch(url)
        what = f"{name} f={fmt}: {status} in {secs:.2f}s"
        if status != 200:
            self.check(False, f"{what} {body[:200]!r}")
            return
        try:
            with Image.open(io.BytesIO(body)) as out:
                out.load()
                got, size = out.format, out.size
        except Exception as e:  # noqa: BLE001 - any decode failure is a failure
            self.check(False, f"{what}: Pillow cannot decode the body ({e})")
            return
        want = expected_size(f"{self.corpus}/{name}", 400)
        size_ok = size[0] == want[0] and abs(size[1] - want[1]) <= 1
        self.check(got == FORMATS[fmt] and size_ok and headers.get("Content-Type") == f"image/{fmt}",
                   f"{what}: {got} {size}, want {FORMATS[fmt]} {want}")

    def refused(self, name, query, statuses, code=None):
        status, headers, body, secs = fetch(f"{self.base}/{quote(name)}{query}")
        what = f"{name}{query}: {status} in {secs:.2f}s {body[:160]!r}"
        try:
            doc = json.loads(body)
            shape = isinstance(doc.get("code"), str) and isinstance(doc.get("message"), str)
        except ValueError:
            doc, shape = {}, False
        ok = status in statuses and shape and (code is None or doc["code"] == code)
        self.check(ok and secs < 1.0 and headers.get("Content-Type") == "application/json", what)

    def run(self):
        with open(f"{self.corpus}/MANIFEST.tsv", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        for row in rows:
            name = row["file"]
            if name.startswith("bad/") and name not in VALID_IN_BAD:
                for query in ("?w=400", "?w=400&f=avif", ""):
                    self.refused(name, query, range(400, 500))
                continue
            fmt = row["format"].split("Pillow: ")[-1].split()[0] if "Pillow: " in row["format"] else ""
            pixels = int(row["width"]) * int(row["height"])
            if name in HEIC:
                fmt = "HEIC" if self.heic else fmt
            if pixels > MAX_PIXELS:
                self.refused(name, "?w=400", {422}, "too_many_pixels")
            elif fmt not in SUPPORTED_INPUT | ({"HEIC"} if self.heic else set()):
                self.refused(name, "?w=400", {422}, "unsupported_format")
            else:
                for out in FORMATS:
                    self.image(name, out)
                status, _, body, _ = fetch(f"{self.base}/{quote(name)}")
                with open(f"{self.corpus}/{name}", "rb") as original:
                    self.check(status == 200 and body == original.read(), f"{name}: original not served as-is")
        status, _, _, _ = fetch(f"{self.base}/healthz", timeout=5)
        self.check(status == 200, "server did not survive the corpus")
        print(f"{self.passed} passed, {self.failed} failed")
        return self.failed == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:3000")
    parser.add_argument("--corpus", default="../shared/corpus")
    parser.add_argument("--heic", action="store_true", help="the server is built with the heic feature")
    args = parser.parse_args()
    sys.exit(0 if Suite(args.base, args.corpus, args.heic).run() else 1)


if __name__ == "__main__":
    main()
