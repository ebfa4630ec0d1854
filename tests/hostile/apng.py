"""Animated PNGs built chunk by chunk (APNG specification): thousands of
frames, a thousand frames of a 1000x1000 canvas, and a frame placed
outside the canvas (invalid: edgepix answers 4xx). Frames are 1x1 and the
default image is blank, so the files stay small."""
import struct
import zlib


def chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def rows(width, height):
    """Zlib data of a blank RGBA image (filter byte 0 on every row)."""
    return zlib.compress((b"\x00" + b"\x00" * 4 * width) * height, 9)


def fctl(sequence, width, height, x, y):
    return chunk(b"fcTL", struct.pack(">IIIIIHHBB", sequence, width, height, x, y, 1, 10, 0, 0))


def animation(width, height, frames, outside=None):
    """`frames` frames: the default image (all of the canvas), then 1x1
    frames at the origin; frame `outside` (if any) placed past the canvas."""
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    out += chunk(b"acTL", struct.pack(">II", frames, 0))
    out += fctl(0, width, height, 0, 0) + chunk(b"IDAT", rows(width, height))
    tiny = rows(1, 1)
    sequence = 1
    for i in range(1, frames):
        x = width + 100 if i == outside else 0
        out += fctl(sequence, 1, 1, x, 0) + chunk(b"fdAT", struct.pack(">I", sequence + 1) + tiny)
        sequence += 2
    return out + chunk(b"IEND", b"")


def hostile():
    return {
        "apng-1000-frames-1000x1000-animation-too-large.png": animation(1000, 1000, 1000),
        "apng-3000-frames-too-many-frames.png": animation(10, 10, 3000),
        "apng-frame-outside-canvas.png": animation(10, 10, 3, outside=2),
    }
