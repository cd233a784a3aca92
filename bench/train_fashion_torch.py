#!/usr/bin/python3
"""PyTorch's side of the full Fashion-MNIST training comparison (docs/BENCHMARKS.md).

The recipe of `convolve train --model fashion-cnn --schedule cosine`: the same network, inputs
scaled to [0, 1] and normalised with the training set's mean and standard deviation, SGD lr 0.05
momentum 0.9, batch 64, shuffled every epoch, cosine annealing per step to 0, test accuracy after
every epoch. Prints one line per epoch and the peak resident memory.

    /usr/bin/python3 bench/train_fashion_torch.py --epochs 10 --threads 2 [--data /usr/share/datasets/fashion-mnist]
"""
import argparse
import gzip
import math
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(folder, prefix):
    images = idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
    labels = idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz")).astype(np.int64)
    return torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    train_x, train_y = load(args.data, "train")
    test_x, test_y = load(args.data, "t10k")
    mean, std = train_x.mean().item(), train_x.std(unbiased=False).item()
    train_x, test_x = (train_x - mean) / std, (test_x - mean) / std
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    steps_per_epoch = math.ceil(len(train_y) / 64)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, args.epochs * steps_per_epoch)
    loss_fn = nn.CrossEntropyLoss()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(train_y)} training images", flush=True)
    total = 0.0
    for epoch in range(args.epochs):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(len(train_y))
        for i in range(0, len(order), 64):
            batch = order[i:i + 64]
            optimizer.zero_grad()
            loss = loss_fn(model(train_x[batch]), train_y[batch])
            loss.backward()
            optimizer.step()
            scheduler.step()
        seconds = time.perf_counter() - start
        total += seconds
        model.eval()
        with torch.no_grad():
            correct = sum((model(test_x[i:i + 1000]).argmax(1) == test_y[i:i + 1000]).sum().item() for i in range(0, len(test_y), 1000))
        print(f"epoch {epoch + 1}: test acc {correct / len(test_y):.2%}  train {seconds:.1f} s  {len(train_y) / seconds:.0f} img/s", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"total training {total:.1f} s; peak resident memory {peak:.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
