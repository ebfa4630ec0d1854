"""Generated originals for what the corpus lacks (AVIF at 10 and 12 bits,
4:2:2 and 4:4:4, grey, alpha, rotation and mirroring, a clean aperture, a
tiled grid, Display P3, PQ and HLG; JPEG XL lossy, lossless with alpha, with
a P3 profile and with an EXIF orientation; HEIC opaque and with alpha), each
with its reference: what the file must look like, computed from the picture
it was made from, not by decoding it (so the reference shares no code with
any decoder). Written by Debian's `avifenc` (libavif-bin), `cjxl`
(libjxl-tools) and `heif-enc` (libheif-examples, x265), from a crop of a
corpus photo.

Used by make_refs.py: `write(corpus, out)` makes OUT/generated/<file> and
OUT/<file>.w<W>.png, and OUT/generated/cases.json for the golden test.
"""
import io, json, math, os, shutil, struct, subprocess, zlib
from PIL import Image, ImageCms, ImageDraw, ImageOps

SRGB = ImageCms.createProfile("sRGB")
TOOLS = ("avifenc", "cjxl", "heif-enc")
W = 400  # every case is rendered at this width (the sources are 640 wide)


def sources(corpus, tmp):
    """An opaque 640x360 photo crop and an RGBA one with see-through areas."""
    photo = Image.open(os.path.join(corpus, "photo-2mp-1920x1080.jpg")).convert("RGB")
    photo = photo.resize((640, 360), Image.Resampling.LANCZOS)
    rgba = photo.convert("RGBA")
    mask = Image.new("L", rgba.size, 255)
    draw = ImageDraw.Draw(mask)
    draw.ellipse([380, 150, 620, 350], fill=96)
    draw.rectangle([0, 0, 120, 80], fill=0)
    rgba.putalpha(mask)
    paths = {"rgb": os.path.join(tmp, "src.png"), "rgba": os.path.join(tmp, "src-rgba.png")}
    photo.save(paths["rgb"])
    rgba.save(paths["rgba"])
    return photo, rgba, paths


def srgb_to_linear(v):
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def linear_to_srgb(v):
    return 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


BT709_TO_BT2020 = [[0.6274, 0.3293, 0.0433], [0.0691, 0.9195, 0.0114], [0.0164, 0.0880, 0.8956]]


def pq_oetf(nits):
    m1, m2, c1, c2, c3 = 0.1593017578125, 78.84375, 0.8359375, 18.8515625, 18.6875
    y = (max(nits, 0.0) / 10000) ** m1
    return ((c1 + c2 * y) / (1 + c3 * y)) ** m2


def hlg_oetf(nits):
    scene = (max(nits, 0.0) / 1000) ** (1 / 1.2)  # the inverse of a 1000-nit, gamma 1.2 OOTF
    a, b, c = 0.17883277, 0.28466892, 0.55991073
    return math.sqrt(3 * scene) if scene <= 1 / 12 else a * math.log(12 * scene - b) + c


def tone_mapped(photo):
    """The documented SDR rendition: linear light relative to 203-nit white,
    identity up to 0.8, a smooth roll-off towards 1 above (on the largest channel)."""
    out = Image.new("RGB", photo.size)
    src, dst = photo.load(), out.load()
    for y in range(photo.height):
        for x in range(photo.width):
            lin = [srgb_to_linear(c / 255) for c in src[x, y]]
            top = max(lin)
            if top > 0.8:
                mapped = 0.8 + 0.2 * (1 - math.exp(-(top - 0.8) / 0.2))
                lin = [c * mapped / top for c in lin]
            dst[x, y] = tuple(round(linear_to_srgb(c) * 255) for c in lin)
    return out


def png16(path, width, height, rows):
    """A 16-bit RGB PNG (Pillow cannot write one)."""
    raw = b"".join(b"\0" + struct.pack(f">{width * 3}H", *row) for row in rows)
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def hdr_source(photo, path, oetf):
    """`photo` as BT.2020 code values of an HDR transfer, white at 203 nits."""
    src = photo.load()
    rows = []
    for y in range(photo.height):
        row = []
        for x in range(photo.width):
            lin = [srgb_to_linear(c / 255) for c in src[x, y]]
            bt2020 = [sum(m * c for m, c in zip(r, lin)) for r in BT709_TO_BT2020]
            row += [round(oetf(c * 203) * 65535) for c in bt2020]
        rows.append(row)
    png16(path, photo.width, photo.height, rows)


def upright_srgb(path):
    """A corpus file as make_refs.py sees it: upright, converted to sRGB by LittleCMS."""
    from make_refs import to_srgb
    return to_srgb(ImageOps.exif_transpose(Image.open(path)))


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def write(corpus, out):
    """Make the files and references; returns the number of cases."""
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        # No cases.json: the generated test fails saying so when it is run
        # (it is #[ignore]d by default); the corpus cases still get references.
        print(f"generated cases skipped: no {', '.join(missing)} (libavif-bin, libjxl-tools, libheif-examples)")
        return 0
    gen = os.path.join(out, "generated")
    os.makedirs(gen, exist_ok=True)
    photo, rgba, src = sources(corpus, gen)
    p3_icc = Image.open(os.path.join(corpus, "icc-display-p3-8x8.png")).info["icc_profile"]
    p3 = ImageCms.ImageCmsProfile(io.BytesIO(p3_icc))
    as_p3 = ImageCms.profileToProfile(photo, p3, SRGB, renderingIntent=0)  # P3 code values, seen in sRGB
    p3_png = os.path.join(gen, "src-p3.png")
    photo.save(p3_png, icc_profile=p3_icc)
    hdr = tone_mapped(photo)
    hdr_source(photo, os.path.join(gen, "src-pq.png"), pq_oetf)
    hdr_source(photo, os.path.join(gen, "src-hlg.png"), hlg_oetf)
    turn = lambda im: im.transpose(Image.Transpose.ROTATE_90)  # irot 1: a quarter turn anticlockwise
    avif = lambda *a: lambda path: run("avifenc", "-s", "8", "--min", "10", "--max", "20", *a[:-1], a[-1], path)
    cases = [
        # (file, how to make it, reference, threshold, feature)
        ("avif-10bit-444.avif", avif("-d", "10", "-y", "444", src["rgb"]), photo, 80, None),
        ("avif-12bit-422.avif", avif("-d", "12", "-y", "422", src["rgb"]), photo, 80, None),
        ("avif-8bit-420-limited.avif", avif("-r", "limited", src["rgb"]), photo, 80, None),
        ("avif-grey.avif", avif("-y", "400", src["rgb"]), photo.convert("L").convert("RGB"), 80, None),
        ("avif-alpha.avif", avif(src["rgba"]), rgba, 80, None),
        ("avif-irot1-imir0.avif", avif("--irot", "1", "--imir", "0", src["rgb"]), ImageOps.flip(turn(photo)), 80, None),
        ("avif-irot3.avif", avif("--irot", "3", src["rgb"]), photo.transpose(Image.Transpose.ROTATE_270), 80, None),
        ("avif-imir1.avif", avif("--imir", "1", src["rgb"]), ImageOps.mirror(photo), 80, None),
        ("avif-clap.avif", avif("--clap", "320,1,180,1,40,1,-30,1", src["rgb"]), photo.crop((200, 60, 520, 240)), 80, None),
        ("avif-grid-2x2.avif", avif("-g", "2x2", src["rgb"]), photo, 80, None),
        ("avif-p3.avif", avif("--cicp", "12/13/1", src["rgb"]), as_p3, 80, None),
        ("avif-pq.avif", avif("-d", "10", "--cicp", "9/16/9", os.path.join(gen, "src-pq.png")), hdr, 70, None),
        ("avif-hlg.avif", avif("-d", "10", "--cicp", "9/18/9", os.path.join(gen, "src-hlg.png")), hdr, 70, None),
        ("jxl-lossy.jxl", lambda p: run("cjxl", "-d", "1", src["rgb"], p), photo, 80, None),
        ("jxl-lossless-alpha.jxl", lambda p: run("cjxl", "-d", "0", src["rgba"], p), rgba, 90, None),
        ("jxl-p3.jxl", lambda p: run("cjxl", "-d", "1", p3_png, p), as_p3, 80, None),
        # A JPEG recompressed losslessly: its EXIF orientation and its ICC profile come along.
        ("jxl-from-jpeg-orientation-6.jxl", lambda p: run("cjxl", os.path.join(corpus, "exif-orientation-6.jpg"), p),
         upright_srgb(os.path.join(corpus, "exif-orientation-6.jpg")), 80, None),
        ("heic-opaque.heic", lambda p: run("heif-enc", "-q", "90", src["rgb"], "-o", p), photo, 80, "heic"),
        ("heic-alpha.heic", lambda p: run("heif-enc", "-q", "90", src["rgba"], "-o", p), rgba, 80, "heic"),
    ]
    listed = []
    for name, make, reference, minimum, feature in cases:
        make(os.path.join(gen, name))
        width = min(W, reference.width)
        height = max(1, math.floor(reference.height * width / reference.width + 0.5))
        reference.resize((width, height), Image.Resampling.LANCZOS).save(os.path.join(out, f"{name}.w{width}.png"))
        listed.append({"file": name, "w": width, "metric": "ssimulacra2", "min": minimum, "feature": feature})
        print(f"generated {name:34} -> reference {reference.mode} {width}x{height}")
    with open(os.path.join(gen, "cases.json"), "w") as f:
        json.dump({"cases": listed}, f, indent=1)
    return len(listed)
