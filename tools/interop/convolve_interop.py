"""Convolve <-> PyTorch interoperability: read and write Convolve checkpoints, and build the
PyTorch module an architecture JSON describes (and back).

Needs only numpy and Debian's python3-torch. A Convolve checkpoint is a safetensors file: an
8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
range, then the raw little-endian data. Its "__metadata__" carries format = convolve-checkpoint,
format_version = 1 and the model's architecture as JSON (PyTorch's argument names), so the same
file rebuilds the network on either side.
"""
import json
import os
import struct
import tempfile

import numpy as np
import torch
import torch.nn as nn

FORMAT = "convolve-checkpoint"
VERSION = "1"
DTYPES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8"), "I32": np.dtype("<i4"), "I64": np.dtype("<i8"), "U8": np.dtype("u1")}


def read_checkpoint(path):
    """Returns (tensors: dict name -> numpy array, metadata: dict str -> str)."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    if metadata.get("format") != FORMAT:
        raise ValueError(f"{path}: not a Convolve checkpoint (format {metadata.get('format')!r})")
    body = data[8 + length:]
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(body[begin:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"]).copy()
    return tensors, metadata


def write_checkpoint(path, tensors, metadata):
    """Writes tensors (name -> numpy array) and string metadata atomically (temporary file, then rename)."""
    names = sorted(tensors)
    header, offset, blobs = {}, 0, []
    for name in names:
        array = np.ascontiguousarray(tensors[name])
        dtype = {np.dtype("float32"): "F32", np.dtype("float64"): "F64", np.dtype("int32"): "I32",
                 np.dtype("int64"): "I64", np.dtype("uint8"): "U8"}[array.dtype]
        blob = array.astype(DTYPES[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    header["__metadata__"] = dict(metadata, format=FORMAT, format_version=VERSION)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


class Residual(nn.Module):
    """Convolve's Residual: body(x) + shortcut(x), the shortcut being the identity when absent."""

    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))


def build_torch(spec):
    """The torch.nn module an architecture description (dict, PyTorch's argument names) describes."""
    kind = spec["type"]
    args = {k: v for k, v in spec.items() if k != "type"}
    if kind == "Sequential":
        return nn.Sequential(*[build_torch(child) for child in args["layers"]])
    if kind == "Residual":
        shortcut = args.get("shortcut")
        return Residual(build_torch(args["body"]), None if shortcut is None else build_torch(shortcut))
    if kind.startswith("Conv") and args.get("padding") == "full":
        args["padding"] = [d * (k - 1) for d, k in zip(args["dilation"], args["kernel_size"])]
    if kind.startswith("LPPool"):
        args["norm_type"] = float(args["norm_type"])
    if kind == "BatchNorm1d" or kind == "BatchNorm2d":
        pass
    cls = getattr(nn, kind, None)
    if cls is None:
        raise ValueError(f"no torch.nn layer for architecture type {kind!r}")
    return cls(**args)


def describe_torch(module):
    """The architecture description of a torch module built from the layers Convolve supports."""
    def sizes(v, n):
        return list(v) if isinstance(v, (tuple, list)) else [v] * n

    name = type(module).__name__
    if isinstance(module, nn.Sequential):
        return {"type": "Sequential", "layers": [describe_torch(m) for m in module]}
    if isinstance(module, Residual):
        return {"type": "Residual", "body": describe_torch(module.body),
                "shortcut": None if module.shortcut is None else describe_torch(module.shortcut)}
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        n = len(module.kernel_size)
        return {"type": name, "in_channels": module.in_channels, "out_channels": module.out_channels,
                "kernel_size": list(module.kernel_size), "stride": list(module.stride),
                "padding": module.padding if isinstance(module.padding, str) else list(module.padding),
                "dilation": sizes(module.dilation, n), "groups": module.groups, "bias": module.bias is not None}
    if isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        return {"type": name, "in_channels": module.in_channels, "out_channels": module.out_channels,
                "kernel_size": list(module.kernel_size), "stride": list(module.stride), "padding": list(module.padding),
                "output_padding": list(module.output_padding), "groups": module.groups,
                "bias": module.bias is not None, "dilation": list(module.dilation)}
    if isinstance(module, nn.Linear):
        return {"type": "Linear", "in_features": module.in_features, "out_features": module.out_features,
                "bias": module.bias is not None}
    if isinstance(module, (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d)):
        n = int(name[-2])
        return {"type": name, "kernel_size": sizes(module.kernel_size, n), "stride": sizes(module.stride, n),
                "padding": sizes(module.padding, n), "dilation": sizes(module.dilation, n), "ceil_mode": module.ceil_mode}
    if isinstance(module, (nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d)):
        n = int(name[-2])
        return {"type": name, "kernel_size": sizes(module.kernel_size, n), "stride": sizes(module.stride, n),
                "padding": sizes(module.padding, n), "ceil_mode": module.ceil_mode,
                "count_include_pad": module.count_include_pad}
    if isinstance(module, nn.AdaptiveAvgPool2d):
        return {"type": name, "output_size": sizes(module.output_size, 2)}
    if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
        return {"type": name, "num_features": module.num_features, "eps": module.eps, "momentum": module.momentum,
                "affine": module.affine, "track_running_stats": module.track_running_stats}
    if isinstance(module, nn.LeakyReLU):
        return {"type": name, "negative_slope": module.negative_slope}
    if isinstance(module, (nn.ReLU, nn.Sigmoid, nn.Tanh)):
        return {"type": name}
    if isinstance(module, nn.Flatten):
        return {"type": name, "start_dim": module.start_dim, "end_dim": module.end_dim}
    if isinstance(module, nn.Dropout):
        return {"type": name, "p": module.p}
    raise ValueError(f"Convolve has no layer for {name}")


def state_to_numpy(module):
    """The module's state dict as float32 numpy arrays (BatchNorm's int64 counter stored as float32, as Convolve does)."""
    return {k: v.detach().cpu().numpy().astype(np.float32) for k, v in module.state_dict().items()}


def load_into_torch(path):
    """Rebuilds the torch module of a Convolve checkpoint and loads its weights."""
    tensors, metadata = read_checkpoint(path)
    module = build_torch(json.loads(metadata["architecture"]))
    state = module.state_dict()
    missing = set(state) - set(tensors)
    extra = set(t for t in tensors if t not in state)
    if missing or extra:
        raise ValueError(f"{path}: checkpoint and architecture disagree: missing {sorted(missing)}, unexpected {sorted(extra)}")
    module.load_state_dict({k: torch.from_numpy(tensors[k].astype(np.float32)).to(state[k].dtype).reshape(state[k].shape)
                            for k in state})
    return module.eval(), metadata
