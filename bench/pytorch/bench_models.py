"""The side-by-side benchmark's networks in PyTorch, with ConvGen's parameter names, and a minimal safetensors codec.

Module names match the names ConvGen gives the layers of bench/ConvGen.SideBySide/Networks.cs (conv1, dense1, ...), so a
state_dict here and a ConvGen network's safetensors file (NetworkSerialization.Save/Load) hold the same tensors under the
same names and in the same layouts.
"""

import json
import os
import struct
from collections import OrderedDict

import numpy as np

# name -> (description, input shape without the batch axis)
NETWORKS = {
    "lenet5": ("LeNet-5 as in Networks.cs", (1, 28, 28)),
    "conv3x3_64x56": ("one Conv2d(64, 64, 3, padding=1)", (64, 56, 56)),
    "conv3x3_128x28": ("one Conv2d(128, 128, 3, padding=1)", (128, 28, 28)),
}

MODELS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "models")


def build(nn, name):
    """A fresh PyTorch module for one of NETWORKS, initialised by PyTorch's default rules."""
    if name == "lenet5":
        return nn.Sequential(OrderedDict([
            ("conv1", nn.Conv2d(1, 20, 5, padding=2)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(20, 50, 5, padding=2)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
            ("flatten1", nn.Flatten()),
            ("dense1", nn.Linear(2450, 500)), ("relu3", nn.ReLU()),
            ("dense2", nn.Linear(500, 10))]))
    if name == "conv3x3_64x56":
        return nn.Sequential(OrderedDict([("conv1", nn.Conv2d(64, 64, 3, padding=1))]))
    if name == "conv3x3_128x28":
        return nn.Sequential(OrderedDict([("conv1", nn.Conv2d(128, 128, 3, padding=1))]))
    raise ValueError(f"unknown network {name!r}; known: {', '.join(NETWORKS)}")


def load(torch, nn, name, models_dir=MODELS_DIR):
    """The network with the weights of <models_dir>/<name>.safetensors when that file exists, else PyTorch's seeded init.
    Returns (module, path or None)."""
    torch.manual_seed(0)
    module = build(nn, name)
    path = os.path.join(models_dir, name + ".safetensors")
    if os.path.exists(path):
        tensors = read_safetensors(path)
        module.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in tensors.items()}, strict=True)
        return module, path
    return module, None


def read_safetensors(path):
    """{name: float32 numpy array} of a safetensors file holding F32 tensors."""
    with open(path, "rb") as f:
        (header_length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_length))
        data = f.read()
    tensors = OrderedDict()
    for key, entry in sorted(((k, v) for k, v in header.items() if k != "__metadata__"), key=lambda kv: kv[1]["data_offsets"][0]):
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {key!r} has dtype {entry['dtype']}; only F32 is supported here")
        begin, end = entry["data_offsets"]
        tensors[key] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
    return tensors


def write_safetensors(path, tensors):
    """Writes {name: numpy array} as F32 tensors, in the given order."""
    header, offset, blobs = OrderedDict(), 0, []
    for key, value in tensors.items():
        blob = np.ascontiguousarray(value, dtype="<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(value.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    temporary = path + ".tmp"
    with open(temporary, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(temporary, path)
