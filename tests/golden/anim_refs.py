"""Reference frames for the animation test (crates/edgepix-core/tests/animation.rs):
Pillow composites every frame of an animated GIF or WebP (disposal, blending,
offsets; libwebp's WebPAnimDecoder for WebP) and resizes it with Lanczos
(premultiplied alpha) to the test's width. Writes
OUT/anim/<file>/NNN.png (RGBA) and OUT/anim/<file>/meta.json with the
frame count, each frame's delay in ms and the loop count."""
import json, math, os
from PIL import Image

FILES = ["gif-animated-44-frames.gif", "webp-animated-14-frames.webp"]
WIDTH = 200


def write(corpus, out):
    for name in FILES:
        src = os.path.join(corpus, name)
        if not os.path.exists(src):
            raise SystemExit(f"missing corpus file {src}")
        im = Image.open(src)
        folder = os.path.join(out, "anim", name)
        os.makedirs(folder, exist_ok=True)
        delays = []
        for i in range(im.n_frames):
            im.seek(i)
            frame = im.convert("RGBA")  # loads the frame, and with it its duration
            delays.append(int(im.info.get("duration", 0)))
            height = max(1, math.floor(frame.height * WIDTH / frame.width + 0.5))
            frame = frame.resize((WIDTH, height), Image.Resampling.LANCZOS)
            frame.save(os.path.join(folder, f"{i:03}.png"))
        meta = {"frames": im.n_frames, "delays_ms": delays, "loop": im.info.get("loop"), "width": WIDTH}
        with open(os.path.join(folder, "meta.json"), "w") as f:
            json.dump(meta, f)
        print(f"{name:40} -> {im.n_frames} frames at w={WIDTH}, loop {meta['loop']}")
