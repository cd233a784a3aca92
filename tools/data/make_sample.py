#!/usr/bin/python3
"""Cuts a stratified, seeded sample of Fashion-MNIST into data/fashion-mnist-sample/.

Takes the same number of items of every class (500 per class from the training set, 100 per
class from the test set by default), keeps them in their original order, and writes IDX files
gzip-compressed under the original file names, byte-for-byte reproducible (fixed seed, gzip
mtime 0). Needs only numpy. Run from the repository root:

    /usr/bin/python3 tools/data/make_sample.py [--source /usr/share/datasets/fashion-mnist]
"""
import argparse
import gzip
import pathlib
import struct

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
SETS = [("train", 500), ("t10k", 100)]


def read_idx(path):
    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, kind, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        raise ValueError(f"{path}: expected an unsigned-byte IDX file")
    dims = struct.unpack(f">{rank}I", data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def write_idx(path, array):
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
        f.write(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def find(source, stem):
    for name in (f"{stem}.gz", stem):
        if (source / name).exists():
            return source / name
    raise FileNotFoundError(f"{source}: neither {stem}.gz nor {stem} exists")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=pathlib.Path, default=pathlib.Path("/usr/share/datasets/fashion-mnist"))
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "data/fashion-mnist-sample")
    parser.add_argument("--seed", type=int, default=20240613)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for prefix, per_class in SETS:
        images = read_idx(find(args.source, f"{prefix}-images-idx3-ubyte"))
        labels = read_idx(find(args.source, f"{prefix}-labels-idx1-ubyte"))
        chosen = np.sort(np.concatenate([
            rng.choice(np.flatnonzero(labels == c), per_class, replace=False) for c in range(10)]))
        write_idx(args.out / f"{prefix}-images-idx3-ubyte.gz", images[chosen])
        write_idx(args.out / f"{prefix}-labels-idx1-ubyte.gz", labels[chosen])
        print(f"{prefix}: {len(chosen)} items, {per_class} per class")
    total = sum(p.stat().st_size for p in args.out.glob("*.gz"))
    print(f"wrote {args.out} ({total} bytes)")


if __name__ == "__main__":
    main()
