#!/usr/bin/python3
"""Write the model-zoo reference: the four zoo networks built in PyTorch 1.13.

Run with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 tools/reference/make_zoo_reference.py

It writes tests/Convolve.Tests/Data/zoo_reference.json. For each of lenet5, fashion-cnn, vgg-small
and resnet-small (1 input channel, 10 classes, 28x28 images) it stores:
  architecture   the network described from the torch modules' own attributes, in the JSON of
                 Convolve's ModelArchitecture (PyTorch's class and argument names, spatial options
                 as one integer per dimension), so the tests can rebuild it with FromJson;
  parameters     state-dict name and shape of every parameter, in PyTorch's order;
  buffers        the same for every buffer (BatchNorm's running statistics);
  numel          sum(p.numel() for p in model.parameters());
  output_shapes  the output shape of every leaf module and of every residual block, in the order
                 the forward pass produces them, for an input of shape INPUT.
No random numbers are involved, so the file is the same on every run.
"""
import json
import os

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Convolve.Tests", "Data", "zoo_reference.json")
INPUT = (2, 1, 28, 28)


class Residual(nn.Module):
    """body(x) + shortcut(x), the shortcut being the identity when None (Convolve's Residual)."""

    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def fashion_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))


def vgg_small(in_channels=1, size=28):
    layers, channels = [], in_channels
    for width in (32, 64):
        for _ in range(2):
            layers += [nn.Conv2d(channels, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
            channels = width
        layers.append(nn.MaxPool2d(2))
    layers += [nn.Flatten(), nn.Linear(64 * (size // 4) ** 2, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10)]
    return nn.Sequential(*layers)


def conv3x3(cin, cout, stride):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)


def basic_block(cin, cout, stride):
    body = nn.Sequential(conv3x3(cin, cout, stride), nn.BatchNorm2d(cout), nn.ReLU(), conv3x3(cout, cout, 1), nn.BatchNorm2d(cout))
    shortcut = None
    if stride != 1 or cin != cout:
        shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))
    return Residual(body, shortcut)


def resnet_small(in_channels=1):
    layers, channels = [conv3x3(in_channels, 16, 1), nn.BatchNorm2d(16), nn.ReLU()], 16
    for width, stride in ((16, 1), (32, 2), (64, 2)):
        layers += [basic_block(channels, width, stride), nn.ReLU()]
        channels = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


def spatial(value, dims):
    return list(value) if isinstance(value, tuple) else [value] * dims


def describe(m):
    """The ModelArchitecture JSON of module m, read from its attributes."""
    kind = type(m).__name__
    d = {"type": kind}
    if isinstance(m, nn.Sequential):
        d["layers"] = [describe(child) for child in m]
    elif isinstance(m, Residual):
        d["body"] = describe(m.body)
        d["shortcut"] = None if m.shortcut is None else describe(m.shortcut)
    elif isinstance(m, nn.Conv2d):
        d.update(in_channels=m.in_channels, out_channels=m.out_channels, kernel_size=spatial(m.kernel_size, 2),
                 stride=spatial(m.stride, 2), padding=spatial(m.padding, 2), dilation=spatial(m.dilation, 2),
                 groups=m.groups, bias=m.bias is not None)
    elif isinstance(m, nn.MaxPool2d):
        d.update(kernel_size=spatial(m.kernel_size, 2), stride=spatial(m.stride, 2), padding=spatial(m.padding, 2),
                 dilation=spatial(m.dilation, 2), ceil_mode=m.ceil_mode)
    elif isinstance(m, nn.Linear):
        d.update(in_features=m.in_features, out_features=m.out_features, bias=m.bias is not None)
    elif isinstance(m, nn.BatchNorm2d):
        d.update(num_features=m.num_features, eps=m.eps, momentum=m.momentum, affine=m.affine,
                 track_running_stats=m.track_running_stats)
    elif isinstance(m, nn.Flatten):
        d.update(start_dim=m.start_dim, end_dim=m.end_dim)
    elif isinstance(m, nn.Dropout):
        d.update(p=m.p)
    elif isinstance(m, nn.AdaptiveAvgPool2d):
        d.update(output_size=spatial(m.output_size, 2))
    elif not isinstance(m, nn.ReLU):
        raise ValueError(kind)
    return d


def output_shapes(model):
    shapes = []

    def record(name):
        return lambda module, inputs, output: shapes.append([name, list(output.shape)])

    for name, module in model.named_modules():
        if isinstance(module, Residual) or (name and not list(module.children())):
            module.register_forward_hook(record(name))
    model.eval()
    with torch.no_grad():
        model(torch.zeros(INPUT))
    return shapes


def reference(model):
    return {
        "architecture": describe(model),
        "parameters": [[name, list(p.shape)] for name, p in model.named_parameters()],
        "buffers": [[name, list(b.shape)] for name, b in model.named_buffers()],
        "numel": sum(p.numel() for p in model.parameters()),
        "output_shapes": output_shapes(model),
    }


def main():
    models = {"lenet5": lenet5, "fashion-cnn": fashion_cnn, "vgg-small": vgg_small, "resnet-small": resnet_small}
    result = {"input": list(INPUT), "models": {name: reference(build()) for name, build in models.items()}}
    with open(OUT, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    for name, entry in result["models"].items():
        print(f"{name}: {entry['numel']:,} parameters")


if __name__ == "__main__":
    main()
