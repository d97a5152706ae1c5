#!/usr/bin/env python3
"""Generate the golden files for graph networks: torchvision's ResNet-18 and GoogLeNet, a DenseNet block built from
torchvision's DenseNet modules, and a hand-written DAG.

    /usr/bin/python3 tests/golden/make_graph_golden.py           # writes tests/golden/graph_*.safetensors and the C# declarations
    /usr/bin/python3 tests/golden/make_graph_golden.py --check   # regenerates in memory, compares with the files on disk

The C# declaration of each network is rendered from the PyTorch module tree (layer names = torchvision's module paths, so
parameter names = torchvision's state_dict keys) and written to tests/ConvGen.Tests/Networks/<ClassName>.cs.

Weights are not stored: every parameter and BatchNorm statistic is defined by a formula of its name (see
`generated_tensor`) that the C# test evaluates identically. Gradients of large tensors are stored as a deterministic
sample of entries plus float64 summary statistics; see tests/golden/README.md.
"""

import argparse
import json
import math
import os
import sys
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.densenet import _DenseBlock, _DenseLayer, _Transition
from torchvision.models.googlenet import BasicConv2d, Inception
from torchvision.models.resnet import BasicBlock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_golden as mg  # noqa: E402  (the safetensors writer/reader, the hash and the tolerance rule)

HERE = os.path.dirname(os.path.abspath(__file__))
NETWORKS_DIR = os.path.join(HERE, "..", "ConvGen.Tests", "Networks")

SAMPLE_ABOVE = 4096   # gradient tensors with more elements are stored as a sample plus statistics
SAMPLE_COUNT = 2048


# --------------------------------------------------------------------------------------------
# Weights as a function of the tensor's name
# --------------------------------------------------------------------------------------------

def fnv1a32(text):
    """32-bit FNV-1a of the UTF-8 bytes."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def generated_tensor(name, shape, shapes):
    """The initial value of the state_dict entry `name`, from u = hash_uniform_ints(n, fnv1a32(name)) / 2^23 in [-1, 1).

    Every formula is evaluated in float64 and rounded once to float32, so C# reproduces it bit for bit:
      conv / linear weight (rank >= 2)        u / sqrt(fan_in), fan_in = product of shape[1:]
      conv / linear bias (its .weight rank >= 2)  u / sqrt(fan_in of that weight)
      BatchNorm weight, running_var (rank 1)  1 + u / 4
      BatchNorm bias, running_mean            u / 4
    """
    count = int(np.prod(shape))
    u = mg.hash_uniform_ints(count, fnv1a32(name)).astype(np.float64) / 2.0 ** 23
    stem, _, kind = name.rpartition(".")
    sibling = shapes.get(stem + ".weight", ())
    if kind == "weight" and len(shape) >= 2:
        value = u / math.sqrt(int(np.prod(shape[1:])))
    elif kind == "bias" and len(sibling) >= 2:
        value = u / math.sqrt(int(np.prod(sibling[1:])))
    elif kind in ("weight", "running_var"):
        value = 1 + u / 4
    elif kind in ("bias", "running_mean"):
        value = u / 4
    else:
        raise ValueError(f"no weight formula for {name}")
    return value.astype(np.float32).reshape(shape)


def load_generated_weights(net):
    """Sets every parameter and BatchNorm statistic from `generated_tensor`; returns {name: shape}."""
    state = {n: t for n, t in net.state_dict().items() if not n.endswith("num_batches_tracked")}
    shapes = {n: tuple(t.shape) for n, t in state.items()}
    with torch.no_grad():
        for n, t in state.items():
            t.copy_(torch.from_numpy(generated_tensor(n, shapes[n], shapes)))
    return shapes


# --------------------------------------------------------------------------------------------
# C# declarations rendered from the module tree
# --------------------------------------------------------------------------------------------

def _square(value, what):
    if isinstance(value, tuple):
        assert len(set(value)) == 1, f"{what}: only square {value} is rendered"
        return value[0]
    return value


class Declaration:
    """Attribute lines with indentation showing the branch structure, and comments naming torchvision's blocks."""

    def __init__(self):
        self.lines = []
        self.depth = 0

    def add(self, text):
        self.lines.append("    " * self.depth + text)

    def comment(self, text):
        self.add("// " + text)

    def branch(self, opens_group):
        """[Branch]: the first of a group opens it at the current depth; later ones sit beside it."""
        self._mark_identity()
        if not opens_group:
            self.depth -= 1
        self.add("[Branch]")
        self.depth += 1

    def merge(self, text):
        """[Add] or [Concat] closing the innermost group, at the depth its [Branch] lines have."""
        self._mark_identity()
        self.depth -= 1
        self.add(text)

    def _mark_identity(self):
        """A [Branch] directly followed by another [Branch] or the merge has no layers: the identity."""
        if self.lines and self.lines[-1].strip() == "[Branch]":
            self.lines[-1] += " // identity"

    def text(self, class_name, input_shape):
        body = "\n".join(self.lines)
        return "[Input({}, {}, {})]\n{}\npublic partial class {} {{ }}".format(*input_shape, body, class_name)


def render(module, name, out):
    """Appends the ConvGen attributes for `module` (full module path `name`) to `out`."""
    if isinstance(module, nn.Conv2d):
        args = [str(module.out_channels), str(_square(module.kernel_size, name))]
        stride, padding = _square(module.stride, name), _square(module.padding, name)
        assert module.groups == 1 and _square(module.dilation, name) == 1 and module.padding_mode == "zeros", name
        if stride != 1:
            args.append(f"Stride = {stride}")
        if padding != 0:
            args.append(f"Padding = {padding}")
        if module.bias is None:
            args.append("Bias = false")
        out.add(f"[Conv2D({', '.join(args)}, Name = \"{name}\")]")
    elif isinstance(module, nn.BatchNorm2d):
        assert module.momentum == 0.1 and module.affine and module.track_running_stats, name
        eps = "" if module.eps == 1e-5 else f"Epsilon = {module.eps!r}f, "
        out.add(f"[BatchNorm2D({eps}Name = \"{name}\")]")
    elif isinstance(module, nn.ReLU):
        out.add("[ReLU]")
    elif isinstance(module, (nn.MaxPool2d, nn.AvgPool2d)):
        size = _square(module.kernel_size, name)
        args = [str(size)]
        stride, padding = _square(module.stride, name), _square(module.padding, name)
        if stride != size:
            args.append(f"Stride = {stride}")
        if padding != 0:
            args.append(f"Padding = {padding}")
        if module.ceil_mode:
            args.append("CeilMode = true")
        if isinstance(module, nn.AvgPool2d):
            assert module.count_include_pad or padding == 0, name
        kind = "MaxPool2D" if isinstance(module, nn.MaxPool2d) else "AvgPool2D"
        out.add(f"[{kind}({', '.join(args)}, Name = \"{name}\")]")
    elif isinstance(module, BasicConv2d):
        # conv (no bias) -> bn (eps 0.001) -> F.relu in forward
        render(module.conv, f"{name}.conv", out)
        render(module.bn, f"{name}.bn", out)
        out.add("[ReLU]")
    elif isinstance(module, BasicBlock):
        out.comment(f"{name}: BasicBlock" + (", projection shortcut" if module.downsample is not None else ""))
        out.branch(opens_group=True)
        for child in ("conv1", "bn1", "relu", "conv2", "bn2"):
            render(getattr(module, child), f"{name}.{child}", out)
        out.branch(opens_group=False)
        if module.downsample is not None:
            render(module.downsample, f"{name}.downsample", out)
        out.merge(f"[Add(Activation = Activation.ReLU, Name = \"{name}.add\")]")
    elif isinstance(module, Inception):
        out.comment(f"{name}: Inception")
        for child in ("branch1", "branch2", "branch3", "branch4"):
            out.branch(opens_group=child == "branch1")
            render(getattr(module, child), f"{name}.{child}", out)
        out.merge(f"[Concat(Name = \"{name}.concat\")]")
    elif isinstance(module, _DenseLayer):
        # x = concat(x, conv2(relu2(norm2(conv1(relu1(norm1(x)))))))
        assert module.drop_rate == 0, name
        out.comment(f"{name}: dense layer, its input and its new features concatenated")
        out.branch(opens_group=True)
        out.branch(opens_group=False)
        for child in ("norm1", "relu1", "conv1", "norm2", "relu2", "conv2"):
            render(getattr(module, child), f"{name}.{child}", out)
        out.merge(f"[Concat(Name = \"{name}.concat\")]")
    elif isinstance(module, (nn.Sequential, _DenseBlock, _Transition)):
        for child, sub in module.named_children():
            render(sub, f"{name}.{child}", out)
    elif isinstance(module, nn.AdaptiveAvgPool2d):
        assert _square(module.output_size, name) == 1, name
        out.add("[GlobalAvgPool2D]")
        out.add("[Flatten]")
    elif isinstance(module, nn.Linear):
        out.add(f"[Dense({module.out_features}, Name = \"{name}\")]")
    else:
        raise TypeError(f"{name}: no ConvGen rendering for {type(module).__name__}")


# --------------------------------------------------------------------------------------------
# The networks
# --------------------------------------------------------------------------------------------

def make_resnet18():
    net = torchvision.models.resnet18(num_classes=10)
    out = Declaration()
    for child in ("conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"):
        render(getattr(net, child), child, out)
    return net, out


def make_googlenet():
    net = torchvision.models.googlenet(num_classes=10, aux_logits=False, init_weights=False, transform_input=False)
    # Dropout(0.2) before fc draws a random mask that C# cannot reproduce; the C# declaration leaves it out.
    net.dropout = nn.Identity()
    out = Declaration()
    for child in ("conv1", "maxpool1", "conv2", "conv3", "maxpool2", "inception3a", "inception3b", "maxpool3",
                  "inception4a", "inception4b", "inception4c", "inception4d", "inception4e", "maxpool4",
                  "inception5a", "inception5b", "avgpool", "fc"):
        render(getattr(net, child), child, out)
    return net, out


class DenseNetBlock(nn.Module):
    """A small DenseNet, laid out as torchvision's DenseNet: stem, one dense block (3 layers), a transition, norm5."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ("conv0", nn.Conv2d(3, 16, 3, padding=1, bias=False)),
            ("norm0", nn.BatchNorm2d(16)),
            ("relu0", nn.ReLU()),
            ("denseblock1", _DenseBlock(num_layers=3, num_input_features=16, bn_size=2, growth_rate=8,
                                                 drop_rate=0)),
            ("transition1", _Transition(num_input_features=40, num_output_features=20)),
            ("norm5", nn.BatchNorm2d(20)),
            ("relu5", nn.ReLU()),
        ]))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(20, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.pool(self.features(x)), 1))


def make_densenet_block():
    net = DenseNetBlock()
    out = Declaration()
    render(net.features, "features", out)
    render(net.pool, "pool", out)
    render(net.classifier, "classifier", out)
    return net, out


class HandDag(nn.Module):
    """`stem` has three readers (a, b, sum), `a` two, the network input two; a channel concat and a feature concat."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 6, 3, padding=1)
        self.a = nn.Conv2d(6, 6, 3, padding=1)
        self.b = nn.Conv2d(6, 6, 1)
        self.down = nn.Conv2d(6, 4, 3, stride=2, padding=1, bias=False)  # a bias before BatchNorm gets no gradient
        self.skip = nn.Conv2d(3, 2, 1, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(12)
        self.fc1 = nn.Linear(12, 6)
        self.fc2 = nn.Linear(18, 5)

    def forward(self, x):
        stem = F.relu(self.stem(x))
        a = self.a(stem)
        b = self.b(stem)
        total = F.relu(a + b + stem)
        down = self.down(total)
        pool = F.max_pool2d(a, 2)
        skip = self.skip(x)
        cat = F.relu(self.bn(torch.cat([down, pool, skip], 1)))
        flat = torch.flatten(F.adaptive_avg_pool2d(cat, 1), 1)
        fc1 = torch.tanh(self.fc1(flat))
        return self.fc2(torch.cat([flat, fc1], 1))


HAND_DAG_LINES = """\
[Conv2D(6, 3, Padding = 1, Activation = Activation.ReLU, Name = "stem")]
[Conv2D(6, 3, Padding = 1, Name = "a")]
[Conv2D(6, 1, From = "stem", Name = "b")]
[Add("a", "b", "stem", Activation = Activation.ReLU, Name = "sum")]
[Conv2D(4, 3, Stride = 2, Padding = 1, Bias = false, Name = "down")]
[MaxPool2D(2, From = "a", Name = "pool")]
[Conv2D(2, 1, Stride = 2, Bias = false, From = "input", Name = "skip")]
[Concat("down", "pool", "skip", Name = "cat")]
[BatchNorm2D(Name = "bn")]
[ReLU]
[GlobalAvgPool2D]
[Flatten(Name = "flat")]
[Dense(6, Activation = Activation.Tanh, Name = "fc1")]
[Concat("flat", "fc1", Name = "features")]
[Dense(5, Name = "fc2")]"""


def make_hand_dag():
    out = Declaration()
    out.lines = HAND_DAG_LINES.split("\n")
    return HandDag(), out


NETWORKS = [
    dict(name="graph_resnet18", class_name="GoldenResNet18", make=make_resnet18, input_shape=(3, 64, 64), batch=2,
         seed=2001, description="torchvision.models.resnet18(num_classes=10): BasicBlocks with identity and "
                                "projection shortcuts ([Branch] groups merged by Add with ReLU)"),
    dict(name="graph_googlenet", class_name="GoldenGoogLeNet", make=make_googlenet, input_shape=(3, 64, 64), batch=2,
         seed=2024, description="torchvision.models.googlenet(num_classes=10, aux_logits=False, init_weights=False, "
                                "transform_input=False) with its Dropout(0.2) replaced by Identity: Inception modules "
                                "(four-branch Concat), BatchNorm eps 0.001, ceil-mode max pooling"),
    dict(name="graph_densenet_block", class_name="GoldenDenseNetBlock", make=make_densenet_block,
         input_shape=(3, 16, 16), batch=4, seed=2003,
         description="torchvision's _DenseBlock (3 layers, growth 8, bn_size 2) and _Transition between a "
                     "conv stem and norm5: identity-plus-features Concat groups, nested by repetition"),
    dict(name="graph_hand_dag", class_name="GoldenHandDag", make=make_hand_dag, input_shape=(3, 10, 10), batch=3,
         seed=2004, description="From edges, explicit Add of three values with ReLU, explicit channel Concat and "
                                "feature Concat; 'stem' has three readers, 'a', 'flat' and the input two"),
]


# --------------------------------------------------------------------------------------------
# Golden generation
# --------------------------------------------------------------------------------------------

def sample_indices(count):
    """SAMPLE_COUNT indices spread over [0, count): floor((2k + 1) * count / (2 * SAMPLE_COUNT))."""
    k = np.arange(SAMPLE_COUNT, dtype=np.int64)
    return ((2 * k + 1) * count) // (2 * SAMPLE_COUNT)


def statistics(values):
    """float64 [max |g|, sum g, sum |g|, sum g^2] of the float32 values (exactly rounded sums)."""
    g = values.astype(np.float64).ravel()
    return np.array([np.max(np.abs(g)), math.fsum(g), math.fsum(np.abs(g)), math.fsum(g * g)], dtype=np.float64)


def run(net, x, labels):
    """Eval output (initial statistics), then one training forward/backward, in the net's precision.

    Returns float64 arrays of full size; the net's state is restored after.
    """
    initial = {n: t.clone() for n, t in net.state_dict().items()}
    net.eval()
    with torch.no_grad():
        eval_out = net(x)
    net.load_state_dict(initial)
    net.train()
    xi = x.clone().requires_grad_(True)
    net.zero_grad(set_to_none=True)
    out = net(xi)
    loss = F.cross_entropy(out, labels)
    loss.backward()
    def array(t):
        return t.detach().numpy().astype(np.float64)

    tensors = {"output": array(out), "loss": array(loss).reshape(1), "eval.output": array(eval_out),
               "grad.input": array(xi.grad)}
    for n, p in net.named_parameters():
        tensors[f"grad.{n}"] = array(p.grad)
    for n, v in net.state_dict().items():
        if "running" in n:
            tensors[f"after.{n}"] = array(v)
    net.load_state_dict(initial)
    return tensors


def make_network(name, class_name, make, input_shape, batch, seed, description):
    net, declaration = make()
    shapes = load_generated_weights(net)
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, *input_shape, generator=gen)
    with torch.no_grad():
        net.eval()
        classes = net(x[:1]).shape[1]
    labels = torch.randint(0, classes, (batch,), generator=gen)

    # The stored values come from a float64 run on the same float32 input and weights (the exact answer, rounded
    # once); PyTorch's own float32 run says how well float32 can do on each tensor (see README: tolerance).
    single = run(net, x, labels)
    exact = run(net.double(), x.double(), labels)
    net.float()
    float32_error = {}
    for key, value in exact.items():
        scale = float(np.max(np.abs(value)))
        if scale < mg.NEAR_ZERO:
            raise AssertionError(f"{name}: {key} is mathematically zero; change the network so every tensor is not")
        float32_error[key] = float(np.max(np.abs(single[key].astype(np.float64) - value))) / scale

    tensors = {"input": mg.np32(x), "labels": labels.numpy().astype(np.int64)}
    sampled = []
    for key, value in exact.items():
        if value.size > SAMPLE_ABOVE:
            sampled.append(key)
            tensors[key + ".sample"] = np.ascontiguousarray(value.ravel()[sample_indices(value.size)], dtype=np.float32)
            tensors[key + ".stats"] = statistics(value)
        else:
            tensors[key] = value.astype(np.float32)
    parameters = [n for n, _ in net.named_parameters()]
    metadata = {
        "declaration": declaration.text(class_name, input_shape),
        "class_name": class_name,
        "description": description,
        "batch": str(batch),
        "seed": str(seed),
        "loss_kind": "logits",
        "loss": "CrossEntropyLoss (mean) with output as logits",
        "mode": "output/loss/grad.*/after.* from one training-mode forward/backward (BatchNorm batch statistics); "
                "eval.output from an eval-mode forward with the initial running statistics; all computed in float64 "
                "from the float32 input and weights",
        "parameters": json.dumps({n: list(shapes[n]) for n in parameters}),
        "buffers": json.dumps({n: list(s) for n, s in shapes.items() if n not in parameters}),
        "weights": "not stored: every parameter and buffer is generated_tensor(name, shape) of make_graph_golden.py",
        "weight_sums": json.dumps({n: math.fsum(generated_tensor(n, s, shapes).astype(np.float64).ravel())
                                   for n, s in shapes.items()}),
        "sampled": json.dumps(sampled),
        "float32_error": json.dumps({k: float(f"{e:.3g}") for k, e in float32_error.items()}),
        "generator": f"tests/golden/make_graph_golden.py (torch {torch.__version__}, torchvision "
                     f"{torchvision.__version__}, numpy {np.__version__})",
    }
    return tensors, metadata


def csharp_file(metadata):
    lines = ["// Generated by tests/golden/make_graph_golden.py from the PyTorch module; regenerate rather than edit.",
             f"// {metadata['description']}",
             "namespace ConvGen.Tests.Networks",
             "{"]
    lines += [("    " + line).rstrip() for line in metadata["declaration"].split("\n")]
    lines.append("}")
    return "\n".join(lines) + "\n"


def compare(name, path, tensors, metadata):
    """--check: the file on disk holds the same tensor names and metadata and values within tolerance."""
    on_disk, meta = mg.read_safetensors(path)
    ok = list(on_disk) == list(tensors)
    for key in ("declaration", "parameters", "buffers", "sampled", "weight_sums", "float32_error"):
        ok &= meta.get(key) == metadata[key]
    worst = 0.0
    for key, fresh in tensors.items():
        if key in on_disk and not key.endswith(".stats"):
            good, err = mg.within_tolerance(key, on_disk[key], fresh)
            ok &= good
            worst = max(worst, err)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: worst relative difference {worst:.2e}")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="do not write; regenerate and compare with the files")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    assert fnv1a32("") == 0x811C9DC5 and fnv1a32("a") == 0xE40C292C  # published FNV-1a test vectors

    failures = 0
    total = 0
    for cfg in NETWORKS:
        cfg = dict(cfg)
        name = cfg.pop("name")
        tensors, metadata = make_network(name, **cfg)
        path = os.path.join(HERE, f"{name}.safetensors")
        source = os.path.join(NETWORKS_DIR, f"{metadata['class_name']}.cs")
        if args.check:
            ok = compare(name, path, tensors, metadata)
            with open(source, encoding="utf-8") as f:
                ok &= f.read() == csharp_file(metadata)
            failures += not ok
            continue
        size = mg.write_checked(path, tensors, metadata)
        with open(source, "w", encoding="utf-8", newline="\n") as f:
            f.write(csharp_file(metadata))
        total += size
        worst = max(json.loads(metadata["float32_error"]).items(), key=lambda item: item[1])
        print(f"{name}.safetensors {size / 1024:8.1f} KiB  {len(tensors)} tensors; PyTorch float32's largest "
              f"relative error {worst[1]:.2e} ({worst[0]})")
    if not args.check:
        print(f"total {total / 1024:.1f} KiB")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
