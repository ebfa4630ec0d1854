#!/usr/bin/env python3
"""Reference renders for the golden tests, by a pipeline that shares no code
with edgepix: Pillow decodes at full resolution (libjpeg-turbo, libpng,
libwebp, libtiff), applies the EXIF orientation, converts embedded ICC
profiles to sRGB with LittleCMS (ImageCms, perceptual intent, like edgepix's
default) and resizes with Lanczos (premultiplied alpha) to the size edgepix's
planner gives. Writes OUT/<file>.w<W>.png (8-bit RGB or RGBA).

    python3 tests/golden/make_refs.py --corpus ../shared/corpus --out target/golden

Then every frame of the animated originals (anim_refs.py), and the generated originals and their references (generated.py; needs
avifenc, cjxl and heif-enc), unless --corpus-only.
"""
import argparse, io, json, math, os, sys
from PIL import Image, ImageCms, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
SRGB = ImageCms.createProfile("sRGB")


def to_srgb(im):
    """Pillow image (first frame, upright) -> 8-bit sRGB RGB or RGBA."""
    icc = im.info.get("icc_profile")
    if im.mode in ("P", "PA", "LA", "I;16", "I", "1") or im.mode.startswith("I;"):
        alpha = im.mode in ("PA", "LA") or "transparency" in im.info
        im = im.convert("RGBA" if alpha else ("L" if im.mode in ("I;16", "I", "1") else "RGB"))
    if im.mode == "RGBA" and im.getextrema()[3][0] == 255:
        im = im.convert("RGB")  # edgepix drops an all-opaque alpha channel too
    if icc:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        out_mode = "RGBA" if im.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(im, src, SRGB, outputMode=out_mode)
    return im.convert("RGBA" if im.mode == "RGBA" else "RGB")


def render(path, width):
    im = Image.open(path)
    im.seek(0)  # first frame of an animation
    im = ImageOps.exif_transpose(im)
    im = to_srgb(im)
    height = max(1, math.floor(im.height * width / im.width + 0.5))
    if (width, height) != im.size:
        im = im.resize((width, height), Image.Resampling.LANCZOS)
    return im


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("EDGEPIX_CORPUS", "../shared/corpus"))
    ap.add_argument("--out", default="target/golden")
    ap.add_argument("--corpus-only", action="store_true", help="skip the generated AVIF/JPEG XL/HEIC cases")
    args = ap.parse_args()
    Image.MAX_IMAGE_PIXELS = 60_000_000
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(HERE, "cases.json")) as f:
        cases = json.load(f)["cases"]
    try:
        import pillow_heif  # HEIC references (the `heic` cases)
        pillow_heif.register_heif_opener()
    except ImportError:
        pillow_heif = None
    for case in cases:
        if case.get("feature") == "heic" and pillow_heif is None:
            print(f"{case['file']:40} -> skipped: no pillow-heif for its reference")
            continue
        src = os.path.join(args.corpus, case["file"])
        if not os.path.exists(src):
            sys.exit(f"missing corpus file {src}")
        im = render(src, case["w"])
        out = os.path.join(args.out, f"{case['file']}.w{case['w']}.png")
        im.save(out)
        print(f"{case['file']:40} -> {im.mode} {im.size[0]}x{im.size[1]}")
    sys.path.insert(0, HERE)
    import anim_refs
    anim_refs.write(args.corpus, args.out)
    if not args.corpus_only:
        import generated
        generated.write(args.corpus, args.out)


if __name__ == "__main__":
    main()
