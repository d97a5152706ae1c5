"""The side-by-side benchmark's networks in PyTorch, with ConvGen's parameter names, and a minimal safetensors codec.

Module names match the names ConvGen gives the layers of bench/ConvGen.SideBySide/Networks.cs (conv1, dense1, ...), so a
state_dict here and a ConvGen network's safetensors file (NetworkSerialization.Save/Load) hold the same tensors under the
same names and in the same layouts. ResNet-18 and GoogLeNet are torchvision's own modules; ConvGen declares them with
torchvision's state_dict names (samples/Architectures/Networks/ResNet18.cs, GoogLeNet.cs).
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
    "resnet18": ("torchvision resnet18, 1000 classes", (3, 224, 224)),
    "googlenet": ("torchvision googlenet, 1000 classes, no auxiliary heads", (3, 224, 224)),
}

# The networks torchvision builds; their BatchNorm layers make them differ between train() and eval().
TORCHVISION = ("resnet18", "googlenet")

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
    if name == "resnet18":
        import torchvision
        return torchvision.models.resnet18(weights=None)
    if name == "googlenet":
        import torchvision
        # What torchvision builds without pretrained weights, minus the auxiliary classifiers (used only in training).
        return torchvision.models.googlenet(weights=None, aux_logits=False, transform_input=False, init_weights=True)
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


# safetensors dtype <-> numpy dtype: float32 tensors, and the int64 num_batches_tracked counters of BatchNorm
# (ConvGen's NetworkSerialization.Load ignores those; load_state_dict(strict=True) wants them).
DTYPES = {"F32": "<f4", "I64": "<i8"}


def read_safetensors(path):
    """{name: numpy array} of a safetensors file holding F32 and I64 tensors."""
    with open(path, "rb") as f:
        (header_length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_length))
        data = f.read()
    tensors = OrderedDict()
    for key, entry in sorted(((k, v) for k, v in header.items() if k != "__metadata__"), key=lambda kv: kv[1]["data_offsets"][0]):
        if entry["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {key!r} has dtype {entry['dtype']}; only {', '.join(DTYPES)} are supported here")
        begin, end = entry["data_offsets"]
        tensors[key] = np.frombuffer(data[begin:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
    return tensors


def write_safetensors(path, tensors):
    """Writes {name: numpy array} in the given order: integer arrays as I64 tensors, everything else as F32."""
    header, offset, blobs = OrderedDict(), 0, []
    for key, value in tensors.items():
        dtype = "I64" if np.issubdtype(value.dtype, np.integer) else "F32"
        blob = np.ascontiguousarray(value, dtype=DTYPES[dtype]).tobytes()
        header[key] = {"dtype": dtype, "shape": list(value.shape), "data_offsets": [offset, offset + len(blob)]}
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
