#!/usr/bin/python3
"""Writes small reference .safetensors files for the interop tests, using only numpy and the published format:

    8-byte little-endian u64 N | N bytes of UTF-8 JSON header, space-padded to a multiple of 8 | tensor data

A tensor given as (uint16 array, "BF16") is written as bfloat16 bits (numpy has no bfloat16); bfloat16() rounds as
torch's `.to(torch.bfloat16)` does (same bits for the values used here, checked with torch 1.13).
Like the reference writer, tensors are laid out sorted by dtype size (largest first) and then by name, `__metadata__`
comes first in the header, and the JSON is compact. Run from anywhere: `/usr/bin/python3 make-reference.py`.
The expected values are repeated in SafeTensorsInteropTests.cs.
"""

import json
import os
import struct

import numpy as np

DTYPES = {
    np.dtype("<f8"): "F64", np.dtype("<f4"): "F32", np.dtype("<f2"): "F16",
    np.dtype("<i8"): "I64", np.dtype("<i4"): "I32", np.dtype("u1"): "U8",
}


def bfloat16(values):
    """float32 values rounded to bfloat16 (nearest, ties to even), as the raw uint16 bits and the dtype name."""
    bits = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16), "BF16"


def write(path, tensors, metadata=None):
    dtypes = {name: value[1] if isinstance(value, tuple) else DTYPES[np.dtype(value.dtype).newbyteorder("<")] for name, value in tensors.items()}
    tensors = {name: value[0] if isinstance(value, tuple) else value for name, value in tensors.items()}
    arrays = {name: array.astype(array.dtype.newbyteorder("<"), order="C") for name, array in tensors.items()}
    order = sorted(arrays, key=lambda name: (-arrays[name].dtype.itemsize, name))
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for name in order:
        array = arrays[name]
        header[name] = {"dtype": dtypes[name], "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(text)))
        handle.write(text)
        for name in order:
            handle.write(arrays[name].tobytes())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    write(
        os.path.join(here, "reference-f32-i64.safetensors"),
        {
            "conv1.weight": (np.arange(24, dtype=np.float32).reshape(2, 1, 3, 4) * np.float32(0.1) - np.float32(1.0)),
            "conv1.bias": np.array([0.5, -2.25], dtype=np.float32),
            "num_batches_tracked": np.array([7, -3, 2**40], dtype=np.int64),
        },
        {"format": "pt", "source": "make-reference.py"},
    )
    write(
        os.path.join(here, "reference-mixed.safetensors"),
        {
            "scale": np.array(3.5, dtype=np.float32),
            "double": np.array([[1.0 / 3.0, -1e300], [2.5, 0.0]], dtype=np.float64),
            "counts": np.array([1, -2, 2147483647, -2147483648], dtype=np.int32),
            "pixels": np.array([0, 1, 127, 128, 255], dtype=np.uint8),
            "empty": np.zeros((0, 3), dtype=np.float32),
        },
    )

    # A PyTorch state_dict of a Linear(2, 3) followed by a BatchNorm1d(3) named "norm" (running_var left out), stored in half
    # precision as models often are: the weight as F16, the bias as BF16, plus BatchNorm's I64 scalar batch counter.
    write(
        os.path.join(here, "reference-state-dict.safetensors"),
        {
            "fc.weight": np.array([[0.1, -0.5], [1.0 / 3.0, 2.0], [-65504.0, 6e-8]], dtype=np.float16),
            "fc.bias": bfloat16([0.1, -3.0e38, 1.0 / 3.0]),
            "norm.running_mean": np.array([0.25, -1.5, 3.0], dtype=np.float32),
            "norm.num_batches_tracked": np.array(1875, dtype=np.int64),
        },
        {"format": "pt"},
    )


if __name__ == "__main__":
    main()
