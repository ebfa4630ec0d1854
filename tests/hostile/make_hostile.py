#!/usr/bin/env python3
"""Hostile AVIF, HEIC and JPEG XL files, made from the generated golden
originals (tests/golden/generated.py) at test time: headers that declare
more pixels than the limit (names ending in `-too-many-pixels`: the answer
must be 422 `too_many_pixels`), headers that lie in the other direction,
truncations and box sizes and item extents that point past the end. And
hostile GIF, WebP and APNG animations, written byte by byte (gif.py, webp.py,
apng.py): thousands of frames
(`-too-many-frames`), a thousand frames of a 1000x1000 canvas
(`-animation-too-large`), frames larger than the canvas or outside it, a
missing trailer. Run by .ci/run before tests/bad_files.sh, which serves
them beside the corpus's bad/.

    python3 tests/hostile/make_hostile.py --generated target/golden/generated --out target/hostile
"""
import argparse, os, struct, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import apng
import gif
import webp


def patch_ispe(data, width, height):
    """Every `ispe` box's width and height (after its version and flags)."""
    out, at = bytearray(data), 0
    while (at := out.find(b"ispe", at)) >= 0:
        out[at + 8:at + 16] = struct.pack(">II", width, height)
        at += 4
    return bytes(out)


def patch_box_size(data, kind, size):
    at = data.find(kind) - 4
    return data[:at] + struct.pack(">I", size) + data[at + 4:]


def jxl_header(width, height):
    """A bare JPEG XL codestream whose SizeHeader declares width x height,
    with default image metadata and upsampling weights, and nothing after."""
    bits = []
    put = lambda value, n: bits.extend((value >> i) & 1 for i in range(n))
    put(0, 1)  # not small
    for side in (height, None):
        if side is None:
            put(0, 3)  # ratio 0: the width follows
            side = width
        put(3, 2)  # U32 selector 3: 30 bits
        put(side - 1, 30)
    put(1, 1)  # ImageMetadata.all_default
    put(1, 1)  # ImageMetadata.default_m (read even when all_default)
    bits += [0] * (-len(bits) % 8)
    body = bytes(sum(b << i for i, b in enumerate(bits[k:k + 8])) for k in range(0, len(bits), 8))
    return b"\xff\x0a" + body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--generated", default="target/golden/generated")
    ap.add_argument("--out", default="target/hostile")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    read = lambda name: open(os.path.join(args.generated, name), "rb").read()
    avif, heic, jxl = read("avif-10bit-444.avif"), read("heic-opaque.heic"), read("jxl-lossy.jxl")
    files = {
        "avif-17000x17000-too-many-pixels.avif": patch_ispe(avif, 17000, 17000),
        "heic-100000x100000-too-many-pixels.heic": patch_ispe(heic, 100000, 100000),
        "jxl-100000x100000-too-many-pixels.jxl": jxl_header(100000, 100000),
        "avif-ispe-smaller-than-coded.avif": patch_ispe(avif, 64, 36),
        "avif-truncated.avif": avif[: len(avif) * 6 // 10],
        "avif-header-only.avif": avif[:400],
        "heic-truncated.heic": heic[: len(heic) * 6 // 10],
        "jxl-truncated.jxl": jxl[: len(jxl) * 6 // 10],
        "avif-meta-size-past-end.avif": patch_box_size(avif, b"meta", 0x7FFFFFF0),
        "avif-iloc-size-past-end.avif": patch_box_size(avif, b"iloc", 0xFFFFFF00),
        "heic-meta-size-too-small.heic": patch_box_size(heic, b"meta", 9),
    }
    files.update(gif.hostile())
    files.update(webp.hostile())
    files.update(apng.hostile())
    for name, data in files.items():
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
    print(f"{len(files)} hostile files in {args.out}")


if __name__ == "__main__":
    main()
