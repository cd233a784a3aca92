#!/usr/bin/python3
"""Write the BatchNorm golden test vectors: PyTorch 1.13's BatchNorm1d/2d in train and eval mode.

Run with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 tools/reference/make_golden_batchnorm.py

It writes tests/Convolve.Tests/Data/golden_batchnorm.bin.gz in the layout of make_golden.py (whose
Writer and helpers it imports). Every case stores, besides the options, the tensors input, weight and
bias (when affine), running_mean_before, running_var_before, num_batches_tracked_before and their
"_after" values (when tracking), output, grad_output, grad_input, grad_weight and grad_bias
(when affine). num_batches_tracked is stored as float32 [1], PyTorch's int64 scalar converted.
The running statistics start from random values, not PyTorch's zeros and ones, so that both the
update and evaluation with loaded statistics are exercised. The arithmetic is float64 from float32
inputs, as in make_golden.py.
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_golden as mg  # noqa: E402  (the shared Writer, f32 and randn)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Convolve.Tests", "Data", "golden_batchnorm.bin.gz")

# (kind, input shape, training, affine, track_running_stats, momentum, eps, input offset, input scale)
CASES = [
    ("BatchNorm1d", (2, 3), True, True, True, 0.1, 1e-5, 0.0, 1.0),       # batch 2: x̂ = ±1
    ("BatchNorm1d", (5, 4), True, True, True, 0.1, 1e-5, 0.5, 2.0),
    ("BatchNorm1d", (7, 17), True, False, True, 0.3, 1e-5, 0.0, 1.0),
    ("BatchNorm1d", (6, 5), True, True, False, 0.1, 1e-3, -1.0, 0.5),
    ("BatchNorm1d", (4, 3), False, True, True, 0.1, 1e-5, 0.0, 1.0),
    ("BatchNorm1d", (1, 3), False, True, True, 0.1, 1e-5, 0.0, 1.0),       # batch 1 is fine in eval
    ("BatchNorm1d", (3, 6), False, True, False, 0.1, 1e-5, 0.2, 1.5),      # eval, untracked: batch statistics
    ("BatchNorm1d", (2, 3, 5), True, True, True, 0.1, 1e-5, 0.0, 1.0),
    ("BatchNorm1d", (1, 2, 7), True, True, True, 1.0, 1e-5, 3.0, 1.0),     # batch 1, momentum 1
    ("BatchNorm1d", (3, 4, 1), True, True, True, 0.0, 1e-5, 0.0, 1.0),     # L = 1, momentum 0
    ("BatchNorm1d", (2, 9, 3), True, False, False, 0.1, 0.1, 0.0, 0.2),    # large eps vs small variance
    ("BatchNorm1d", (2, 5, 4), False, False, True, 0.1, 1e-5, 0.0, 1.0),
    ("BatchNorm1d", (3, 3, 6), False, True, False, 0.1, 1e-5, -2.0, 1.0),
    ("BatchNorm2d", (2, 3, 4, 5), True, True, True, 0.1, 1e-5, 0.0, 1.0),
    ("BatchNorm2d", (1, 2, 3, 3), True, True, True, 0.1, 1e-5, 0.0, 1.0),  # batch 1
    ("BatchNorm2d", (3, 5, 1, 1), True, True, True, 0.25, 1e-5, 0.0, 1.0),  # 1x1 spatial
    ("BatchNorm2d", (2, 17, 3, 2), True, True, True, 0.1, 1e-5, 0.0, 1.0),
    ("BatchNorm2d", (2, 4, 5, 7), True, False, True, 0.7, 1e-4, 10.0, 3.0),  # mean far from zero
    ("BatchNorm2d", (2, 3, 3, 4), True, True, False, 0.1, 1e-5, 0.0, 1.0),
    ("BatchNorm2d", (2, 3, 4, 5), False, True, True, 0.1, 1e-5, 0.0, 1.0),
    ("BatchNorm2d", (1, 4, 2, 3), False, True, True, 0.1, 1e-2, 0.5, 1.0),
    ("BatchNorm2d", (2, 2, 3, 3), False, False, False, 0.1, 1e-5, 0.0, 1.0),  # eval, untracked, no affine
    ("BatchNorm2d", (2, 6, 2, 2), False, True, False, 0.1, 1e-5, 0.0, 1.0),
    ("BatchNorm2d", (3, 1, 5, 3), True, True, True, 0.5, 1e-5, 0.0, 1.0),    # one channel
    ("BatchNorm2d", (2, 7, 3, 5), False, False, True, 0.1, 1e-5, 0.0, 1.0),
]

# Issue 17: training mode on channels whose mean is far from zero compared with their spread (after a
# ReLU, raw pixels). The offset is per channel, ±offset·(1 + c/4) alternating in sign; the input is
# offset + spread·N(0, 1). Appended after CASES so that the earlier cases keep their random draws.
# (kind, input shape, affine, momentum, eps, offset, spread)
OFFSET_CASES = [
    ("BatchNorm1d", (2, 6, 7), False, 0.1, 1e-5, 30.0, 0.01),
    ("BatchNorm1d", (4, 5), True, 1.0, 1e-7, 2.0, 0.1),
    ("BatchNorm1d", (3, 4), True, 0.0, 1e-3, 30.0, 1.0),
    ("BatchNorm1d", (1, 3, 9), True, 0.1, 0.1, 2.0, 0.01),
    ("BatchNorm1d", (2, 5, 3), False, 1.0, 1e-5, 30.0, 0.1),
    ("BatchNorm1d", (3, 2, 4), True, 0.0, 1e-7, 0.0, 0.01),
    ("BatchNorm2d", (1, 4, 6, 2), True, 0.1, 1e-5, 30.0, 0.01),
    ("BatchNorm2d", (3, 3, 5, 5), True, 1.0, 1e-3, 2.0, 0.01),
    ("BatchNorm2d", (2, 4, 3, 3), False, 0.0, 1e-7, 30.0, 0.1),
    ("BatchNorm2d", (4, 2, 2, 3), True, 0.1, 0.1, 30.0, 1.0),
    ("BatchNorm2d", (2, 3, 2, 2), False, 1.0, 1e-5, 2.0, 1.0),
    ("BatchNorm2d", (1, 5, 3, 4), True, 0.0, 1e-5, 0.0, 0.1),
]


def batch_norm_case(w, index, kind, shape, training, affine, track, momentum, eps, offset, scale, per_channel=False):
    module = {"BatchNorm1d": nn.BatchNorm1d, "BatchNorm2d": nn.BatchNorm2d}[kind](
        shape[1], eps=eps, momentum=momentum, affine=affine, track_running_stats=track).double()
    c = shape[1]
    tensors = {}
    with torch.no_grad():
        if affine:
            module.weight.copy_(mg.f32(1 + 0.5 * torch.randn(c)))
            module.bias.copy_(mg.randn(c))
        if track:
            module.running_mean.copy_(mg.randn(c))
            module.running_var.copy_(mg.f32(0.5 + torch.rand(c)))
            module.num_batches_tracked.fill_(3)
            tensors["running_mean_before"] = module.running_mean.clone()
            tensors["running_var_before"] = module.running_var.clone()
            tensors["num_batches_tracked_before"] = module.num_batches_tracked.reshape(1).to(torch.float64)
    module.train(training)
    if per_channel:
        view = [1, c] + [1] * (len(shape) - 2)
        signs = torch.tensor([1.0 if k % 2 == 0 else -1.0 for k in range(c)])
        offset = (offset * (1 + torch.arange(c) / 4.0) * signs).reshape(view)
    x = (mg.randn(*shape) * scale + offset).to(torch.float32).to(torch.float64).requires_grad_(True)
    y = module(x)
    g = mg.randn(*y.shape)
    y.backward(g)
    tensors["input"] = x
    if affine:
        tensors["weight"] = module.weight
        tensors["bias"] = module.bias
    if track:
        tensors["running_mean_after"] = module.running_mean
        tensors["running_var_after"] = module.running_var
        tensors["num_batches_tracked_after"] = module.num_batches_tracked.reshape(1).to(torch.float64)
    tensors.update({"output": y, "grad_output": g, "grad_input": x.grad})
    if affine:
        tensors["grad_weight"] = module.weight.grad
        tensors["grad_bias"] = module.bias.grad
    options = {"num_features": c, "eps": eps, "momentum": momentum, "affine": affine,
               "track_running_stats": track, "training": training, "offset_case": per_channel}
    mode = "train" if training else "eval"
    name = f"{kind.lower()}_{index}_{mode}" + ("_offset" if per_channel else "")
    w.add(name, kind, options, tensors)


def main():
    torch.manual_seed(20261123)
    torch.set_default_dtype(torch.float64)
    w = mg.Writer()
    for index, case in enumerate(CASES):
        batch_norm_case(w, index, *case)
    for index, (kind, shape, affine, momentum, eps, offset, spread) in enumerate(OFFSET_CASES, start=len(CASES)):
        batch_norm_case(w, index, kind, shape, True, affine, True, momentum, eps, offset, spread, per_channel=True)
    w.save(OUT)
    print(f"wrote {len(w.cases)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes), torch {torch.__version__}")


if __name__ == "__main__":
    sys.exit(main())
