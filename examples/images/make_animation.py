#!/usr/bin/env python3
"""Writes rocket-pan.webp, the dev server's animated sample: 12 frames
panning up rocket.jpg (public domain, see CREDITS.md), 320x240, 100 ms a
frame, looping, lossy WebP. Kept so the sample can be remade from its
source:

    python3 examples/images/make_animation.py   # needs Pillow
"""
import os
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
FRAMES, SIZE = 12, (320, 240)

src = Image.open(os.path.join(HERE, "rocket.jpg")).convert("RGB")
crop_w, crop_h = 400, 300
left = (src.width - crop_w) // 2
frames = []
for i in range(FRAMES):
    top = round((src.height - crop_h) * (1 - i / (FRAMES - 1)))
    frames.append(src.crop((left, top, left + crop_w, top + crop_h)).resize(SIZE, Image.Resampling.LANCZOS))
out = os.path.join(HERE, "rocket-pan.webp")
frames[0].save(out, save_all=True, append_images=frames[1:], duration=100, loop=0, quality=70, method=6)
print(f"{out}: {os.path.getsize(out)} bytes")
