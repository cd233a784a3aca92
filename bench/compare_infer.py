#!/usr/bin/python3
"""PyTorch's side of the inference benchmark (run by bench/compare.sh's infer part).

Reads the cases bench/Convolve.Bench `infer --save DIR` wrote (DIR/NAME-CxSxS.npz: the model's state dict,
the inputs `input.B` and Convolve's plan outputs `output.B` for each batch B), builds the same zoo network
(tools/reference/make_zoo_reference.py), loads the weights and running statistics, and times model(x) in
evaluation mode under torch.inference_mode(): warm-up, then the median (and min, max) of the timed runs.
Prints one tab-separated row per case, as Convolve's harness does:
    ROW infer <name> <CxSxS> batch <B> torch <images/s median> <min> <max> images/s diff <worst |ours - torch| / max|torch|>

Usage: compare_infer.py --dir DIR --threads N [--runs R]
Run with ATEN_CPU_CAPABILITY=avx512 for PyTorch's AVX-512 kernels (Debian's build defaults to AVX2).
"""
import argparse
import glob
import os
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "reference"))
import make_zoo_reference as zoo  # noqa: E402


def build(name, channels, size):
    if name == "lenet5":
        return zoo.lenet5()
    if name == "fashion-cnn":
        return zoo.fashion_cnn()
    if name == "vgg-small":
        return zoo.vgg_small(channels, size)
    if name == "resnet18":
        return zoo.resnet18(channels, 10, size)
    if name == "mobilenet-v2":
        return zoo.mobilenet_v2(channels, 10, size)
    if name == "squeezenet":
        return zoo.squeezenet(channels, 10, size)
    return zoo.resnet_small(channels)


def timed(fn, runs, warmup_seconds=1.0):
    start = time.perf_counter()
    while time.perf_counter() - start < warmup_seconds:
        fn()
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t0)
    return statistics.median(seconds), min(seconds), max(seconds)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}", flush=True)
    for path in sorted(glob.glob(os.path.join(args.dir, "*.npz"))):
        case = os.path.basename(path)[:-4]
        name, shape = case.rsplit("-", 1)
        channels, size, _ = (int(v) for v in shape.split("x"))
        data = np.load(path)
        model = build(name, channels, size)
        state = model.state_dict()
        for key in state:
            value = torch.from_numpy(data[key])
            state[key] = value.to(state[key].dtype).reshape(state[key].shape)
        model.load_state_dict(state)
        model.eval()
        batches = sorted(int(k.split(".")[1]) for k in data.files if k.startswith("input."))
        for batch in batches:
            x = torch.from_numpy(data[f"input.{batch}"])
            with torch.inference_mode():
                ours = torch.from_numpy(data[f"output.{batch}"])
                theirs = model(x)
                diff = float((ours - theirs).abs().max() / theirs.abs().max())
                median, low, high = timed(lambda: model(x), args.runs)
            print(f"ROW\tinfer\t{name} {shape} batch {batch} torch\t{batch / median:.1f}\t{batch / high:.1f}\t{batch / low:.1f}\timages/s\tdiff {diff:.1E}", flush=True)


if __name__ == "__main__":
    main()
