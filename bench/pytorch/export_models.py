#!/usr/bin/env python3
"""Writes the side-by-side benchmark's networks with one set of weights, for every side to load:

    /usr/bin/python3 bench/pytorch/export_models.py [--force] [--out bench/models]

For each network of bench_models.NETWORKS it writes
  <name>.safetensors  the weights (PyTorch's default init, seed 0) under ConvGen's names; ConvGen loads them with
                      NetworkSerialization.Load and bench_torch.py with load_state_dict(strict=True)
  <name>.onnx         the same module in eval mode exported for ONNX Runtime (opset 17, input "input", output "output",
                      dynamic batch)
  <name>.pt           the same module in eval mode traced to TorchScript (torch.jit.trace on a batch of 1; the traced
                      graphs reshape from the input's size, so any batch runs), which the TorchSharp side loads with
                      torch.jit.load: TorchSharp has no torchvision of its own to rebuild ResNet-18 and GoogLeNet from
  <name>.frozen.pt    that traced module frozen (torch.jit.freeze: weights inlined as constants, BatchNorm folded into
                      the convolutions), TorchSharp's second inference variant; TorchSharp cannot freeze a module itself
The torchvision networks (ResNet-18, GoogLeNet) have BatchNorm layers, which at inference use their running statistics:
left at their initial values (mean 0, variance 1, scale 1, shift 0) BatchNorm would be nearly the identity and a side that
mishandled it could still pass the correctness check. So before export each BatchNorm gets a random scale in [0.5, 1.5)
and shift in [-0.25, 0.25), and its running mean and variance become the exact statistics of two training-mode forward
passes over random batches (uniform in [0, 1), like the harness's input), which keeps activations at a sane scale through
the whole network.
Existing pairs are kept unless --force. Needs Debian's python3-torch and python3-onnx, and python3-torchvision for
ResNet-18 and GoogLeNet (skipped without it). The files are generated, not committed (bench/models/ is git-ignored;
ResNet-18 alone is 47 MB).
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
        script_path = os.path.join(args.out, name + ".pt")
        if not args.force and os.path.exists(weights) and os.path.exists(model_path):
            if not os.path.exists(script_path) or not os.path.exists(frozen(script_path)):
                module, _ = bench_models.load(torch, nn, name, args.out)
                write_script(torch, module.eval(), shape, script_path)
                print(f"{name}: wrote {script_path} from {weights}", file=sys.stderr)
            print(f"{name}: kept {weights} and {model_path}", file=sys.stderr)
            continue
        torch.manual_seed(0)
        try:
            module = bench_models.build(nn, name)
        except ImportError as e:
            print(f"{name}: skipped ({e}; apt-get install python3-torchvision)", file=sys.stderr)
            continue
        if name in bench_models.TORCHVISION:
            calibrate_batch_norm(torch, nn, module, shape)
        module.eval()
        bench_models.write_safetensors(weights, {k: v.detach().numpy() for k, v in module.state_dict().items()})
        example = torch.zeros((1,) + shape)
        temporary = model_path + ".tmp"
        torch.onnx.export(module, example, temporary, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=17)
        onnx.checker.check_model(onnx.load(temporary))
        os.replace(temporary, model_path)
        write_script(torch, module, shape, script_path)
        print(f"{name} ({description}): wrote {weights}, {model_path} and {script_path}", file=sys.stderr)
    return 0


def write_script(torch, module, shape, path):
    """The eval-mode module traced to TorchScript on a batch of one, and that module frozen, each written through a
    temporary file."""
    with torch.no_grad():
        traced = torch.jit.trace(module, torch.zeros((1,) + shape))
    for script, target in ((traced, path), (torch.jit.freeze(traced), frozen(path))):
        temporary = target + ".tmp"
        script.save(temporary)
        os.replace(temporary, target)


def frozen(script_path):
    """<name>.frozen.pt beside <name>.pt."""
    return script_path[:-len(".pt")] + ".frozen.pt"


def calibrate_batch_norm(torch, nn, module, shape):
    """Random BatchNorm scales and shifts, then running statistics averaged exactly over two random batches (see above)."""
    norms = [m for m in module.modules() if isinstance(m, nn.BatchNorm2d)]
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for norm in norms:
            norm.weight.copy_(0.5 + torch.rand(norm.weight.shape, generator=generator))
            norm.bias.copy_(0.5 * torch.rand(norm.bias.shape, generator=generator) - 0.25)
            norm.reset_running_stats()
            norm.momentum = None  # cumulative average: after k batches the running statistics are their exact mean
        module.train()
        for _ in range(2):
            module(torch.rand((4,) + shape, generator=generator))
    for norm in norms:
        norm.momentum = 0.1


if __name__ == "__main__":
    sys.exit(main())
