#!/usr/bin/python3
"""PyTorch's side of the layer and training benchmarks (run by bench/compare.sh).

Times the standard layer set (batch 64, float32, NCHW) forward and forward+backward, and the
reference model's training steps, with the same protocol as Convolve's harness: warm-up, then the
median (and min, max) of at least 20 timed runs. Prints one tab-separated row per measurement:
    ROW <kind> <name> <median> <min> <max> <unit>

Usage: compare_layers.py layers|train --threads N [--runs R] [--model fashion-cnn|vgg-small|resnet-small|lenet5]
       compare_layers.py train --threads N --model resnet18|mobilenet-v2 --size 224 --batch 16
(--size S: 3xSxS images and torchvision's own model with 1000 classes, as Convolve's `train --size S`.)
Run with ATEN_CPU_CAPABILITY=avx512 for PyTorch's AVX-512 kernels (Debian's build defaults to AVX2).
"""
import argparse
import os
import statistics
import sys
import time


def _requested_threads():
    """The --threads value, read before torch is imported (default 1)."""
    for i, arg in enumerate(sys.argv):
        if arg == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


# torch.mm (Linear) runs in OpenBLAS, whose own thread pool ignores torch.set_num_threads and
# starts one thread per core when it loads: pin it to the requested count first, so a
# "1 thread" row really is one thread.
os.environ["OPENBLAS_NUM_THREADS"] = _requested_threads()

import torch  # noqa: E402
import torch.nn as nn

# The zoo networks as the project defines them in PyTorch (the same definitions the zoo tests check).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "reference"))
import make_zoo_reference as zoo  # noqa: E402


def layer_set():
    n = 64
    return [
        ("Conv2d(1,32,5,p=2) 28x28", nn.Conv2d(1, 32, 5, padding=2), (n, 1, 28, 28)),
        ("Conv2d(32,64,5,p=2) 14x14", nn.Conv2d(32, 64, 5, padding=2), (n, 32, 14, 14)),
        ("Conv2d(64,128,3,p=1) 7x7", nn.Conv2d(64, 128, 3, padding=1), (n, 64, 7, 7)),
        ("Conv2d(3,64,3,p=1) 32x32", nn.Conv2d(3, 64, 3, padding=1), (n, 3, 32, 32)),
        ("ConvTranspose2d(64,32,4,s=2,p=1) 7x7", nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1), (n, 64, 7, 7)),
        ("MaxPool2d(2) 32x28x28", nn.MaxPool2d(2), (n, 32, 28, 28)),
        ("AvgPool2d(2) 32x28x28", nn.AvgPool2d(2), (n, 32, 28, 28)),
        ("LPPool2d(2,2) 32x28x28", nn.LPPool2d(2, 2), (n, 32, 28, 28)),
        ("Linear(3136,128)", nn.Linear(3136, 128), (n, 3136)),
        ("BatchNorm2d(32) 32x28x28", nn.BatchNorm2d(32), (n, 32, 28, 28)),
    ] + [
        # Issue 19: mobilenet-v2's depthwise 3x3 layers at 3x224x224, batch 16 (the names of PassesBench.DepthwiseLayers).
        (f"DepthwiseConv2d({c},3,{'s=2,' if s == 2 else ''}p=1) {size}x{size} b16", nn.Conv2d(c, c, 3, stride=s, padding=1, groups=c), (16, c, size, size))
        for c, s, size in [(32, 1, 112), (96, 2, 112), (144, 1, 56), (576, 1, 14)]
    ]


def timed(fn, runs, warmup=5):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples), min(samples), max(samples)


def row(kind, name, stats, unit):
    print(f"ROW\t{kind}\t{name}\t{stats[0]:.4f}\t{stats[1]:.4f}\t{stats[2]:.4f}\t{unit}", flush=True)


def bench_layers(runs):
    for name, module, shape in layer_set():
        x = torch.rand(*shape) + 0.1  # positive: LPPool's square root needs positive sums
        module.eval()  # as our forward row: evaluation mode (BatchNorm with running statistics)
        with torch.no_grad():
            row("forward", name, timed(lambda: module(x), runs), "ms")
        module.train()
        xg = x.clone().requires_grad_(True)
        grad = torch.randn_like(module(x))

        def step():
            module.zero_grad(set_to_none=False)
            xg.grad = None
            module(xg).backward(grad)

        row("forward+backward", name, timed(step, runs), "ms")


MODELS = {"fashion-cnn": zoo.fashion_cnn, "vgg-small": zoo.vgg_small, "resnet-small": zoo.resnet_small, "lenet5": zoo.lenet5}


def torchvision_model(name):
    import torchvision
    return {"resnet18": torchvision.models.resnet18, "mobilenet-v2": torchvision.models.mobilenet_v2}[name](num_classes=1000)


def bench_train(runs, name, batch, size):
    torch.manual_seed(0)
    if size is None:
        model, shape, classes = MODELS[name](), (1, 28, 28), 10
    else:
        model, shape, classes = torchvision_model(name), (3, size, size), 1000
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    batches = [(torch.rand(batch, *shape), torch.randint(0, classes, (batch,))) for _ in range(8)]
    state = {"i": 0}

    def step():
        x, y = batches[state["i"] % len(batches)]
        state["i"] += 1
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    median, low, high = timed(step, runs, warmup=10)
    label = name if size is None else f"{name} {size}x{size} b{batch}"
    # images/s: the median step time gives the typical rate; min/max swap roles.
    print(f"ROW\ttrain\t{label} step\t{median:.4f}\t{low:.4f}\t{high:.4f}\tms", flush=True)
    print(f"ROW\ttrain\t{label} images/s\t{batch * 1e3 / median:.1f}\t{batch * 1e3 / high:.1f}\t{batch * 1e3 / low:.1f}\timages/s", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["layers", "train"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--model", default="fashion-cnn", choices=sorted(MODELS) + ["resnet18", "mobilenet-v2"],
                        help="train mode: the zoo network (resnet18 and mobilenet-v2 need --size: torchvision's models)")
    parser.add_argument("--batch", type=int, default=64, help="train mode: images per step")
    parser.add_argument("--size", type=int, default=None, help="train mode: 3xSxS images, torchvision's model, 1000 classes")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"capability {torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, 'cpu') else 'unknown'}", flush=True)
    if args.mode == "layers":
        bench_layers(args.runs)
    else:
        if (args.size is None) != (args.model in MODELS):
            parser.error("--size goes with resnet18 and mobilenet-v2 (torchvision's models), and only with them")
        bench_train(args.runs, args.model, args.batch, args.size)


if __name__ == "__main__":
    main()
