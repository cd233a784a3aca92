#!/usr/bin/python3
"""Read a Convolve checkpoint into PyTorch.

    /usr/bin/python3 tools/interop/convolve_to_torch.py model.safetensors -o model.pt

Rebuilds the torch.nn module from the architecture stored in the checkpoint, loads the weights,
and saves {"architecture": ..., "state_dict": ...} with torch.save. In Python, use
convolve_interop.load_into_torch(path) to get the module directly.
"""
import argparse
import json
import sys

import torch

import convolve_interop as ci


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    module, metadata = ci.load_into_torch(args.checkpoint)
    torch.save({"architecture": json.loads(metadata["architecture"]), "state_dict": module.state_dict()}, args.output)
    print(f"wrote {args.output}: {module}")


if __name__ == "__main__":
    sys.exit(main())
