#!/usr/bin/python3
"""Exports torchvision 0.14's image classifiers to ONNX (opset 17) with their logits beside them.

Usage: /usr/bin/python3 tools/onnx/export_torchvision.py [--opset N] OUT_DIR [model ...]

With --opset N (issue 19: an older operator set, e.g. 9 or 10) the files are named NAME-opsetN.*
and only the models named are exported (resnet18 and mobilenet_v2 when none are); .ci/run exports
resnet18, squeezenet1_1 and shufflenet_v2_x1_0 at 9 and mobilenet_v2 at 10.

Each model gets random weights from a fixed seed (no download), is put in evaluation mode and
exported with torch.onnx.export at 1x3x224x224; OUT_DIR/NAME.onnx is the file a user gets from
PyTorch, OUT_DIR/NAME.input.bin and OUT_DIR/NAME.logits.bin are a fixed input and torchvision's
logits for it (little-endian float32, shapes [1,3,224,224] and [1,1000]). Batch normalisation's
running statistics are randomised too, so that folding them wrongly shows. The files are large and
are not committed: .ci/run makes them and sets CONVOLVE_TORCHVISION_ONNX for the test that reads them.
"""
import os
import sys

import numpy as np
import torch
import torchvision

MODELS = ["alexnet", "resnet18", "mobilenet_v2", "squeezenet1_1", "densenet121", "googlenet",
          "shufflenet_v2_x1_0", "efficientnet_b0", "mnasnet0_5", "resnext50_32x4d", "regnet_x_400mf",
          "mobilenet_v3_small", "vgg11_bn"]


def build(name):
    torch.manual_seed(20261207)
    kwargs = {"aux_logits": False, "init_weights": True} if name == "googlenet" else {}
    model = getattr(torchvision.models, name)(weights=None, **kwargs)
    generator = torch.Generator().manual_seed(7)
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            c = module.num_features
            module.running_mean.copy_(torch.rand(c, generator=generator) * 0.2 - 0.1)
            module.running_var.copy_(torch.rand(c, generator=generator) * 0.5 + 0.75)
            module.weight.data.copy_(torch.rand(c, generator=generator) * 0.5 + 0.75)
            module.bias.data.copy_(torch.rand(c, generator=generator) * 0.2 - 0.1)
    return model.eval()


def main():
    args = sys.argv[1:]
    opset = 17
    if args[:1] == ["--opset"]:
        opset, args = int(args[1]), args[2:]
    out = args[0]
    names = args[1:] or (MODELS if opset == 17 else ["resnet18", "mobilenet_v2"])
    suffix = "" if opset == 17 else f"-opset{opset}"
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    for name in names:
        model = build(name)
        x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(11))
        with torch.no_grad():
            logits = model(x)
        path = os.path.join(out, name + suffix + ".onnx")
        torch.onnx.export(model, x, path + ".tmp", opset_version=opset, input_names=["input"], output_names=["logits"],
                          do_constant_folding=True)
        os.replace(path + ".tmp", path)
        x.numpy().astype("<f4").tofile(os.path.join(out, name + suffix + ".input.bin"))
        logits.numpy().astype("<f4").tofile(os.path.join(out, name + suffix + ".logits.bin"))
        print(f"{name + suffix}: {os.path.getsize(path) / 1e6:.1f} MB, opset {opset}, logits {tuple(logits.shape)}", flush=True)


if __name__ == "__main__":
    main()
