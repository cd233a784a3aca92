#!/usr/bin/python3
"""Writes the interop test fixtures under tests/Convolve.Tests/Data/interop/.

1. torch: fashion-cnn trained in PyTorch (SGD, a few hundred steps on the bundled Fashion-MNIST
   sample), exported with torch_to_convolve, plus a probe batch and PyTorch's logits for it.
2. convolve (when tests/Convolve.Tests/Data/interop/convolve-fashion-cnn.safetensors exists,
   written by `convolve train`): PyTorch's logits for the same probe batch from that checkpoint.

The C# tests load each checkpoint with Model.Load and require |Δlogits| ≤ 1e-4.
Run: /usr/bin/python3 tools/interop/make_fixtures.py
"""
import gzip
import os
import sys

import numpy as np
import torch
import torch.nn as nn

import convolve_interop as ci
import torch_to_convolve

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "tests", "Convolve.Tests", "Data", "interop")
SAMPLE = os.path.join(ROOT, "data", "fashion-mnist-sample")


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def probe_batch():
    images = idx(os.path.join(SAMPLE, "t10k-images-idx3-ubyte.gz"))[:16].astype(np.float32) / 255.0
    return images.reshape(16, 1, 28, 28)


def logits_of(module, x):
    with torch.no_grad():
        return module.eval()(torch.from_numpy(x)).numpy().astype(np.float32)


def torch_trained():
    torch.manual_seed(1)
    model = ci.build_torch(torch_to_convolve.FASHION_CNN)
    images = torch.from_numpy(idx(os.path.join(SAMPLE, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255.0).unsqueeze(1)
    labels = torch.from_numpy(idx(os.path.join(SAMPLE, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for step in range(200):
        i = torch.randint(0, len(labels), (64,))
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images[i]), labels[i])
        loss.backward()
        optimizer.step()
    path = os.path.join(OUT, "torch-fashion-cnn.safetensors")
    torch_to_convolve.export(model, path, {"trained": "PyTorch SGD lr 0.05 momentum 0.9, 200 steps of 64 on the sample"})
    x = probe_batch()
    ci.write_checkpoint(os.path.join(OUT, "torch-fashion-cnn.probe.safetensors"), {"input": x, "logits": logits_of(model, x)},
                        {"note": "PyTorch logits of torch-fashion-cnn.safetensors for the probe input"})
    print(f"wrote {path} (final training loss {loss.item():.3f})")


def convolve_trained():
    path = os.path.join(OUT, "convolve-fashion-cnn.safetensors")
    if not os.path.exists(path):
        print(f"skipped: {path} not found (write it with convolve train, see tests/Convolve.Tests/Interop)")
        return
    module, _ = ci.load_into_torch(path)
    x = probe_batch()
    ci.write_checkpoint(os.path.join(OUT, "convolve-fashion-cnn.probe.safetensors"), {"input": x, "logits": logits_of(module, x)},
                        {"note": "PyTorch logits of convolve-fashion-cnn.safetensors (trained by Convolve) for the probe input"})
    print(f"wrote PyTorch logits for {path}")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch_trained()
    convolve_trained()


if __name__ == "__main__":
    sys.exit(main())
