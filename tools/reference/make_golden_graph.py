#!/usr/bin/python3
"""Golden vectors for the graph layers of issue 19: PyTorch's outputs and gradients.

    /usr/bin/python3 tools/reference/make_golden_graph.py

Writes tests/Convolve.Tests/Data/golden_graph.bin.gz in make_golden.py's layout (the same reader
reads both). Single-input layers store input, output, grad_output and grad_input; the merge layers
(Concat, Add, Mul) store input0, input1, ... and grad_input0, grad_input1, ... Options use
Convolve's field names (the checkpoint format's), so the test builds each layer from them.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from make_golden import Writer, f32, randn, run_layer  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Convolve.Tests", "Data", "golden_graph.bin.gz")


class Fn(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, *xs):
        return self.f(*xs)


def away_from(x, kinks, gap=0.02):
    """Moves samples off the kinks of piecewise functions, where the gradient is a convention."""
    for k in kinks:
        x = torch.where((x - k).abs() < gap, x + 2 * gap, x)
    return x


def activations(w):
    for i in range(3):
        x = away_from(randn(2, 3, 4, 5) * (1 + 3 * i), [-3.0, 0.0, 3.0, 6.0, -1.0, 1.0, 0.5])
        for lo, hi in [(0.0, 6.0), (-1.0, 1.0), (-0.5, 0.5)]:
            run_layer(w, f"hardtanh_{lo}_{hi}_{i}", "Hardtanh", {"min_val": lo, "max_val": hi}, nn.Hardtanh(lo, hi), x)
        run_layer(w, f"silu_{i}", "SiLU", {}, nn.SiLU(), x)
        run_layer(w, f"hardswish_{i}", "Hardswish", {}, nn.Hardswish(), x)
        run_layer(w, f"hardsigmoid_{i}", "Hardsigmoid", {}, nn.Hardsigmoid(), x)
    run_layer(w, "silu_extreme", "SiLU", {}, nn.SiLU(), f32(torch.tensor([[-100.0, -30.0, -1e-8, 0.0, 30.0, 100.0]])))


def reductions(w):
    for i, (shape, dim) in enumerate([((2, 5), 1), ((2, 4, 3), 1), ((3, 2, 4), -1), ((2, 3, 2, 2), 2), ((1, 10), -1)]):
        run_layer(w, f"softmax_{i}", "Softmax", {"dim": dim}, nn.Softmax(dim), randn(*shape) * (1 + 2 * i))
    for i, shape in enumerate([(2, 3, 4, 5), (1, 2, 1, 1), (2, 4, 7), (1, 2, 3, 3, 3)]):
        x = f32(torch.randperm(torch.Size(shape).numel()).reshape(shape).to(torch.float64) / 10 - 1)
        module = Fn(lambda t: F.adaptive_max_pool1d(t.flatten(2), 1).reshape(t.shape[:2] + (1,) * (t.dim() - 2)))
        run_layer(w, f"globalmaxpool_{i}", "GlobalMaxPool", {}, module, x)
    for i, (shape, start, keep) in enumerate([((2, 3, 4, 5), 2, False), ((2, 3, 4, 5), 2, True), ((2, 3, 4), 1, False), ((1, 2, 3, 3, 2), 3, True)]):
        dims = list(range(start, len(shape)))
        run_layer(w, f"reducemean_{i}", "ReduceMean", {"start_dim": start, "keepdim": keep},
                  Fn(lambda t, d=dims, k=keep: t.mean(d, keepdim=k)), randn(*shape))


def rearrangements(w):
    for i, (shape, dim, start, end) in enumerate([((2, 4, 3, 3), 1, 0, 2), ((2, 4, 3, 3), 1, 2, 4), ((2, 3, 5), 2, 1, 4), ((1, 6, 2, 2), 1, 3, 4)]):
        run_layer(w, f"slice_{i}", "Slice", {"dim": dim, "start": start, "end": end}, Fn(lambda t, d=dim, s=start, e=end: t.narrow(d, s, e - s)), randn(*shape))
    for i, (shape, groups) in enumerate([((2, 6, 2, 3), 2), ((2, 6, 2, 3), 3), ((1, 8, 4), 4), ((2, 4, 1, 1), 1)]):
        # nn.ChannelShuffle has no backward in 1.13: torchvision's own view-transpose-view, checked against it.
        shuffle = Fn(lambda t, g=groups: t.reshape(t.shape[0], g, t.shape[1] // g, *t.shape[2:]).transpose(1, 2).reshape(t.shape))
        x = randn(*shape)
        assert torch.equal(shuffle(x), nn.ChannelShuffle(groups)(x))
        run_layer(w, f"channelshuffle_{i}", "ChannelShuffle", {"groups": groups}, shuffle, x)
    for i, (shape, before, after, value) in enumerate([((2, 3, 4, 5), [1, 0], [0, 2], 0.0), ((1, 2, 5), [2], [1], -1.5), ((1, 2, 2, 3, 3), [0, 1, 1], [1, 0, 2], 0.25)]):
        pads = []
        for b, a in zip(reversed(before), reversed(after)):
            pads += [b, a]
        run_layer(w, f"constantpad_{i}", "ConstantPad", {"padding_before": before, "padding_after": after, "value": value},
                  Fn(lambda t, p=pads, v=value: F.pad(t, p, value=v)), randn(*shape))


def run_merge(w, name, kind, options, f, inputs):
    xs = [x.clone().requires_grad_(True) for x in inputs]
    y = f(*xs)
    g = randn(*y.shape)
    y.backward(g)
    tensors = {f"input{k}": x for k, x in enumerate(xs)}
    tensors["output"] = y
    tensors["grad_output"] = g
    tensors.update({f"grad_input{k}": x.grad for k, x in enumerate(xs)})
    w.add(name, kind, options, tensors)


def merges(w):
    for i, (shapes, dim) in enumerate([([(2, 3, 4, 4), (2, 5, 4, 4)], 1), ([(2, 2, 3), (2, 2, 3), (2, 2, 3)], 1), ([(2, 3, 2), (2, 3, 5)], 2), ([(1, 1, 2, 2)], 1)]):
        run_merge(w, f"concat_{i}", "Concat", {"dim": dim}, lambda *xs, d=dim: torch.cat(xs, d), [randn(*s) for s in shapes])
    for i, (a, b) in enumerate([((2, 3, 4, 5), (2, 3, 4, 5)), ((2, 3, 4, 5), (2, 3, 1, 1)), ((2, 1, 4, 1), (1, 3, 1, 5)), ((2, 3, 4), (4,)), ((3,), (2, 1, 3))]):
        run_merge(w, f"add_{i}", "Add", {}, lambda x, y: x + y, [randn(*a), randn(*b)])
        run_merge(w, f"mul_{i}", "Mul", {}, lambda x, y: x * y, [randn(*a), randn(*b)])


def main():
    torch.manual_seed(20261207)
    torch.set_default_dtype(torch.float64)
    w = Writer()
    for make in (activations, reductions, rearrangements, merges):
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
