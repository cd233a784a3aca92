#!/usr/bin/env python3
"""Write a toy folder of pictures and toy CIFAR-10 batches, for trying and checking `--data`.

    python3 tools/data/make_toy_pictures.py OUT_DIR

OUT_DIR/pictures/{apple,leaf,sky}/NNN.png|bmp: 40 pictures per class of assorted sizes (10 to 40
pixels a side), each one colour (red, green or blue, jittered) over noise, in torchvision's
ImageFolder layout. OUT_DIR/cifar/data_batch_1.bin and test_batch.bin: 300 and 100 records in
CIFAR-10's binary format (a label byte, then the 32x32 red, green and blue planes), class k's
pictures brightest in a band of rows around 3k. Standard library only (PNG and BMP written by
hand); seeded, so every run writes the same bytes.
"""
import os
import random
import struct
import sys
import zlib

COLOURS = {"apple": (200, 30, 30), "leaf": (30, 180, 40), "sky": (20, 40, 210)}


def pixels(rng, width, height, colour):
    return [[tuple(max(0, min(255, c + rng.randint(-60, 60))) for c in colour) for _ in range(width)] for _ in range(height)]


def write_png(path, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(v for p in row for v in p) for row in rows)
    header = struct.pack(">IIBBBBB", len(rows[0]), len(rows), 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def write_bmp(path, rows):
    width, height = len(rows[0]), len(rows)
    stride = (3 * width + 3) // 4 * 4
    body = b"".join(bytes(v for p in row for v in reversed(p)).ljust(stride, b"\x00") for row in reversed(rows))
    header = struct.pack("<2sIHHI", b"BM", 54 + len(body), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(body), 2835, 2835, 0, 0)
    with open(path, "wb") as f:
        f.write(header + info + body)


def pictures(root, rng):
    for name, colour in COLOURS.items():
        folder = os.path.join(root, name)
        os.makedirs(folder, exist_ok=True)
        for i in range(40):
            rows = pixels(rng, rng.randint(10, 40), rng.randint(10, 40), colour)
            (write_bmp if i % 4 == 3 else write_png)(os.path.join(folder, f"{i:03d}.{'bmp' if i % 4 == 3 else 'png'}"), rows)


def cifar(root, rng):
    os.makedirs(root, exist_ok=True)
    for name, count in (("data_batch_1.bin", 300), ("test_batch.bin", 100)):
        records = bytearray()
        for r in range(count):
            label = r % 10
            records.append(label)
            for _ in range(3):
                records += bytes(min(255, rng.randint(0, 80) + (150 if abs(y - 3 * label) <= 1 else 0)) for y in range(32) for _ in range(32))
        with open(os.path.join(root, name), "wb") as f:
            f.write(records)


def main(out):
    rng = random.Random(7)
    pictures(os.path.join(out, "pictures"), rng)
    cifar(os.path.join(out, "cifar"), rng)
    print(f"wrote {out}/pictures (3 classes x 40 pictures) and {out}/cifar (300 + 100 records)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "toy-data")
