#!/usr/bin/env python3
"""How often a cover crop keeps the subject: edgepix's pos=attention and
pos=entropy against `vips smartcrop --interesting attention|entropy`
(libvips-tools) and the centre crop, on scenes made from corpus photos
where the subject's place is known: a 360 px detailed patch of one photo
pasted near an edge (left, right, top or bottom) of a heavily blurred
other photo, 1600x900 or 900x1600, cropped to 900x900 (no resize, so each
crop is found in the scene exactly). A crop keeps the subject when it
holds at least 90% of the patch.

    python3 benches/smartcrop_subjects.py [CORPUS] [EDGEPIX_BENCH]

Needs Pillow and numpy.
"""

import itertools
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

CORPUS = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus")
BENCH = sys.argv[2] if len(sys.argv) > 2 else "target/release/edgepix-bench"
PHOTOS = ["photo-8mp-3264x2448.jpg", "photo-6mp-2725x2225.jpg", "photo-2mp-1920x1080.jpg",
          "photo-adobergb-progressive.jpg", "photo-24mp-4000x6000.jpg"]
PATCH, BOX = 360, 900


def scene(background, subject, side):
    """A scene and the subject's (x0, y0, x1, y1)."""
    wide = side in ("left", "right")
    size = (1600, 900) if wide else (900, 1600)
    bg = Image.open(CORPUS / background).convert("RGB").resize(size).filter(ImageFilter.GaussianBlur(24))
    src = Image.open(CORPUS / subject).convert("RGB")
    cx, cy = src.width // 2, src.height // 2  # the photo's centre: its subject, usually
    patch = src.crop((cx - PATCH // 2, cy - PATCH // 2, cx + PATCH // 2, cy + PATCH // 2))
    margin = 60
    x = {"left": margin, "right": size[0] - PATCH - margin}.get(side, (size[0] - PATCH) // 2)
    y = {"top": margin, "bottom": size[1] - PATCH - margin}.get(side, (size[1] - PATCH) // 2)
    bg.paste(patch, (x, y))
    return bg, (x, y, x + PATCH, y + PATCH)


def find(crop, scene):
    """The crop's offset along the scene's long axis (exact match)."""
    a, c = np.asarray(scene, dtype=np.int16), np.asarray(crop.convert("RGB"), dtype=np.int16)
    wide = a.shape[1] > a.shape[0]
    n = (a.shape[1] if wide else a.shape[0]) - BOX
    errors = [np.abs((a[:, o:o + BOX] if wide else a[o:o + BOX]) - c).mean() for o in range(n + 1)]
    return int(np.argmin(errors)), wide


def kept(offset, wide, subject):
    lo, hi = (subject[0], subject[2]) if wide else (subject[1], subject[3])
    inside = max(0, min(hi, offset + BOX) - max(lo, offset))
    return inside >= 0.9 * (hi - lo)


def main():
    tmp = Path(tempfile.mkdtemp())
    counts = {k: 0 for k in ["centre", "edgepix-attention", "vips-attention", "edgepix-entropy", "vips-entropy"]}
    cases = 0
    for background, subject in itertools.permutations(PHOTOS, 2):
        for side in ["left", "right", "top", "bottom"]:
            image, box = scene(background, subject, side)
            path = tmp / "scene.png"
            image.save(path)
            cases += 1
            wide = image.width > image.height
            centre = ((image.width if wide else image.height) - BOX) // 2
            counts["centre"] += kept(centre, wide, box)
            for pos in ["attention", "entropy"]:
                query = f"w={BOX}&h={BOX}&f=png&pos={pos}"
                subprocess.run([BENCH, "query", str(path), query, "1", str(tmp / "e.png")], check=True, capture_output=True)
                counts[f"edgepix-{pos}"] += kept(*find(Image.open(tmp / "e.png"), image), box)
                subprocess.run(["vips", "smartcrop", str(path), str(tmp / "v.png"), str(BOX), str(BOX), "--interesting", pos], check=True)
                counts[f"vips-{pos}"] += kept(*find(Image.open(tmp / "v.png"), image), box)
        print(f"{cases} scenes: " + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)


if __name__ == "__main__":
    main()
