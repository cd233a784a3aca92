#!/usr/bin/python3
"""Exports torchvision 0.14's image classifiers to ONNX (opset 17) with their logits beside them.

Usage: /usr/bin/python3 tools/onnx/export_torchvision.py OUT_DIR [model ...]

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
    out = sys.argv[1]
    names = sys.argv[2:] or MODELS
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    for name in names:
        model = build(name)
        x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(11))
        with torch.no_grad():
            logits = model(x)
        path = os.path.join(out, name + ".onnx")
        torch.onnx.export(model, x, path + ".tmp", opset_version=17, input_names=["input"], output_names=["logits"],
                          do_constant_folding=True)
        os.replace(path + ".tmp", path)
        x.numpy().astype("<f4").tofile(os.path.join(out, name + ".input.bin"))
        logits.numpy().astype("<f4").tofile(os.path.join(out, name + ".logits.bin"))
        print(f"{name}: {os.path.getsize(path) / 1e6:.1f} MB, logits {tuple(logits.shape)}", flush=True)


if __name__ == "__main__":
    main()
