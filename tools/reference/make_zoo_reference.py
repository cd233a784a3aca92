#!/usr/bin/python3
"""Write the model-zoo reference: the four zoo networks built in PyTorch 1.13.

Run with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 tools/reference/make_zoo_reference.py

It writes tests/Convolve.Tests/Data/zoo_reference.json. For each of lenet5, fashion-cnn, vgg-small,
resnet-small, resnet18, mobilenet-v2 and squeezenet (1 input channel, 10 classes, 28x28 images, so
the last three with their CIFAR stems) it stores:
  architecture   the network described from the torch modules' own attributes, in the JSON of
                 Convolve's ModelArchitecture (PyTorch's class and argument names, spatial options
                 as one integer per dimension), so the tests can rebuild it with FromJson;
  parameters     state-dict name and shape of every parameter, in PyTorch's order;
  buffers        the same for every buffer (BatchNorm's running statistics);
  numel          sum(p.numel() for p in model.parameters());
  output_shapes  the output shape of every leaf module and of every residual block, in the order
                 the forward pass produces them, for an input of shape INPUT.
Under "large" the same for resnet18, mobilenet-v2 and squeezenet at LARGE_INPUT (3 channels, 64x64:
torchvision's ImageNet stems), and under "torchvision" torchvision 0.14's own model beside the twin:
its state_dict names and shapes (the same shapes in the same order as ours, asserted), its parameter
count at 1000 classes (asserted equal to the twin's), and the largest logit difference when
torchvision's values are copied into the twin by position (asserted within 1e-5 relative). Those
random numbers (torch.manual_seed(0)) only feed the assertions and that difference; the rest of the
file is the same on every run. Needs python3-torchvision besides python3-torch.
"""
import json
import os

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Convolve.Tests", "Data", "zoo_reference.json")
INPUT = (2, 1, 28, 28)
LARGE_INPUT = (1, 3, 64, 64)


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


class Concat(nn.Module):
    """torch.cat over dim (Convolve's Concat, a graph's merge node)."""

    def __init__(self, dim=1):
        super().__init__()
        self.dim = dim

    def forward(self, *xs):
        return torch.cat(xs, self.dim)


class Fire(nn.Module):
    """torchvision's SqueezeNet Fire module with the same attribute names, its cat a module (Convolve's Fire graph)."""

    def __init__(self, cin, squeeze, expand):
        super().__init__()
        self.squeeze = nn.Conv2d(cin, squeeze, 1)
        self.squeeze_activation = nn.ReLU()
        self.expand1x1 = nn.Conv2d(squeeze, expand, 1)
        self.expand1x1_activation = nn.ReLU()
        self.expand3x3 = nn.Conv2d(squeeze, expand, 3, padding=1)
        self.expand3x3_activation = nn.ReLU()
        self.cat = Concat(1)

    def forward(self, x):
        x = self.squeeze_activation(self.squeeze(x))
        return self.cat(self.expand1x1_activation(self.expand1x1(x)), self.expand3x3_activation(self.expand3x3(x)))

    # The graph's nodes: (name, inputs).
    NODES = [("squeeze", ["input"]), ("squeeze_activation", ["squeeze"]), ("expand1x1", ["squeeze_activation"]),
             ("expand1x1_activation", ["expand1x1"]), ("expand3x3", ["squeeze_activation"]),
             ("expand3x3_activation", ["expand3x3"]), ("cat", ["expand1x1_activation", "expand3x3_activation"])]


LARGE = 64  # from this image size on, the torchvision-sized models take torchvision's ImageNet stem


def resnet18(cin=1, classes=10, size=28):
    large = size >= LARGE
    if large:
        layers = [nn.Conv2d(cin, 64, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    else:
        layers = [conv3x3(cin, 64, 1), nn.BatchNorm2d(64), nn.ReLU()]
    channels = 64
    for width, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        for block in range(2):
            layers += [basic_block(channels, width, stride if block == 0 else 1), nn.ReLU()]
            channels = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, classes)]
    return nn.Sequential(*layers)


def conv_bn_relu6(cin, cout, kernel, stride, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU6())


def mobilenet_v2(cin=1, classes=10, size=28):
    large = size >= LARGE
    layers, channels = [conv_bn_relu6(cin, 32, 3, 2 if large else 1)], 32
    for t, c, n, s in ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)):
        for i in range(n):
            stride = 1 if i > 0 or (c == 24 and not large) else s
            hidden = channels * t
            body = ([conv_bn_relu6(channels, hidden, 1, 1)] if t != 1 else []) + [
                conv_bn_relu6(hidden, hidden, 3, stride, groups=hidden), nn.Conv2d(hidden, c, 1, bias=False), nn.BatchNorm2d(c)]
            body = nn.Sequential(*body)
            layers.append(Residual(body) if stride == 1 and channels == c else body)
            channels = c
    layers += [conv_bn_relu6(channels, 1280, 1, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(1280, classes)]
    return nn.Sequential(*layers)


def squeezenet(cin=1, classes=10, size=28):
    def pool():
        return nn.MaxPool2d(3, 2, ceil_mode=True)
    if size >= LARGE:
        layers = [nn.Conv2d(cin, 64, 3, stride=2), nn.ReLU(), pool()]
    else:
        layers = [nn.Conv2d(cin, 64, 3, padding=1), nn.ReLU()]
    layers += [Fire(64, 16, 64), Fire(128, 16, 64), pool(), Fire(128, 32, 128), Fire(256, 32, 128), pool(),
               Fire(256, 48, 192), Fire(384, 48, 192), Fire(384, 64, 256), Fire(512, 64, 256),
               nn.Dropout(0.5), nn.Conv2d(512, classes, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers)


def spatial(value, dims):
    return list(value) if isinstance(value, tuple) else [value] * dims


def describe(m):
    """The ModelArchitecture JSON of module m, read from its attributes."""
    kind = type(m).__name__
    d = {"type": kind}
    if isinstance(m, nn.Sequential):
        d["layers"] = [describe(child) for child in m]
    elif isinstance(m, Fire):
        d = {"type": "Graph", "input": "input", "output": "cat",
             "nodes": [{"name": name, "inputs": inputs, "layer": describe(getattr(m, name))} for name, inputs in Fire.NODES]}
    elif isinstance(m, Concat):
        d["dim"] = m.dim
    elif isinstance(m, nn.ReLU6):
        d = {"type": "Hardtanh", "min_val": m.min_val, "max_val": m.max_val}
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


def output_shapes(model, shape=None):
    shapes = []

    def record(name):
        return lambda module, inputs, output: shapes.append([name, list(output.shape)])

    for name, module in model.named_modules():
        if isinstance(module, Residual) or (name and not list(module.children())):
            module.register_forward_hook(record(name))
    model.eval()
    with torch.no_grad():
        model(torch.zeros(shape or INPUT))
    return shapes


def reference(model, shape=None):
    return {
        "architecture": describe(model),
        "parameters": [[name, list(p.shape)] for name, p in model.named_parameters()],
        "buffers": [[name, list(b.shape)] for name, b in model.named_buffers()],
        "numel": sum(p.numel() for p in model.parameters()),
        "output_shapes": output_shapes(model, shape),
    }


def torchvision_twin(name, build, tv_build):
    """The ImageNet-stem twin beside torchvision's own model: the same state_dict entries in the same
    order with the same shapes (only the names differ: positional here, attributes there), and with
    torchvision's values copied in by position the same logits. Returns torchvision's names and shapes
    at 10 classes and its parameter count at 1000."""
    torch.manual_seed(0)
    ours, theirs = build(3, 10, LARGE_INPUT[-1]), tv_build(num_classes=10)
    ours_sd, theirs_sd = ours.state_dict(), theirs.state_dict()
    assert [v.shape for v in ours_sd.values()] == [v.shape for v in theirs_sd.values()], name
    for theirs_m in theirs.modules():  # non-trivial statistics, so that BN's order matters
        if isinstance(theirs_m, nn.BatchNorm2d):
            theirs_m.running_mean.uniform_(-0.5, 0.5)
            theirs_m.running_var.uniform_(0.5, 1.5)
    ours.load_state_dict(dict(zip(ours_sd.keys(), theirs.state_dict().values())))
    ours.eval()
    theirs.eval()
    x = torch.randn(LARGE_INPUT)
    with torch.no_grad():
        a, b = ours(x), theirs(x)
    difference = (a - b).abs().max().item()
    assert difference <= 1e-5 * b.abs().max().item(), (name, difference)
    full = tv_build(num_classes=1000)
    assert sum(p.numel() for p in full.parameters()) == sum(p.numel() for p in build(3, 1000, 224).parameters()), name
    return {
        "state_dict": [[key, list(v.shape)] for key, v in theirs_sd.items()],
        "numel_1000_classes": sum(p.numel() for p in full.parameters()),
        "max_logit_difference": difference,
    }


def main():
    models = {"lenet5": lenet5, "fashion-cnn": fashion_cnn, "vgg-small": vgg_small, "resnet-small": resnet_small,
              "resnet18": resnet18, "mobilenet-v2": mobilenet_v2, "squeezenet": squeezenet}
    result = {"input": list(INPUT), "models": {name: reference(build()) for name, build in models.items()}}
    import torchvision.models as tv
    large = {"resnet18": (resnet18, tv.resnet18), "mobilenet-v2": (mobilenet_v2, tv.mobilenet_v2),
             "squeezenet": (squeezenet, tv.squeezenet1_1)}
    result["large_input"] = list(LARGE_INPUT)
    result["large"] = {}
    for name, (build, tv_build) in large.items():
        entry = reference(build(3, 10, LARGE_INPUT[-1]), LARGE_INPUT)
        entry["torchvision"] = torchvision_twin(name, build, tv_build)
        result["large"][name] = entry
    with open(OUT, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    for name, entry in result["models"].items():
        print(f"{name}: {entry['numel']:,} parameters")
    for name, entry in result["large"].items():
        tv_entry = entry["torchvision"]
        print(f"{name} (3x64x64, 10 classes): {entry['numel']:,} parameters; torchvision at 1000 classes "
              f"{tv_entry['numel_1000_classes']:,}; logits beside torchvision's differ by {tv_entry['max_logit_difference']:.2e}")


if __name__ == "__main__":
    main()
