"""Animated WebPs built chunk by chunk (WebP container spec): thousands of
frames, or a thousand frames of a 1000x1000 canvas. Each frame is a 1x1
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


def animation(width, height, frames):
    vp8x = bytes([0x12, 0, 0, 0]) + u24(width - 1) + u24(height - 1)  # animation + alpha
    anim = struct.pack("<IH", 0, 0)
    frame = chunk(b"ANMF", u24(0) + u24(0) + u24(0) + u24(0) + u24(50) + b"\x00" + chunk(b"VP8L", blank_vp8l(1, 1)))
    body = b"WEBP" + chunk(b"VP8X", vp8x) + chunk(b"ANIM", anim) + frame * frames
    return b"RIFF" + struct.pack("<I", len(body)) + body


def hostile():
    return {
        "webp-1000-frames-1000x1000-animation-too-large.webp": animation(1000, 1000, 1000),
        "webp-3000-frames-too-many-frames.webp": animation(10, 10, 3000),
    }
