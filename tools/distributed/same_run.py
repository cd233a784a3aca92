#!/usr/bin/env python3
"""Compares two training checkpoints (safetensors) of Convolve: every tensor bit for bit, and the
training state in the metadata (epoch, step, loader and generator states). Prints one line;
exits 1 when they differ. Usage: same_run.py A.safetensors B.safetensors"""
import json
import struct
import sys

STATE_KEYS = ["epoch", "global_step", "loader_state", "global_random_state", "best_accuracy"]


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    metadata = header.pop("__metadata__", {})
    tensors = {name: body[entry["data_offsets"][0]:entry["data_offsets"][1]] for name, entry in header.items()}
    return tensors, metadata


def main():
    (a, meta_a), (b, meta_b) = load(sys.argv[1]), load(sys.argv[2])
    tensors = [name for name in sorted(set(a) | set(b)) if a.get(name) != b.get(name)]
    state = [key for key in STATE_KEYS if meta_a.get(key) != meta_b.get(key)]
    if tensors or state or not a:
        print(f"DIFFERENT: {len(tensors)} of {len(a)} tensors differ {tensors[:5]}; training state differs in {state}")
        return 1
    print(f"identical: {len(a)} tensors bit for bit, and the training state ({', '.join(STATE_KEYS)})")
    return 0


sys.exit(main())
