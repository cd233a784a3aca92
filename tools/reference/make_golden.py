#!/usr/bin/python3
"""Write the golden test vectors: PyTorch's outputs and gradients for every Convolve layer.

Run with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 tools/reference/make_golden.py

It writes tests/Convolve.Tests/Data/golden.bin.gz. Every case holds a layer kind, its options as
JSON (PyTorch's argument names), and named float32 tensors: the input, the parameters, the
output, a random output gradient and every gradient PyTorch computes from it. The arithmetic is
done in float64 from float32 inputs, so the stored values are the exact answer rounded once.

File layout (little-endian): magic b"CVGOLD01", uint32 case count, then per case:
string name, string kind, string options-JSON, uint32 tensor count, and per tensor:
string name, uint8 rank, int32 dims[rank], float32 data[product(dims)].
A string is a uint16 byte length followed by UTF-8 bytes.
"""
import gzip
import json
import os
import struct
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Convolve.Tests", "Data", "golden.bin.gz")


class Writer:
    def __init__(self):
        self.cases = []

    def add(self, name, kind, options, tensors):
        self.cases.append((name, kind, json.dumps(options, sort_keys=True), tensors))

    def save(self, path):
        def string(s):
            b = s.encode("utf-8")
            return struct.pack("<H", len(b)) + b

        parts = [b"CVGOLD01", struct.pack("<I", len(self.cases))]
        for name, kind, options, tensors in self.cases:
            parts += [string(name), string(kind), string(options), struct.pack("<I", len(tensors))]
            for tname, t in tensors.items():
                t = t.detach().to(torch.float32).contiguous()
                parts += [string(tname), struct.pack("<B", t.dim()), struct.pack("<%di" % t.dim(), *t.shape)]
                parts.append(t.numpy().astype("<f4").tobytes())
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".tmp"
        with gzip.GzipFile(tmp, "wb", mtime=0) as f:
            f.write(b"".join(parts))
        os.replace(tmp, path)


def f32(t):
    """Round to float32 (what Convolve stores) and compute in float64 from there."""
    return t.to(torch.float32).to(torch.float64)


def randn(*shape):
    return f32(torch.randn(*shape))


def run_layer(w, name, kind, options, module, x, extra=None):
    """Forward and backward of a module in float64; records input, parameters, output and gradients."""
    module = module.double()
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(f32(p))
    x = x.clone().requires_grad_(True)
    y = module(x)
    g = randn(*y.shape)
    y.backward(g)
    tensors = {"input": x}
    for pname, p in module.named_parameters():
        tensors[pname] = p
    tensors["output"] = y
    tensors["grad_output"] = g
    tensors["grad_input"] = x.grad
    for pname, p in module.named_parameters():
        tensors["grad_" + pname] = p.grad
    tensors.update(extra or {})
    w.add(name, kind, options, tensors)


def tup(v, n):
    return list(v) if isinstance(v, (list, tuple)) else [v] * n


def conv_cases(w):
    convs = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
    # (in, out, kernel, stride, padding, dilation, groups, bias, spatial, batch)
    base = [
        (1, 1, 1, 1, 0, 1, 1, True, 5, 1),
        (3, 4, 3, 1, 0, 1, 1, True, 7, 2),
        (3, 4, 3, 1, 1, 1, 1, False, 6, 2),
        (2, 5, 3, 2, 1, 1, 1, True, 9, 3),
        (4, 6, 3, 1, 2, 2, 2, True, 8, 2),
        (6, 6, 3, 1, 1, 1, 6, True, 5, 2),
        (4, 8, 2, 3, 0, 1, 4, True, 10, 1),
        (5, 3, 5, 1, 0, 1, 1, True, 5, 2),      # kernel = input
        (3, 2, 2, 4, 1, 1, 1, True, 11, 2),     # stride > kernel
        (17, 3, 3, 1, 1, 1, 1, True, 4, 1),     # channels not a multiple of the vector width
        (3, 5, 1, 1, 0, 1, 1, True, 6, 2),      # 1x1
        (2, 3, 3, 1, 1, 1, 1, True, 1, 2),      # 1x1 spatial with padding
        (4, 4, 3, 2, 2, 3, 2, False, 13, 2),
        (3, 6, 4, 1, "same", 1, 3, True, 7, 2),  # even kernel, asymmetric 'same'
        (3, 2, 3, 1, "same", 2, 1, True, 6, 1),
        (2, 3, 3, 1, "valid", 1, 1, True, 5, 2),
        (2, 3, 3, 1, "full", 1, 1, True, 4, 2),
        (2, 2, 2, 1, "full", 2, 1, True, 3, 1),
    ]
    for dims, cls in convs.items():
        for i, (cin, cout, k, s, p, d, g, bias, size, n) in enumerate(base):
            if dims == 3 and size > 7:
                size = 7
            torch_padding = [d * (k - 1)] * dims if p == "full" else p
            module = cls(cin, cout, k, stride=s, padding=torch_padding, dilation=d, groups=g, bias=bias)
            options = {"in_channels": cin, "out_channels": cout, "kernel_size": [k] * dims, "stride": [s] * dims,
                       "padding": p if isinstance(p, str) else [p] * dims, "dilation": [d] * dims,
                       "groups": g, "bias": bias}
            sizes = [size] * dims
            if dims >= 2 and size > 2:
                sizes[-1] = size + 1  # a non-square input catches swapped axes
            x = randn(n, cin, *sizes)
            run_layer(w, f"conv{dims}d_{i}", f"Conv{dims}d", options, module, x)


def conv_transpose_cases(w):
    convs = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}
    # (in, out, kernel, stride, padding, output_padding, dilation, groups, bias, spatial, batch)
    base = [
        (1, 1, 1, 1, 0, 0, 1, 1, True, 4, 1),
        (3, 2, 3, 1, 0, 0, 1, 1, True, 5, 2),
        (4, 3, 4, 2, 1, 0, 1, 1, True, 4, 2),
        (4, 3, 3, 2, 1, 1, 1, 1, False, 5, 2),  # output padding < stride
        (2, 4, 3, 1, 0, 1, 2, 2, True, 4, 2),   # output padding < dilation only
        (6, 6, 3, 3, 1, 2, 1, 3, True, 3, 1),
        (3, 5, 2, 2, 0, 0, 1, 1, True, 1, 2),   # 1x1 spatial
        (5, 2, 5, 1, 2, 0, 1, 1, True, 6, 2),
        (4, 4, 3, 2, 2, 1, 2, 4, True, 5, 1),
        (17, 3, 2, 2, 0, 1, 1, 1, True, 3, 1),
        (3, 3, 2, 4, 0, 3, 1, 1, True, 3, 2),   # stride > kernel, gaps in the output
    ]
    for dims, cls in convs.items():
        for i, (cin, cout, k, s, p, op, d, g, bias, size, n) in enumerate(base):
            module = cls(cin, cout, k, stride=s, padding=p, output_padding=op, groups=g, bias=bias, dilation=d)
            options = {"in_channels": cin, "out_channels": cout, "kernel_size": [k] * dims, "stride": [s] * dims,
                       "padding": [p] * dims, "output_padding": [op] * dims, "dilation": [d] * dims,
                       "groups": g, "bias": bias}
            sizes = [size] * dims
            if dims >= 2 and size > 1:
                sizes[-1] = size + 1
            x = randn(n, cin, *sizes)
            run_layer(w, f"convtranspose{dims}d_{i}", f"ConvTranspose{dims}d", options, module, x)


def linear_cases(w):
    for i, (fin, fout, bias, lead) in enumerate([(1, 1, True, [1]), (5, 3, True, [4]), (7, 9, False, [2]),
                                                  (33, 17, True, [3]), (64, 10, True, [2, 3]), (3, 4, True, [])]):
        module = nn.Linear(fin, fout, bias=bias)
        run_layer(w, f"linear_{i}", "Linear", {"in_features": fin, "out_features": fout, "bias": bias},
                  module, randn(*lead, fin))


def distinct(*shape):
    """Values with no ties (a random permutation, scaled), so max pooling has one argmax."""
    n = 1
    for s in shape:
        n *= s
    return f32((torch.randperm(n).to(torch.float64) * 0.37 - n * 0.18).reshape(shape) + 0.05 * torch.rand(*shape))


def max_pool_cases(w):
    pools = {1: nn.MaxPool1d, 2: nn.MaxPool2d, 3: nn.MaxPool3d}
    # (kernel, stride, padding, dilation, ceil, spatial, channels, batch)
    base = [
        (2, None, 0, 1, False, 6, 2, 2), (2, None, 0, 1, True, 7, 2, 1), (3, 2, 1, 1, False, 7, 3, 2),
        (3, 2, 1, 1, True, 8, 3, 2), (2, 1, 0, 2, False, 6, 2, 1), (3, 3, 1, 2, True, 9, 1, 2),
        (4, 4, 0, 1, False, 4, 2, 1), (1, 2, 0, 1, False, 5, 3, 1), (2, 3, 1, 1, True, 7, 5, 1),
        (3, 1, 1, 1, False, 5, 2, 2), (3, 2, 0, 1, True, 6, 17, 1),
    ]
    for dims, cls in pools.items():
        for i, (k, s, p, d, ceil, size, c, n) in enumerate(base):
            module = cls(k, stride=s, padding=p, dilation=d, ceil_mode=ceil, return_indices=True)
            x = distinct(n, c, *([size] * dims)).requires_grad_(True)
            y, idx = module(x)
            g = randn(*y.shape)
            y.backward(g)
            options = {"kernel_size": [k] * dims, "stride": [s or k] * dims, "padding": [p] * dims,
                       "dilation": [d] * dims, "ceil_mode": ceil}
            w.add(f"maxpool{dims}d_{i}", f"MaxPool{dims}d", options,
                  {"input": x, "output": y, "indices": idx.to(torch.float64), "grad_output": g, "grad_input": x.grad})


def avg_pool_cases(w):
    pools = {1: nn.AvgPool1d, 2: nn.AvgPool2d, 3: nn.AvgPool3d}
    # (kernel, stride, padding, ceil, count_include_pad, spatial, channels, batch)
    base = [
        (2, None, 0, False, True, 6, 2, 2), (3, 2, 1, False, True, 7, 2, 1), (3, 2, 1, False, False, 7, 2, 1),
        (3, 2, 1, True, True, 8, 3, 2), (3, 2, 1, True, False, 8, 3, 2), (2, 2, 0, True, True, 5, 1, 2),
        (5, 5, 0, False, True, 5, 2, 1), (2, 3, 1, True, False, 7, 4, 1), (1, 1, 0, False, True, 3, 2, 1),
        (4, 3, 2, True, True, 9, 17, 1),
    ]
    for dims, cls in pools.items():
        for i, (k, s, p, ceil, cip, size, c, n) in enumerate(base):
            module = cls(k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=cip)
            options = {"kernel_size": [k] * dims, "stride": [s or k] * dims, "padding": [p] * dims,
                       "ceil_mode": ceil, "count_include_pad": cip}
            run_layer(w, f"avgpool{dims}d_{i}", f"AvgPool{dims}d", options, module, randn(n, c, *([size] * dims)))


def lp_pool_cases(w):
    pools = {1: nn.LPPool1d, 2: nn.LPPool2d}
    # (p, kernel, stride, ceil, spatial, channels, batch)
    base = [
        (2, 2, None, False, 6, 2, 2), (1, 3, 2, False, 7, 2, 1), (3, 2, 1, False, 5, 3, 1),
        (1.5, 3, 2, False, 8, 2, 2), (2, 3, 2, True, 8, 2, 1), (4, 2, 3, True, 7, 1, 2),
        (2.5, 2, None, False, 4, 5, 1), (2, 4, 4, False, 4, 2, 1),
    ]
    for dims, cls in pools.items():
        for i, (p, k, s, ceil, size, c, n) in enumerate(base):
            module = cls(p, k, stride=s, ceil_mode=ceil)
            x = randn(n, c, *([size] * dims))
            if p != int(p) or int(p) % 2 == 1:
                x = x.abs() + 0.25  # odd and fractional powers need positive sums to be differentiable
            options = {"norm_type": p, "kernel_size": [k] * dims, "stride": [s or k] * dims, "ceil_mode": ceil}
            run_layer(w, f"lppool{dims}d_{i}", f"LPPool{dims}d", options, module, x)


def max_unpool_cases(w):
    pools = {1: (nn.MaxPool1d, nn.MaxUnpool1d), 2: (nn.MaxPool2d, nn.MaxUnpool2d), 3: (nn.MaxPool3d, nn.MaxUnpool3d)}
    # (kernel, stride, padding, spatial, extra output size, channels, batch)
    base = [(2, None, 0, 6, 0, 2, 2), (3, 2, 1, 7, 0, 2, 1), (2, 2, 0, 7, 1, 3, 1), (3, 3, 1, 8, 2, 1, 2),
            (2, 1, 0, 4, 0, 2, 1)]
    for dims, (pool_cls, unpool_cls) in pools.items():
        for i, (k, s, p, size, extra, c, n) in enumerate(base):
            _, idx = pool_cls(k, stride=s, padding=p, return_indices=True)(distinct(n, c, *([size] * dims)))
            x = randn(*idx.shape).requires_grad_(True)
            unpool = unpool_cls(k, stride=s, padding=p)
            default = [(idx.shape[2 + j] - 1) * (s or k) - 2 * p + k for j in range(dims)]
            out_size = [v + extra for v in default]
            y = unpool(x, idx, output_size=out_size)
            g = randn(*y.shape)
            y.backward(g)
            options = {"kernel_size": [k] * dims, "stride": [s or k] * dims, "padding": [p] * dims,
                       "output_size": out_size}
            w.add(f"maxunpool{dims}d_{i}", f"MaxUnpool{dims}d", options,
                  {"input": x, "indices": idx.to(torch.float64), "output": y, "grad_output": g, "grad_input": x.grad})


def adaptive_cases(w):
    for i, (size, out, c, n) in enumerate([((6, 6), (3, 3), 2, 2), ((7, 5), (3, 2), 3, 1), ((5, 7), (1, 1), 4, 2),
                                           ((4, 4), (4, 4), 2, 1), ((3, 5), (5, 7), 2, 1), ((9, 9), (2, 4), 17, 1),
                                           ((1, 1), (1, 1), 3, 2), ((10, 7), (4, 3), 2, 2)]):
        run_layer(w, f"adaptiveavgpool2d_{i}", "AdaptiveAvgPool2d", {"output_size": list(out)},
                  nn.AdaptiveAvgPool2d(out), randn(n, c, *size))


def activation_cases(w):
    def inputs(i):
        x = randn(2, 3, 5, 7) * (1 + 3 * i)
        return torch.where(x.abs() < 1e-3, x + 0.01, x)  # keep ReLU's kink out of the samples

    for i in range(3):
        run_layer(w, f"relu_{i}", "ReLU", {}, nn.ReLU(), inputs(i))
        run_layer(w, f"sigmoid_{i}", "Sigmoid", {}, nn.Sigmoid(), inputs(i))
        run_layer(w, f"tanh_{i}", "Tanh", {}, nn.Tanh(), inputs(i))
        slope = [0.01, 0.2, 1.5][i]
        run_layer(w, f"leakyrelu_{i}", "LeakyReLU", {"negative_slope": slope}, nn.LeakyReLU(slope), inputs(i))
    run_layer(w, "sigmoid_extreme", "Sigmoid", {}, nn.Sigmoid(), f32(torch.tensor([[-100.0, -30.0, -1e-8, 0.0, 30.0, 100.0]])))
    run_layer(w, "tanh_extreme", "Tanh", {}, nn.Tanh(), f32(torch.tensor([[-100.0, -10.0, -1e-8, 0.0, 10.0, 100.0]])))
    for i, (start, end, shape) in enumerate([(1, -1, (2, 3, 4, 5)), (0, -1, (2, 3)), (2, 3, (2, 3, 4, 5)), (1, 2, (3, 4, 5))]):
        run_layer(w, f"flatten_{i}", "Flatten", {"start_dim": start, "end_dim": end}, nn.Flatten(start, end), randn(*shape))


def loss_cases(w):
    configs = [(4, 3, "mean", 0.0, 1.0), (7, 10, "sum", 0.0, 1.0), (5, 6, "mean", 0.1, 1.0), (3, 4, "sum", 0.3, 1.0),
               (1, 2, "mean", 0.0, 1.0), (6, 5, "mean", 0.0, 1e3), (4, 10, "mean", 0.05, 1e4), (2, 1, "mean", 0.0, 1.0)]
    for i, (n, c, reduction, smoothing, scale) in enumerate(configs):
        logits = (randn(n, c) * scale).requires_grad_(True)
        target = torch.randint(0, c, (n,))
        loss = F.cross_entropy(logits, target, reduction=reduction, label_smoothing=smoothing)
        loss.backward()
        w.add(f"crossentropy_{i}", "CrossEntropyLoss", {"reduction": reduction, "label_smoothing": smoothing},
              {"input": logits, "target": target.to(torch.float64), "loss": loss.reshape(1), "grad_input": logits.grad})
    for i, (shape, reduction) in enumerate([((4, 3), "mean"), ((2, 3, 4, 5), "sum"), ((1,), "mean"), ((3, 7), "sum")]):
        x = randn(*shape).requires_grad_(True)
        t = randn(*shape)
        loss = F.mse_loss(x, t, reduction=reduction)
        loss.backward()
        w.add(f"mse_{i}", "MseLoss", {"reduction": reduction},
              {"input": x, "target": t, "loss": loss.reshape(1), "grad_input": x.grad})


def random_sweep(w):
    """Seeded random option combinations on top of the hand-picked edge cases above."""
    gen = torch.Generator().manual_seed(7)

    def pick(*values):
        return values[int(torch.randint(len(values), (1,), generator=gen))]

    made = 0
    while made < 40:
        dims = pick(1, 2, 2, 2, 3)
        g = pick(1, 1, 2, 3)
        cin, cout = g * pick(1, 2, 3), g * pick(1, 2, 4)
        k, s, d, p = pick(1, 2, 3, 5), pick(1, 2, 3), pick(1, 1, 2), pick(0, 1, 2)
        size = pick(3, 5, 8, 9) if dims < 3 else pick(3, 5)
        if size + 2 * p < d * (k - 1) + 1:
            continue
        module = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}[dims](cin, cout, k, stride=s, padding=p, dilation=d, groups=g)
        options = {"in_channels": cin, "out_channels": cout, "kernel_size": [k] * dims, "stride": [s] * dims,
                   "padding": [p] * dims, "dilation": [d] * dims, "groups": g, "bias": True}
        run_layer(w, f"sweep_conv{dims}d_{made}", f"Conv{dims}d", options, module, randn(pick(1, 2), cin, *([size] * dims)))
        made += 1
    made = 0
    while made < 30:
        dims = pick(1, 2, 2, 3)
        g = pick(1, 1, 2)
        cin, cout = g * pick(1, 2, 3), g * pick(1, 2, 3)
        k, s, d, p = pick(1, 2, 3, 4), pick(1, 2, 3), pick(1, 1, 2), pick(0, 1)
        op = pick(0, 1, 2)
        if op >= s and op >= d:
            continue
        size = pick(2, 3, 5) if dims < 3 else pick(2, 3)
        if (size - 1) * s - 2 * p + d * (k - 1) + op + 1 < 1:
            continue
        module = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}[dims](
            cin, cout, k, stride=s, padding=p, output_padding=op, groups=g, dilation=d)
        options = {"in_channels": cin, "out_channels": cout, "kernel_size": [k] * dims, "stride": [s] * dims,
                   "padding": [p] * dims, "output_padding": [op] * dims, "dilation": [d] * dims, "groups": g, "bias": True}
        run_layer(w, f"sweep_convtranspose{dims}d_{made}", f"ConvTranspose{dims}d", options, module,
                  randn(pick(1, 2), cin, *([size] * dims)))
        made += 1
    made = 0
    while made < 30:
        dims = pick(1, 2, 2, 3)
        k, s, d = pick(2, 3, 4), pick(1, 2, 3), pick(1, 2)
        p = pick(0, 1, 2)
        if p > k // 2:
            continue
        ceil = pick(False, True)
        size = pick(5, 6, 7, 9) if dims < 3 else pick(5, 6)
        if size + 2 * p < d * (k - 1) + 1:
            continue
        if made % 2 == 0:
            module = {1: nn.MaxPool1d, 2: nn.MaxPool2d, 3: nn.MaxPool3d}[dims](k, s, p, d, return_indices=True, ceil_mode=ceil)
            x = distinct(pick(1, 2), pick(1, 3), *([size] * dims)).requires_grad_(True)
            y, idx = module(x)
            grad = randn(*y.shape)
            y.backward(grad)
            options = {"kernel_size": [k] * dims, "stride": [s] * dims, "padding": [p] * dims,
                       "dilation": [d] * dims, "ceil_mode": ceil}
            w.add(f"sweep_maxpool{dims}d_{made}", f"MaxPool{dims}d", options,
                  {"input": x, "output": y, "indices": idx.to(torch.float64), "grad_output": grad, "grad_input": x.grad})
        else:
            cip = pick(False, True)
            module = {1: nn.AvgPool1d, 2: nn.AvgPool2d, 3: nn.AvgPool3d}[dims](k, s, p, ceil_mode=ceil, count_include_pad=cip)
            options = {"kernel_size": [k] * dims, "stride": [s] * dims, "padding": [p] * dims,
                       "ceil_mode": ceil, "count_include_pad": cip}
            run_layer(w, f"sweep_avgpool{dims}d_{made}", f"AvgPool{dims}d", options, module,
                      randn(pick(1, 2), pick(1, 3), *([size] * dims)))
        made += 1


def main():
    # PyTorch warns that an even 'same' kernel needs a padded copy; that is the case being tested.
    warnings.filterwarnings("ignore", message="Using padding='same'")
    torch.manual_seed(20261122)
    torch.set_default_dtype(torch.float64)
    w = Writer()
    for make in (conv_cases, conv_transpose_cases, linear_cases, max_pool_cases, avg_pool_cases, lp_pool_cases,
                 max_unpool_cases, adaptive_cases, activation_cases, loss_cases, random_sweep):
        make(w)
    w.save(OUT)
    kinds = {}
    for _, kind, _, _ in w.cases:
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"wrote {len(w.cases)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes), torch {torch.__version__}")
    for kind, count in sorted(kinds.items()):
        print(f"  {kind:20s} {count}")


if __name__ == "__main__":
    sys.exit(main())
