#!/usr/bin/env python3
"""Writes the side-by-side benchmark's networks with one set of weights, for every side to load:

    /usr/bin/python3 bench/pytorch/export_models.py [--force] [--out bench/models]

For each network of bench_models.NETWORKS it writes
  <name>.safetensors  the weights (PyTorch's default init, seed 0) under ConvGen's names; ConvGen loads them with
                      NetworkSerialization.Load and bench_torch.py with load_state_dict
  <name>.onnx         the same module exported for ONNX Runtime (opset 17, input "input", output "output", dynamic batch)
Existing pairs are kept unless --force. Needs Debian's python3-torch and python3-onnx. The files are generated, not
committed (bench/models/ is git-ignored; LeNet-5 alone is 5 MB).
"""

import argparse
import os
import sys

import bench_models


def main():
    parser = argparse.ArgumentParser(description="Export the benchmark networks as safetensors + ONNX.")
    parser.add_argument("--out", default=bench_models.MODELS_DIR, help="output folder (default bench/models)")
    parser.add_argument("--force", action="store_true", help="rewrite files that already exist")
    args = parser.parse_args()

    import onnx
    import torch
    import torch.nn as nn

    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    for name, (description, shape) in bench_models.NETWORKS.items():
        weights = os.path.join(args.out, name + ".safetensors")
        model_path = os.path.join(args.out, name + ".onnx")
        if not args.force and os.path.exists(weights) and os.path.exists(model_path):
            print(f"{name}: kept {weights} and {model_path}", file=sys.stderr)
            continue
        torch.manual_seed(0)
        module = bench_models.build(nn, name).eval()
        bench_models.write_safetensors(weights, {k: v.detach().numpy() for k, v in module.state_dict().items()})
        example = torch.zeros((1,) + shape)
        temporary = model_path + ".tmp"
        torch.onnx.export(module, example, temporary, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=17)
        onnx.checker.check_model(onnx.load(temporary))
        os.replace(temporary, model_path)
        print(f"{name} ({description}): wrote {weights} and {model_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
