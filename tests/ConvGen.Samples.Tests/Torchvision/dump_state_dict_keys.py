"""Writes the state_dict layout of torchvision's classic architectures, one text file per model.

Each line is "parameter <name> <shape>" or "buffer <name> <shape>" (shape as 64x3x7x7), in torchvision's order; BatchNorm's
num_batches_tracked is left out (ConvGen does not keep it). tests/ConvGen.Samples.Tests compares the networks declared in
samples/Architectures with these files. Run with Debian's python3-torchvision (0.14):

    python3 tests/ConvGen.Samples.Tests/Torchvision/dump_state_dict_keys.py
"""

import os

import torch
import torchvision.models as models

torch.set_num_threads(1)

MODELS = {
    "alexnet": lambda: models.alexnet(weights=None),
    "vgg16": lambda: models.vgg16(weights=None),
    "resnet18": lambda: models.resnet18(weights=None),
    "resnet34": lambda: models.resnet34(weights=None),
    "resnet50": lambda: models.resnet50(weights=None),
    "googlenet": lambda: models.googlenet(weights=None, aux_logits=False, init_weights=False),
    "densenet121": lambda: models.densenet121(weights=None),
}


def shape(tensor):
    return "x".join(str(size) for size in tensor.shape)


def main():
    folder = os.path.dirname(os.path.abspath(__file__))
    for name, build in MODELS.items():
        model = build()
        lines = [f"parameter {key} {shape(value)}" for key, value in model.named_parameters()]
        lines += [f"buffer {key} {shape(value)}" for key, value in model.named_buffers() if not key.endswith("num_batches_tracked")]
        count = sum(p.numel() for p in model.parameters())
        with open(os.path.join(folder, f"{name}.txt"), "w", encoding="utf-8", newline="\n") as file:
            file.write("\n".join(lines) + "\n")
        print(f"{name}: {count:,} parameters, {len(lines)} tensors")


if __name__ == "__main__":
    main()
