"""GIF animations built byte by byte, so that a file can say what no
encoder would write: frames larger than the canvas or placed outside it,
thousands of frames, no trailer. Image data is LZW with a clear code every
two literals, which keeps every code 3 bits wide (4-colour palette)."""
import struct

PALETTE = bytes([255, 0, 0, 0, 0, 255, 0, 255, 0, 255, 255, 255])


def lzw(pixels):
    """Valid LZW for 2-bit pixels: clear, two literals, clear, ..., end."""
    codes = []
    for i in range(0, len(pixels), 2):
        codes += [4] + list(pixels[i:i + 2])
    codes.append(5)
    bits = acc = 0
    out = bytearray()
    for code in codes:
        acc |= code << bits
        bits += 3
        while bits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        out.append(acc)
    blocks = b"".join(bytes([len(out[i:i + 255])]) + out[i:i + 255] for i in range(0, len(out), 255))
    return bytes([2]) + blocks + b"\x00"


def frame(left, top, width, height, colour=0, delay=5):
    control = b"\x21\xf9\x04" + bytes([0x04]) + struct.pack("<H", delay) + b"\x00\x00"
    descriptor = b"\x2c" + struct.pack("<HHHH", left, top, width, height) + b"\x00"
    return control + descriptor + lzw([colour] * (width * height))


def animation(width, height, frames, trailer=True):
    head = b"GIF89a" + struct.pack("<HH", width, height) + bytes([0xF1, 0, 0]) + PALETTE
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    return head + loop + b"".join(frames) + (b"\x3b" if trailer else b"")


def hostile():
    tiny = frame(0, 0, 1, 1)
    return {
        "gif-1000-frames-1000x1000-animation-too-large.gif": animation(1000, 1000, [tiny] * 1000),
        "gif-5000-frames-too-many-frames.gif": animation(10, 10, [tiny] * 5000),
        "gif-frame-larger-than-canvas.gif": animation(10, 10, [frame(0, 0, 10, 10), frame(4, 4, 40, 40, 1)]),
        "gif-frame-outside-canvas.gif": animation(10, 10, [frame(0, 0, 10, 10), frame(5000, 5000, 8, 8, 2)]),
        "gif-missing-trailer.gif": animation(10, 10, [frame(0, 0, 10, 10), frame(2, 2, 4, 4, 3)], trailer=False),
    }
