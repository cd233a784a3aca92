#!/usr/bin/python3
"""Export a PyTorch model's state dict as a Convolve checkpoint.

    /usr/bin/python3 tools/interop/torch_to_convolve.py STATE_DICT.pt --architecture ARCH.json -o model.safetensors
    /usr/bin/python3 tools/interop/torch_to_convolve.py STATE_DICT.pt --fashion-cnn -o model.safetensors

STATE_DICT.pt is what torch.save(model.state_dict(), path) writes; ARCH.json is the architecture
in Convolve's JSON (PyTorch's argument names; `convolve summary --architecture` prints it).
The result loads with `convolve eval model.safetensors` or Model.Load in C#.
"""
import argparse
import json
import sys

import torch

import convolve_interop as ci

FASHION_CNN = {"type": "Sequential", "layers": [
    {"type": "Conv2d", "in_channels": 1, "out_channels": 32, "kernel_size": [5, 5], "stride": [1, 1], "padding": [2, 2],
     "dilation": [1, 1], "groups": 1, "bias": True},
    {"type": "ReLU"},
    {"type": "MaxPool2d", "kernel_size": [2, 2], "stride": [2, 2], "padding": [0, 0], "dilation": [1, 1], "ceil_mode": False},
    {"type": "Conv2d", "in_channels": 32, "out_channels": 64, "kernel_size": [5, 5], "stride": [1, 1], "padding": [2, 2],
     "dilation": [1, 1], "groups": 1, "bias": True},
    {"type": "ReLU"},
    {"type": "MaxPool2d", "kernel_size": [2, 2], "stride": [2, 2], "padding": [0, 0], "dilation": [1, 1], "ceil_mode": False},
    {"type": "Flatten", "start_dim": 1, "end_dim": -1},
    {"type": "Linear", "in_features": 3136, "out_features": 128, "bias": True},
    {"type": "ReLU"},
    {"type": "Linear", "in_features": 128, "out_features": 10, "bias": True},
]}


def export(module, path, extra_metadata=None):
    """Writes a torch module (built from Convolve-supported layers) as a Convolve checkpoint."""
    architecture = ci.describe_torch(module)
    metadata = {"architecture": json.dumps(architecture), "source": f"PyTorch {torch.__version__}"}
    metadata.update(extra_metadata or {})
    ci.write_checkpoint(path, ci.state_to_numpy(module), metadata)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("state_dict")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--architecture", help="architecture JSON file")
    group.add_argument("--fashion-cnn", action="store_true", help="the fashion-cnn architecture")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    spec = FASHION_CNN if args.fashion_cnn else json.load(open(args.architecture))
    module = ci.build_torch(spec)
    module.load_state_dict(torch.load(args.state_dict, map_location="cpu"))
    export(module, args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    sys.exit(main())
