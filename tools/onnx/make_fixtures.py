#!/usr/bin/python3
"""Write the ONNX import fixtures: PyTorch networks exported by torch.onnx.export, with their logits.

Run with Debian's PyTorch (apt-get install python3-torch python3-onnx):

    /usr/bin/python3 tools/onnx/make_fixtures.py            # everything
    /usr/bin/python3 tools/onnx/make_fixtures.py opsets     # only the operator-set files (onnx_opsets.py)

It writes tests/Convolve.Tests/Data/onnx/NAME.onnx and NAME.json for
  - the four zoo networks (their PyTorch definitions are those of tools/reference/make_zoo_reference.py),
    for 1x28x28 inputs, and lenet5 and resnet-small also for 3x32x32 (RGB) inputs;
  - a few others that use the rest of the operator set: transposed convolution with output padding,
    dilated grouped convolution, average pooling in ceil mode without the padding in the divisor,
    batch normalisation after a linear layer and after pooling, LeakyReLU, Sigmoid,
    Tanh, 1-d and 3-d convolution;
  - one that Convolve must refuse (an operator it has no layer for).
(PyTorch 1.13 writes LPPool2d as a chain of Pow, Pad, AveragePool, Sign, Abs and Mul, which Convolve
does not import; its own LpPool is checked by export and import in the tests.)
Each JSON file holds the input shape, a seeded input and PyTorch's output for it (float32 values
written with repr, so they read back exactly), and what the test expects: "logits" to match, or
"refused" with the operator the error must name. Every network gets seeded random weights and,
for batch normalisation, random running statistics, and is exported in evaluation mode with
opset 17 and a symbolic batch dimension (PyTorch folds a batch normalisation that follows a
convolution into the convolution's weights).
"""
import importlib.util
import json
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "Convolve.Tests", "Data", "onnx")
OPSET = 17

spec = importlib.util.spec_from_file_location("zoo", os.path.join(HERE, "..", "reference", "make_zoo_reference.py"))
zoo = importlib.util.module_from_spec(spec)
spec.loader.exec_module(zoo)


def rgb(build):
    """The zoo network for 3x32x32 inputs: the first convolution takes 3 channels, the first linear layer the larger map."""
    model = build()
    first = next(m for m in model.modules() if isinstance(m, nn.Conv2d))
    replacement = nn.Conv2d(3, first.out_channels, first.kernel_size, first.stride, first.padding, first.dilation, first.groups, first.bias is not None)
    replace(model, first, replacement)
    with torch.no_grad():
        features = torch.flatten(model[:next(i for i, m in enumerate(model) if isinstance(m, nn.Flatten)) + 1](torch.zeros(1, 3, 32, 32)), 1).shape[1]
    linear = next(m for m in model.modules() if isinstance(m, nn.Linear))
    replace(model, linear, nn.Linear(features, linear.out_features))
    return model


def replace(model, old, new):
    for parent in model.modules():
        for name, child in parent.named_children():
            if child is old:
                setattr(parent, name, new)


def others():
    return {
        "transposed": ((2, 6, 6), nn.Sequential(
            nn.ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1), nn.LeakyReLU(0.2),
            nn.Conv2d(4, 4, 3, padding=2, dilation=2, groups=2), nn.Sigmoid(),
            nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), nn.Flatten(),
            nn.Linear(4 * 7 * 7, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 3))),
        "pooling": ((3, 15, 15), nn.Sequential(
            nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), nn.BatchNorm2d(3), nn.Conv2d(3, 6, 2),
            nn.AvgPool2d(2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6, 4))),
        "conv1d": ((2, 20), nn.Sequential(
            nn.Conv1d(2, 4, 3, stride=2, padding=1), nn.ReLU(), nn.MaxPool1d(2), nn.Conv1d(4, 4, 3, padding=1),
            nn.BatchNorm1d(4), nn.AvgPool1d(2), nn.Flatten(), nn.Linear(4 * 2, 3))),
        "conv3d": ((1, 6, 6, 6), nn.Sequential(
            nn.Conv3d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool3d(2), nn.ConvTranspose3d(2, 2, 2, stride=2),
            nn.Flatten(), nn.Linear(2 * 6 * 6 * 6, 3))),
        "softmax": ((1, 8, 8), nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 6 * 6, 3), nn.Softmax(dim=1))),
        "logsoftmax": ((1, 8, 8), nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 6 * 6, 3), nn.LogSoftmax(dim=1))),
    }


def randomize(model, seed):
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in list(model.named_parameters()) + list(model.named_buffers()):
            if name.endswith("num_batches_tracked"):
                continue
            if name.endswith("running_var"):
                tensor.copy_(torch.rand(tensor.shape, generator=generator) + 0.5)
            elif name.endswith("running_mean") or (tensor.dim() == 1 and name.endswith("bias")):
                tensor.copy_(torch.randn(tensor.shape, generator=generator) * 0.3)
            elif tensor.dim() == 1:
                tensor.copy_(1 + torch.randn(tensor.shape, generator=generator) * 0.3)
            else:
                fan_in = tensor[0].numel()
                tensor.copy_(torch.randn(tensor.shape, generator=generator) / fan_in ** 0.5)


def export(name, item, model, seed, refused=None):
    randomize(model, seed)
    model.eval()
    generator = torch.Generator().manual_seed(seed + 1)
    x = torch.randn((2,) + item, generator=generator)
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(model, x, path, opset_version=OPSET, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})
    with torch.no_grad():
        y = model(x)
    entry = {"input_shape": list(x.shape), "input": [float(v) for v in x.flatten()]}
    if refused is None:
        entry["logits"] = [float(v) for v in y.flatten()]
        entry["logits_shape"] = list(y.shape)
    else:
        entry["refused"] = refused
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(entry, f)
        f.write("\n")
    print(f"{name}: {os.path.getsize(path):,} bytes")


def main():
    spec = importlib.util.spec_from_file_location("onnx_opsets", os.path.join(HERE, "onnx_opsets.py"))
    opsets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(opsets)
    opsets.write(os.path.join(OUT, "opsets"))
    if sys.argv[1:] == ["opsets"]:
        return
    os.makedirs(OUT, exist_ok=True)
    builders = {"lenet5": zoo.lenet5, "fashion-cnn": zoo.fashion_cnn, "vgg-small": zoo.vgg_small, "resnet-small": zoo.resnet_small}
    for seed, (name, build) in enumerate(builders.items()):
        export(name, (1, 28, 28), build(), 100 + seed)
    for seed, name in enumerate(("lenet5", "resnet-small")):
        export(name + "-rgb", (3, 32, 32), rgb(builders[name]), 200 + seed)
    for seed, (name, (item, model)) in enumerate(others().items()):
        export(name, item, model, 300 + seed, refused="LogSoftmax" if name == "logsoftmax" else None)


if __name__ == "__main__":
    main()
