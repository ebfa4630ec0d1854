#!/usr/bin/env python3
"""Where edgepix's pos=attention / pos=entropy put a cover crop, against
`vips smartcrop --interesting attention|entropy` (libvips-tools), on corpus
photos stored upright (vips does not apply EXIF orientation here).

    python3 benches/smartcrop_vips.py [CORPUS] [EDGEPIX_BENCH]

For a 1:1 box and a 1:2 (or 2:1) box, each crop is located in the source
by sliding it (downscaled to 128 px) along the axis the crop can move in;
the offset is printed as a percentage of that slack (0: left/top edge,
100: right/bottom edge, 50: the centre crop). Needs Pillow and numpy.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

CORPUS = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus")
BENCH = sys.argv[2] if len(sys.argv) > 2 else "target/release/edgepix-bench"
FILES = [
    "photo-8mp-3264x2448.jpg", "photo-6mp-2725x2225.jpg", "photo-2mp-1920x1080.jpg",
    "photo-adobergb-progressive.jpg", "photo-24mp-4000x6000.jpg", "progressive-999x999.jpg",
    "exif-orientation-1.jpg", "png-rgba-2048x1536.png",
]


def luma(image):
    return np.asarray(image.convert("L"), dtype=np.float64)


def locate(crop, src, side=128):
    """The crop's top-left corner in `src` (source pixels), by least squares."""
    k = side / min(crop.size)
    scaled = lambda im: luma(im.resize((max(1, round(im.width * k)), max(1, round(im.height * k))), Image.BILINEAR))
    s, c = scaled(src), scaled(crop)
    errors = {
        (ox, oy): ((s[oy:oy + c.shape[0], ox:ox + c.shape[1]] - c) ** 2).mean()
        for oy in range(s.shape[0] - c.shape[0] + 1)
        for ox in range(s.shape[1] - c.shape[1] + 1)
    }
    ox, oy = min(errors, key=errors.get)
    return ox / k, oy / k


def main():
    tmp = Path(tempfile.mkdtemp())
    for name in FILES:
        src = Image.open(CORPUS / name).convert("RGB")
        w, h = src.size
        for bw, bh in [(1, 1), (1, 2) if w > h else (2, 1)]:
            scale = max(bw / w, bh / h)
            cw, ch = min(round(bw / scale), w), min(round(bh / scale), h)
            axis, slack = (0, w - cw) if w - cw > h - ch else (1, h - ch)
            found = {}
            for pos in ["attention", "entropy"]:
                query = f"w={bw * 200}&h={bh * 200}&f=png&pos={pos}"
                subprocess.run([BENCH, "query", str(CORPUS / name), query, "1", str(tmp / "e.png")], check=True, capture_output=True)
                ours = Image.open(tmp / "e.png").convert("RGB").resize((cw, ch), Image.BILINEAR)
                found[f"edgepix-{pos}"] = locate(ours, src)
                subprocess.run(["vips", "smartcrop", str(CORPUS / name), str(tmp / "v.png"), str(cw), str(ch), "--interesting", pos], check=True)
                found[f"vips-{pos}"] = locate(Image.open(tmp / "v.png").convert("RGB"), src)
            cells = "  ".join(f"{k} {100 * v[axis] / slack:5.1f}%" if slack else f"{k} n/a" for k, v in found.items())
            print(f"{name:32s} {bw}:{bh} slack {slack:5d} {'xy'[axis]}  {cells}", flush=True)


if __name__ == "__main__":
    main()
