"""Animated WebPs built chunk by chunk (WebP container spec): thousands of
frames, a thousand frames of a 1000x1000 canvas, frames that reach
past the canvas (invalid: edgepix answers 4xx, as browsers show nothing),
a first frame whose bitstream is noise and a file cut inside its first
frame (nothing to show: 4xx). Each frame is a 1x1
lossless bitstream written by hand (single-symbol prefix codes, the same
8 bytes edgepix-webp's timeline.rs writes), so a file of thousands of
frames stays small."""
import struct


def blank_vp8l(width, height):
    bits, used = bytearray(), 0

    def put(value, count):
        nonlocal used
        for i in range(count):
            if used % 8 == 0:
                bits.append(0)
            bits[-1] |= ((value >> i) & 1) << (used % 8)
            used += 1

    put(0x2F, 8)
    put(width - 1, 14)
    put(height - 1, 14)
    put(1, 1)
    put(0, 3)
    put(0, 3)  # no transform, no colour cache, no meta prefix codes
    for _ in range(5):
        put(0b0001, 4)
    return bytes(bits)


def chunk(tag, payload):
    return tag + struct.pack("<I", len(payload)) + payload + (b"\x00" if len(payload) % 2 else b"")


def u24(v):
    return struct.pack("<I", v)[:3]


def frame(x, y, width, height):
    """An ANMF chunk: a blank lossless frame at (x, y) (stored halved, as
    the container stores offsets)."""
    header = u24(x // 2) + u24(y // 2) + u24(width - 1) + u24(height - 1) + u24(50) + b"\x00"
    return chunk(b"ANMF", header + chunk(b"VP8L", blank_vp8l(width, height)))


def animation(width, height, frames):
    vp8x = bytes([0x12, 0, 0, 0]) + u24(width - 1) + u24(height - 1)  # animation + alpha
    anim = struct.pack("<IH", 0, 0)
    if isinstance(frames, int):
        frames = [frame(0, 0, 1, 1)] * frames
    body = b"WEBP" + chunk(b"VP8X", vp8x) + chunk(b"ANIM", anim) + b"".join(frames)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def garbage_frame(width, height):
    """An ANMF chunk whose lossless bitstream is noise after its header."""
    header = u24(0) + u24(0) + u24(width - 1) + u24(height - 1) + u24(50) + b"\x00"
    noise = bytes((i * 167 + 13) % 251 for i in range(64))
    return chunk(b"ANMF", header + chunk(b"VP8L", blank_vp8l(width, height)[:5] + noise))


def cut(data, keep):
    """The first `keep` bytes, the RIFF size still claiming the whole file."""
    return data[:keep]


def hostile():
    return {
        "webp-1000-frames-1000x1000-animation-too-large.webp": animation(1000, 1000, 1000),
        "webp-3000-frames-too-many-frames.webp": animation(10, 10, 3000),
        "webp-frame-larger-than-canvas.webp": animation(10, 10, [frame(0, 0, 10, 10), frame(4, 4, 40, 40)]),
        "webp-frame-outside-canvas.webp": animation(10, 10, [frame(0, 0, 10, 10), frame(5000, 5000, 8, 8)]),
        "webp-frame-bitstream-noise.webp": animation(10, 10, [garbage_frame(10, 10), frame(0, 0, 10, 10)]),
        "webp-cut-in-first-frame.webp": cut(animation(10, 10, [frame(0, 0, 10, 10)] * 3), 60),
    }
