#!/usr/bin/env python3
"""Generate the PyTorch golden files that the ConvGen C# tests compare against.

Run with Debian's interpreter (it has python3-torch and python3-numpy):

    /usr/bin/python3 tests/golden/make_golden.py            # writes tests/golden/*.safetensors
    /usr/bin/python3 tests/golden/make_golden.py --check    # regenerate in memory, compare with files on disk

Every network is described once, as a list of layer specs. The same specs produce
  * the exact C# attribute declaration (stored in each file's metadata as `declaration`), and
  * a PyTorch module whose parameter names follow ConvGen's naming (kind + ordinal per kind:
    conv1, maxpool1, dense1, bn1, ...).

The safetensors format is written and read here with numpy only (no `safetensors` package):
8-byte little-endian header length, a JSON header padded with spaces to a multiple of 8, then the
tensors' little-endian bytes back to back in header order.
"""

import argparse
import copy
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------------------------
# safetensors writer / reader
# --------------------------------------------------------------------------------------------

_DTYPES = {np.dtype(np.float32): ("F32", "<f4"), np.dtype(np.float64): ("F64", "<f8"), np.dtype(np.int64): ("I64", "<i8")}
_NP_OF = {"F32": "<f4", "F64": "<f8", "I64": "<i8"}


def encode_safetensors(tensors, metadata):
    """tensors: ordered dict name -> numpy array (float32, float64 or int64); metadata: dict str -> str."""
    header = {}
    blobs = []
    offset = 0
    for name, array in tensors.items():
        array = np.asarray(array)
        if array.dtype not in _DTYPES:
            raise TypeError(f"{name}: unsupported dtype {array.dtype}")
        tag, little = _DTYPES[array.dtype]
        data = np.ascontiguousarray(array, dtype=little).tobytes()
        header[name] = {"dtype": tag, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def decode_safetensors(blob):
    """Returns (tensors, metadata). Checks that the data regions are contiguous and in header order."""
    (length,) = struct.unpack_from("<Q", blob, 0)
    header = json.loads(blob[8:8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = memoryview(blob)[8 + length:]
    tensors = {}
    expected = 0
    for name, info in header.items():
        begin, end = info["data_offsets"]
        if begin != expected:
            raise ValueError(f"{name}: data starts at {begin}, expected {expected}")
        expected = end
        array = np.frombuffer(data[begin:end], dtype=_NP_OF[info["dtype"]]).reshape(info["shape"])
        tensors[name] = array
    if expected != len(data):
        raise ValueError(f"{len(data) - expected} trailing bytes after the last tensor")
    return tensors, metadata


def read_safetensors(path):
    with open(path, "rb") as f:
        return decode_safetensors(f.read())


def write_checked(path, tensors, metadata):
    """Writes the file, reads it back and checks every tensor round-trips bit for bit."""
    blob = encode_safetensors(tensors, metadata)
    with open(path, "wb") as f:
        f.write(blob)
    back, meta = read_safetensors(path)
    assert list(back) == list(tensors), "tensor order changed"
    for name, array in tensors.items():
        a = np.asarray(array)
        b = back[name]
        assert a.shape == b.shape and a.dtype == b.dtype, name
        assert a.tobytes() == b.tobytes(), f"{name} did not round-trip"
    assert meta == {k: str(v) for k, v in metadata.items()}
    return len(blob)


# --------------------------------------------------------------------------------------------
# Deterministic weights that C# can regenerate exactly (used for LeNet-5's 2450x500 dense1.weight,
# which is too large to store several times).
# --------------------------------------------------------------------------------------------

def hash_uniform_ints(count, seed):
    """k[i] = (lowbias32(i + seed*0x9E3779B9) >> 8) - 2^23, an integer in [-2^23, 2^23).

    lowbias32(x): x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16 (uint32 wrap-around).
    """
    x = (np.arange(count, dtype=np.uint64) + np.uint64((seed * 0x9E3779B9) & 0xFFFFFFFF)) & np.uint64(0xFFFFFFFF)
    mask = np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x7FEB352D)) & mask
    x ^= x >> np.uint64(15)
    x = (x * np.uint64(0x846CA68B)) & mask
    x ^= x >> np.uint64(16)
    return (x >> np.uint64(8)).astype(np.int64) - (1 << 23)


def hash_uniform_weights(count, seed):
    """w[i] = hash_uniform_ints(count, seed)[i] * 2^-28, exactly representable in float32.

    Values are uniform on [-1/32, 1/32) in steps of 2^-28.
    """
    return (hash_uniform_ints(count, seed).astype(np.float64) * 2.0 ** -28).astype(np.float32)


# --------------------------------------------------------------------------------------------
# Layer specs: C# declaration + PyTorch module
# --------------------------------------------------------------------------------------------

def _cs_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v) + "f"
    return str(v)


class Spec:
    """One layer attribute: C# name, constructor arguments, named properties (in the order written)."""

    prefix = None

    def __init__(self, attr, args=(), props=()):
        self.attr = attr
        self.args = list(args)
        self.props = list(props)

    def declaration(self):
        parts = [_cs_value(a) for a in self.args] + [f"{k} = {_cs_value(v)}" for k, v in self.props]
        return f"[{self.attr}({', '.join(parts)})]" if parts else f"[{self.attr}]"

    @property
    def final_softmax(self):
        return False


class Enum(str):
    """Rendered verbatim in C# (Activation.ReLU, PaddingMode.Same)."""


def _act_fn(name):
    return {
        None: lambda x: x,
        "ReLU": F.relu,
        "Tanh": torch.tanh,
        "Sigmoid": torch.sigmoid,
        "Softmax": lambda x: torch.softmax(x, dim=1),
        "ReLU6": F.relu6,
    }[name]


def same_padding(size, extent, stride):
    """TensorFlow 'same': output = ceil(size/stride); odd extra pixel goes after (bottom/right)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + extent - size, 0)
    return total // 2, total - total // 2


class ConvModule(nn.Conv2d):
    """nn.Conv2d (padding 0) preceded by an explicit, possibly asymmetric F.pad, followed by a fused activation."""

    def __init__(self, cin, cout, kh, kw, sh, sw, pad, dilation, groups, bias, act):
        super().__init__(cin, cout, (kh, kw), stride=(sh, sw), padding=0, dilation=dilation, groups=groups, bias=bias)
        self.pad4 = pad  # (left, right, top, bottom) for F.pad
        self.act = act

    def forward(self, x):
        if any(self.pad4):
            x = F.pad(x, self.pad4)
        return _act_fn(self.act)(self._conv_forward(x, self.weight, self.bias))


class DenseModule(nn.Linear):
    def __init__(self, fin, fout, bias, act):
        super().__init__(fin, fout, bias=bias)
        self.act = act

    def forward(self, x):
        return _act_fn(self.act)(super().forward(x))


class Conv2D(Spec):
    prefix = "conv"

    def __init__(self, filters, kernel, *, KernelHeight=None, KernelWidth=None, Stride=None, StrideHeight=None,
                 StrideWidth=None, Padding=None, PaddingMode=None, Dilation=None, Groups=None, Bias=None,
                 Activation=None):
        props = [(k, v) for k, v in [
            ("KernelHeight", KernelHeight), ("KernelWidth", KernelWidth), ("Stride", Stride),
            ("StrideHeight", StrideHeight), ("StrideWidth", StrideWidth), ("Padding", Padding),
            ("PaddingMode", None if PaddingMode is None else Enum("PaddingMode." + PaddingMode)),
            ("Dilation", Dilation), ("Groups", Groups), ("Bias", Bias),
            ("Activation", None if Activation is None else Enum("Activation." + Activation))] if v is not None]
        super().__init__("Conv2D", [filters, kernel], props)
        self.filters = filters
        self.kh = KernelHeight or kernel
        self.kw = KernelWidth or kernel
        self.sh = StrideHeight or Stride or 1
        self.sw = StrideWidth or Stride or 1
        self.padding = Padding or 0
        self.mode = PaddingMode
        self.dilation = Dilation or 1
        self.groups = Groups or 1
        self.bias = True if Bias is None else Bias
        self.act = Activation

    @property
    def final_softmax(self):
        return self.act == "Softmax"

    def build(self, shape):
        c, h, w = shape[1:]
        d = self.dilation
        if self.mode == "Same":
            t, b = same_padding(h, d * (self.kh - 1) + 1, self.sh)
            l, r = same_padding(w, d * (self.kw - 1) + 1, self.sw)
        elif self.mode == "Valid":
            t = b = l = r = 0
        else:
            t = b = l = r = self.padding
        return ConvModule(c, self.filters, self.kh, self.kw, self.sh, self.sw, (l, r, t, b), d, self.groups,
                          self.bias, self.act)


class Dense(Spec):
    prefix = "dense"

    def __init__(self, units, *, Bias=None, Activation=None):
        props = [(k, v) for k, v in [("Bias", Bias), ("Activation", None if Activation is None else
                                                      Enum("Activation." + Activation))] if v is not None]
        super().__init__("Dense", [units], props)
        self.units = units
        self.bias = True if Bias is None else Bias
        self.act = Activation

    @property
    def final_softmax(self):
        return self.act == "Softmax"

    def build(self, shape):
        assert len(shape) == 2, "Dense needs a flat input (add Flatten)"
        return DenseModule(shape[1], self.units, self.bias, self.act)


class _Pool(Spec):
    def __init__(self, attr, size, Stride=None, Padding=None, CeilMode=None):
        props = [(k, v) for k, v in [("Stride", Stride), ("Padding", Padding), ("CeilMode", CeilMode)] if v is not None]
        super().__init__(attr, [size], props)
        self.size = size
        self.stride = Stride or size
        self.padding = Padding or 0
        self.ceil = bool(CeilMode)


class MaxPool2D(_Pool):
    prefix = "maxpool"

    def __init__(self, size, **kw):
        super().__init__("MaxPool2D", size, **kw)

    def build(self, shape):
        return nn.MaxPool2d(self.size, self.stride, self.padding, ceil_mode=self.ceil)


class AvgPool2D(_Pool):
    prefix = "avgpool"

    def __init__(self, size, **kw):
        super().__init__("AvgPool2D", size, **kw)

    def build(self, shape):
        return nn.AvgPool2d(self.size, self.stride, self.padding, ceil_mode=self.ceil, count_include_pad=True)


class GlobalAvgPool2D(Spec):
    prefix = "gap"

    def __init__(self):
        super().__init__("GlobalAvgPool2D")

    def build(self, shape):
        return nn.AdaptiveAvgPool2d(1)


class Flatten(Spec):
    prefix = "flatten"

    def __init__(self):
        super().__init__("Flatten")

    def build(self, shape):
        return nn.Flatten()


class ReLU(Spec):
    prefix = "relu"

    def __init__(self):
        super().__init__("ReLU")

    def build(self, shape):
        return nn.ReLU()


class LeakyReLU(Spec):
    prefix = "leakyrelu"

    def __init__(self, slope):
        super().__init__("LeakyReLU", [float(slope)])
        self.slope = slope

    def build(self, shape):
        return nn.LeakyReLU(self.slope)


class Tanh(Spec):
    prefix = "tanh"

    def __init__(self):
        super().__init__("Tanh")

    def build(self, shape):
        return nn.Tanh()


class Sigmoid(Spec):
    prefix = "sigmoid"

    def __init__(self):
        super().__init__("Sigmoid")

    def build(self, shape):
        return nn.Sigmoid()


class ReLU6(Spec):
    prefix = "relu6_"

    def __init__(self):
        super().__init__("ReLU6")

    def build(self, shape):
        return nn.ReLU6()


class Swish(Spec):
    """x * sigmoid(x): PyTorch's SiLU."""
    prefix = "swish"

    def __init__(self):
        super().__init__("Swish")

    def build(self, shape):
        return nn.SiLU()


class Softmax(Spec):
    """Over the features of a flat input, or over channels at each pixel of a spatial one: dim=1 either way."""
    prefix = "softmax"

    def __init__(self):
        super().__init__("Softmax")

    @property
    def final_softmax(self):
        return True

    def build(self, shape):
        return nn.Softmax(dim=1)


class BatchNorm2D(Spec):
    prefix = "bn"

    def __init__(self, Epsilon=None, Momentum=None):
        props = [(k, float(v)) for k, v in [("Epsilon", Epsilon), ("Momentum", Momentum)] if v is not None]
        super().__init__("BatchNorm2D", [], props)
        self.eps = 1e-5 if Epsilon is None else Epsilon
        self.momentum = 0.1 if Momentum is None else Momentum

    def build(self, shape):
        return nn.BatchNorm2d(shape[1], eps=self.eps, momentum=self.momentum)


def declaration(input_shape, specs, class_name):
    lines = ["[Input({}, {}, {})]".format(*input_shape)]
    lines += [s.declaration() for s in specs]
    lines.append(f"public partial class {class_name} {{ }}")
    return "\n".join(lines)


class Net(nn.Module):
    """Sequential network with ConvGen layer names (conv1, maxpool1, ...) as submodule names."""

    def __init__(self, input_shape, specs):
        super().__init__()
        counts = {}
        self.order = []
        x = torch.zeros(1, *input_shape)
        self.shapes = []
        for spec in specs:
            counts[spec.prefix] = counts.get(spec.prefix, 0) + 1
            name = f"{spec.prefix}{counts[spec.prefix]}"
            module = spec.build(tuple(x.shape))
            self.add_module(name, module)
            self.order.append(name)
            with torch.no_grad():
                module.eval()
                x = module(x)
            self.shapes.append((name, tuple(x.shape[1:])))
        self.final_softmax = specs[-1].final_softmax
        self.classes = x.shape[1]
        assert x.dim() == 2, "every golden network ends flat"

    def forward(self, x):
        for name in self.order:
            x = getattr(self, name)(x)
        return x


def loss_of(net, out, labels):
    if net.final_softmax:
        # Output already holds probabilities: cross-entropy on probabilities = mean NLL of log(p).
        return F.nll_loss(torch.log(out), labels)
    return F.cross_entropy(out, labels)


# --------------------------------------------------------------------------------------------
# Output-size cross-check against ConvGen's ShapeInference formulas (ceil-mode rule included)
# --------------------------------------------------------------------------------------------

def window_axis(size, before, after, extent, stride, ceil):
    span = size + before + after - extent
    if span < 0:
        return 0
    steps = -(-span // stride) if ceil else span // stride
    if ceil and steps * stride >= size + before:
        steps -= 1
    return steps + 1


def check_shapes(input_shape, specs, net):
    c, h, w = input_shape
    for spec, (name, shape) in zip(specs, net.shapes):
        if isinstance(spec, Conv2D):
            mod = getattr(net, name)
            l, r, t, b = mod.pad4
            d = spec.dilation
            h2 = window_axis(h, t, b, d * (spec.kh - 1) + 1, spec.sh, False)
            w2 = window_axis(w, l, r, d * (spec.kw - 1) + 1, spec.sw, False)
            c, h, w = spec.filters, h2, w2
        elif isinstance(spec, _Pool):
            p = spec.padding
            h = window_axis(h, p, p, spec.size, spec.stride, spec.ceil)
            w = window_axis(w, p, p, spec.size, spec.stride, spec.ceil)
        elif isinstance(spec, GlobalAvgPool2D):
            h = w = 1
        elif isinstance(spec, Flatten):
            c, h, w = c * h * w, None, None
        elif isinstance(spec, Dense):
            c = spec.units
        expected = (c,) if h is None else (c, h, w)
        assert expected == shape, f"{name}: ConvGen formula says {expected}, PyTorch gives {shape}"


# --------------------------------------------------------------------------------------------
# Golden generation
# --------------------------------------------------------------------------------------------

def np32(t):
    return t.detach().cpu().numpy().astype(np.float32, copy=True)


def randomize_bn(net, gen):
    """BatchNorm starts at weight 1 / bias 0 / mean 0 / var 1 in PyTorch; perturb so the test sees every term."""
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(1 + 0.2 * torch.randn(n, generator=gen))
                m.bias.copy_(0.1 * torch.randn(n, generator=gen))
                m.running_mean.copy_(0.1 * torch.randn(n, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(n, generator=gen))


def state_tensors(net, prefix=""):
    out = {}
    for name, value in net.state_dict().items():
        if name.endswith("num_batches_tracked"):
            continue
        out[prefix + name] = np32(value)
    return out


def forward_backward(net, x, labels):
    xi = x.clone().requires_grad_(True)
    net.zero_grad(set_to_none=True)
    out = net(xi)
    loss = loss_of(net, out, labels)
    loss.backward()
    grads = {f"grad.{n}": np32(p.grad) for n, p in net.named_parameters()}
    grads["grad.input"] = np32(xi.grad)
    return out, loss, grads


def make_network(name, input_shape, specs, batch, seed, class_name, description, csharp, optimizer_steps=False,
                 generated=None, row_stride=None, scaled=None):
    """Builds the net, runs forward + backward (+ optimizers), returns (tensors, metadata).

    generated: parameter names whose initial value comes from hash_uniform_weights (not stored).
    row_stride: for those parameters, tensors derived from them are stored as every row_stride-th row.
    scaled: parameter name -> factor applied to its initial value (so activations reach a clamp such as ReLU6's 6).
    """
    if declaration(input_shape, specs, class_name) != csharp.strip():
        raise AssertionError(f"{name}: the specs render as\n{declaration(input_shape, specs, class_name)}\n"
                             f"but the documented C# declaration is\n{csharp}")
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed + 1)
    net = Net(input_shape, specs)
    check_shapes(input_shape, specs, net)
    generated = generated or []
    with torch.no_grad():
        for i, pname in enumerate(generated):
            p = dict(net.named_parameters())[pname]
            p.copy_(torch.from_numpy(hash_uniform_weights(p.numel(), seed + i).reshape(p.shape)))
    with torch.no_grad():
        for pname, factor in (scaled or {}).items():
            dict(net.named_parameters())[pname].mul_(factor)
    randomize_bn(net, gen)
    x = torch.randn(batch, *input_shape, generator=gen)
    labels = torch.randint(0, net.classes, (batch,), generator=gen)
    initial = copy.deepcopy(net.state_dict())
    has_bn = any(isinstance(m, nn.BatchNorm2d) for m in net.modules())

    tensors = {}
    tensors.update(state_tensors(net))
    tensors["input"] = np32(x)
    tensors["labels"] = labels.numpy().astype(np.int64)

    eval_out = None
    if has_bn:
        net.eval()
        with torch.no_grad():
            eval_out = np32(net(x))
        net.load_state_dict(initial)

    net.train()
    out, loss, grads = forward_backward(net, x, labels)
    tensors["output"] = np32(out)
    tensors["loss"] = np32(loss).reshape(1)
    tensors.update(grads)
    if has_bn:
        for n, v in net.state_dict().items():
            if "running" in n:
                tensors[f"after.{n}"] = np32(v)
        tensors["eval.output"] = eval_out

    if optimizer_steps:
        for tag, make_opt in (("sgd", lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9)),
                              ("adam", lambda ps: torch.optim.Adam(ps, lr=1e-3))):
            net.load_state_dict(initial)
            opt = make_opt(net.parameters())
            for step in (1, 2):
                _, step_loss, _ = forward_backward(net, x, labels)
                opt.step()
                key = tag if step == 1 else f"{tag}{step}"
                tensors[f"{key}.loss"] = np32(step_loss).reshape(1)
                for n, p in net.named_parameters():
                    tensors[f"{key}.{n}"] = np32(p)
        net.load_state_dict(initial)

    notes = {}
    if generated:
        for pname in generated:
            for key in list(tensors):
                if key == pname or key.endswith("." + pname):
                    full = tensors.pop(key)
                    # Every row_stride-th row only; for the initial value this lets C# check its regenerated copy.
                    tensors[f"{key}.rows{row_stride}"] = np.ascontiguousarray(full[::row_stride])
            notes[pname] = (f"not stored: regenerate with hash_uniform_weights(count={int(np.prod(initial[pname].shape))}, "
                            f"seed={seed + generated.index(pname)}) reshaped to {list(initial[pname].shape)}; "
                            f"'<x>.{pname}.rows{row_stride}' tensors hold rows 0,{row_stride},{2 * row_stride},... "
                            f"of the full '<x>.{pname}' tensors")

    metadata = {
        "declaration": declaration(input_shape, specs, class_name),
        "loss_kind": "probabilities" if net.final_softmax else "logits",
        "loss": ("mean NLL of log(output): the last layer is Softmax, so output holds probabilities"
                 if net.final_softmax else "CrossEntropyLoss (mean) with output as logits"),
        "description": description,
        "batch": str(batch),
        "seed": str(seed),
        "layer_shapes": json.dumps({n: list(s) for n, s in net.shapes}),
        "mode": "training mode forward/backward" + ("; BatchNorm uses batch statistics" if has_bn else ""),
        "generator": f"tests/golden/make_golden.py (torch {torch.__version__}, numpy {np.__version__})",
    }
    if has_bn:
        metadata["batchnorm"] = ("bnN.running_mean/var are the statistics before the training forward; "
                                 "after.bnN.running_* = (1-momentum)*running + momentum*batch, batch variance "
                                 "UNBIASED (n/(n-1)) for the running update but biased for normalization; "
                                 "eval.output = eval-mode forward of the same input with the initial running stats")
    if optimizer_steps:
        metadata["optimizers"] = ("From the initial weights, same batch each step. sgd = torch.optim.SGD(lr=0.01, "
                                  "momentum=0.9, dampening=0, no weight decay, momentum buffer starts at zero so "
                                  "step 1 is w -= lr*g); adam = torch.optim.Adam(lr=1e-3, betas=(0.9,0.999), "
                                  "eps=1e-8, bias-corrected). '<opt>.<param>' after step 1, '<opt>2.<param>' after "
                                  "step 2; '<opt>.loss' is the loss the step-1 gradient came from, '<opt>2.loss' "
                                  "the loss at the step-1 weights")
    if notes:
        metadata["generated_parameters"] = json.dumps(notes)
    if scaled:
        metadata["scaled_parameters"] = json.dumps(scaled)
    near_zero = [k for k, v in tensors.items() if k.startswith("grad.") and float(np.max(np.abs(v))) < NEAR_ZERO]
    if near_zero:
        metadata["near_zero"] = json.dumps(near_zero)
        metadata["near_zero_note"] = ("these gradients are mathematically zero (a conv bias followed by training-mode "
                                      "BatchNorm, which subtracts the batch mean); the stored values are float32 "
                                      f"rounding noise: check |actual| <= {NEAR_ZERO:g} instead of a relative bound")
    return tensors, metadata


NEAR_ZERO = 1e-6
RELATIVE_TOLERANCE = 1e-4


def within_tolerance(name, expected, actual, near_zero=()):
    """The comparison the C# tests use: max|a - e| <= 1e-4 * max|e|; near-zero tensors: max|a| <= 1e-6."""
    if expected.dtype == np.int64:
        return bool(np.array_equal(expected, actual)), 0.0
    if name in near_zero:
        err = float(np.max(np.abs(actual)))
        return err <= NEAR_ZERO, 0.0  # not a relative error; kept out of the "worst" figure
    scale = float(np.max(np.abs(expected)))
    err = float(np.max(np.abs(actual.astype(np.float64) - expected))) / scale
    return err <= RELATIVE_TOLERANCE, err


NETWORKS = [
    dict(
        name="lenet5", class_name="LeNet5", batch=4, seed=1001, optimizer_steps=True,
        csharp="""
[Input(1, 28, 28)]
[Conv2D(20, 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(50, 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(500, Activation = Activation.ReLU)]
[Dense(10)]
public partial class LeNet5 { }""",
        generated=["dense1.weight"], row_stride=64,
        description="LeNet-5 style MNIST net; dense1.weight is hash-generated (too large to store) - see metadata",
        input_shape=(1, 28, 28),
        specs=[Conv2D(20, 5, Padding=2, Activation="ReLU"), MaxPool2D(2),
               Conv2D(50, 5, Padding=2, Activation="ReLU"), MaxPool2D(2),
               Flatten(), Dense(500, Activation="ReLU"), Dense(10)],
    ),
    dict(
        name="conv_stride_pad", class_name="ConvStridePad", batch=4, seed=1002,
        csharp="""
[Input(4, 11, 13)]
[Conv2D(6, 3, Stride = 2, Padding = 1)]
[ReLU]
[Conv2D(8, 1, Activation = Activation.Tanh)]
[Flatten]
[Dense(5)]
public partial class ConvStridePad { }""",
        description="stride 2 + padding 1, standalone ReLU layer, 1x1 conv with fused Tanh",
        input_shape=(4, 11, 13),
        specs=[Conv2D(6, 3, Stride=2, Padding=1), ReLU(), Conv2D(8, 1, Activation="Tanh"), Flatten(), Dense(5)],
    ),
    dict(
        name="conv_dilation_groups", class_name="ConvDilationGroups", batch=4, seed=1003,
        csharp="""
[Input(4, 12, 12)]
[Conv2D(8, 3, Padding = 2, Dilation = 2, Groups = 2, Activation = Activation.ReLU)]
[Conv2D(8, 3, Stride = 2, Groups = 8, Activation = Activation.Sigmoid)]
[Conv2D(6, 1, Bias = false)]
[Flatten]
[Dense(4)]
public partial class ConvDilationGroups { }""",
        description="dilation 2 with groups 2, depthwise stride-2 conv (groups = channels) with fused Sigmoid, "
                    "1x1 conv without bias",
        input_shape=(4, 12, 12),
        specs=[Conv2D(8, 3, Padding=2, Dilation=2, Groups=2, Activation="ReLU"),
               Conv2D(8, 3, Stride=2, Groups=8, Activation="Sigmoid"),
               Conv2D(6, 1, Bias=False), Flatten(), Dense(4)],
    ),
    dict(
        name="conv_same_rect", class_name="ConvSameRect", batch=4, seed=1004,
        csharp="""
[Input(3, 10, 9)]
[Conv2D(6, 3, KernelHeight = 3, KernelWidth = 5, Stride = 2, PaddingMode = PaddingMode.Same)]
[Conv2D(8, 4, Stride = 2, PaddingMode = PaddingMode.Same, Activation = Activation.Tanh)]
[Conv2D(8, 3, PaddingMode = PaddingMode.Same, Dilation = 2, Activation = Activation.ReLU)]
[Conv2D(4, 2, StrideHeight = 1, StrideWidth = 2, PaddingMode = PaddingMode.Valid)]
[Flatten]
[Dense(3, Bias = false)]
public partial class ConvSameRect { }""",
        description="3x5 kernel with Same padding stride 2 (pads H 0/1, W 2/2), even 4x4 kernel Same stride 2 "
                    "(asymmetric 1/2 on both axes, fused Tanh), Same with dilation 2 stride 1, Valid 2x2 with "
                    "StrideHeight 1 / StrideWidth 2, Dense without bias",
        input_shape=(3, 10, 9),
        specs=[Conv2D(6, 3, KernelHeight=3, KernelWidth=5, Stride=2, PaddingMode="Same"),
               Conv2D(8, 4, Stride=2, PaddingMode="Same", Activation="Tanh"),
               Conv2D(8, 3, PaddingMode="Same", Dilation=2, Activation="ReLU"),
               Conv2D(4, 2, StrideHeight=1, StrideWidth=2, PaddingMode="Valid"),
               Flatten(), Dense(3, Bias=False)],
    ),
    dict(
        name="pooling", class_name="PoolingNet", batch=4, seed=1005,
        csharp="""
[Input(3, 12, 11)]
[Conv2D(4, 3, Padding = 1)]
[MaxPool2D(3, Stride = 2, Padding = 1, CeilMode = true)]
[LeakyReLU(0.2f)]
[AvgPool2D(3, Stride = 2, Padding = 1, CeilMode = true)]
[Sigmoid]
[Conv2D(6, 1)]
[Tanh]
[GlobalAvgPool2D]
[Flatten]
[Dense(5)]
public partial class PoolingNet { }""",
        description="MaxPool 3/stride 2/padding 1/ceil mode (last window half outside), LeakyReLU(0.2), AvgPool 3/stride 2/padding 1/ceil mode "
                    "(count_include_pad; the last window is clipped to the padded input), Sigmoid, Tanh, "
                    "GlobalAvgPool2D",
        input_shape=(3, 12, 11),
        specs=[Conv2D(4, 3, Padding=1), MaxPool2D(3, Stride=2, Padding=1, CeilMode=True), LeakyReLU(0.2),
               AvgPool2D(3, Stride=2, Padding=1, CeilMode=True), Sigmoid(), Conv2D(6, 1), Tanh(),
               GlobalAvgPool2D(), Flatten(), Dense(5)],
    ),
    dict(
        name="pooling_edges", class_name="PoolingEdges", batch=4, seed=1006,
        csharp="""
[Input(2, 13, 14)]
[Conv2D(4, 3)]
[MaxPool2D(2)]
[AvgPool2D(2, Stride = 1, Padding = 1)]
[AvgPool2D(2, Stride = 2, Padding = 1, CeilMode = true)]
[MaxPool2D(2, Stride = 2, Padding = 1, CeilMode = true)]
[Flatten]
[Dense(6, Activation = Activation.Tanh)]
[Dense(4)]
public partial class PoolingEdges { }""",
        description="floor-mode MaxPool on an odd size (last row dropped), AvgPool 2/stride 1/padding 1 "
                    "(count_include_pad), AvgPool 2/stride 2/padding 1/ceil mode on width 7 where PyTorch's rule "
                    "'the last window must start inside the input or its left padding' removes a window (4 not 5), "
                    "MaxPool 2/stride 2/padding 1/ceil mode, Dense with fused Tanh",
        input_shape=(2, 13, 14),
        specs=[Conv2D(4, 3), MaxPool2D(2), AvgPool2D(2, Stride=1, Padding=1),
               AvgPool2D(2, Stride=2, Padding=1, CeilMode=True), MaxPool2D(2, Stride=2, Padding=1, CeilMode=True),
               Flatten(), Dense(6, Activation="Tanh"), Dense(4)],
    ),
    dict(
        name="softmax_tail", class_name="SoftmaxTail", batch=4, seed=1007,
        csharp="""
[Input(2, 8, 8)]
[Conv2D(4, 3, Activation = Activation.Sigmoid)]
[Softmax]
[Conv2D(3, 3, Stride = 2)]
[Flatten]
[Dense(5)]
[Softmax]
public partial class SoftmaxTail { }""",
        description="per-pixel channel Softmax on a spatial tensor, then a Softmax layer at the end; the loss is "
                    "cross-entropy on probabilities",
        input_shape=(2, 8, 8),
        specs=[Conv2D(4, 3, Activation="Sigmoid"), Softmax(), Conv2D(3, 3, Stride=2), Flatten(), Dense(5), Softmax()],
    ),
    dict(
        name="softmax_fused", class_name="SoftmaxFused", batch=4, seed=1008,
        csharp="""
[Input(1, 6, 6)]
[Conv2D(3, 3)]
[LeakyReLU(0.01f)]
[Flatten]
[Dense(4, Activation = Activation.Softmax)]
public partial class SoftmaxFused { }""",
        description="Dense with fused Activation.Softmax at the end; the loss is cross-entropy on probabilities",
        input_shape=(1, 6, 6),
        specs=[Conv2D(3, 3), LeakyReLU(0.01), Flatten(), Dense(4, Activation="Softmax")],
    ),
    dict(
        name="batchnorm", class_name="BatchNormNet", batch=4, seed=1009,
        csharp="""
[Input(3, 10, 10)]
[Conv2D(8, 3, Padding = 1)]
[BatchNorm2D]
[ReLU]
[MaxPool2D(2)]
[Conv2D(8, 3, Bias = false)]
[BatchNorm2D(Epsilon = 0.001f, Momentum = 0.2f)]
[ReLU]
[GlobalAvgPool2D]
[Flatten]
[Dense(4)]
public partial class BatchNormNet { }""",
        description="Conv -> BatchNorm2D -> ReLU twice (second BN eps 1e-3, momentum 0.2, conv without bias), "
                    "training-mode batch statistics, running-stat updates, eval-mode output",
        input_shape=(3, 10, 10),
        specs=[Conv2D(8, 3, Padding=1), BatchNorm2D(), ReLU(), MaxPool2D(2),
               Conv2D(8, 3, Bias=False), BatchNorm2D(Epsilon=1e-3, Momentum=0.2), ReLU(),
               GlobalAvgPool2D(), Flatten(), Dense(4)],
    ),
    dict(
        name="activations", class_name="ActivationsNet", batch=4, seed=1010,
        scaled={"conv1.weight": 12.0, "conv2.weight": 2.0, "conv3.weight": 10.0, "dense1.weight": 3.0, "dense2.weight": 8.0},
        csharp="""
[Input(2, 7, 7)]
[Conv2D(4, 3, Padding = 1, Activation = Activation.ReLU6)]
[Conv2D(6, 3, Stride = 2)]
[Swish]
[Conv2D(6, 1)]
[ReLU6]
[Flatten]
[Dense(8)]
[Swish]
[Dense(8, Activation = Activation.ReLU6)]
[Dense(3)]
public partial class ActivationsNet { }""",
        description="ReLU6 fused into a conv and a dense layer and as a layer, Swish (SiLU) as a layer on values of "
                    "both signs; weights scaled (scaled_parameters) so that every ReLU6 clamps at 6 and Swish sees "
                    "x < -1.28, where it decreases",
        input_shape=(2, 7, 7),
        specs=[Conv2D(4, 3, Padding=1, Activation="ReLU6"), Conv2D(6, 3, Stride=2), Swish(), Conv2D(6, 1), ReLU6(),
               Flatten(), Dense(8), Swish(), Dense(8, Activation="ReLU6"), Dense(3)],
    ),
]


def self_checks():
    # Our Same padding agrees with PyTorch's padding='same' where PyTorch supports it (stride 1).
    g = torch.Generator().manual_seed(7)
    for k, d in ((3, 1), (4, 1), (3, 2), (2, 3)):
        x = torch.randn(2, 3, 9, 8, generator=g)
        w = torch.randn(5, 3, k, k, generator=g)
        t, b = same_padding(9, d * (k - 1) + 1, 1)
        l, r = same_padding(8, d * (k - 1) + 1, 1)
        ours = F.conv2d(F.pad(x, (l, r, t, b)), w, dilation=d)
        ref = F.conv2d(x, w, dilation=d, padding="same")
        assert torch.allclose(ours, ref, atol=1e-5), (k, d)
    # The hash weights match their definition on known values.
    h = hash_uniform_weights(4, 0)
    assert np.all(np.abs(h) <= 1 / 32) and h.dtype == np.float32, h
    # Round trip of an empty-metadata file with both dtypes.
    blob = encode_safetensors({"a": np.arange(3, dtype=np.int64), "b": np.ones((2, 1), np.float32)}, {})
    back, meta = decode_safetensors(blob)
    assert back["a"].tolist() == [0, 1, 2] and back["b"].shape == (2, 1) and meta == {}
    assert (struct.unpack_from("<Q", blob)[0]) % 8 == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=HERE, help="output directory (default: next to this script)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; regenerate and compare with the files on disk")
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    self_checks()

    total = 0
    failures = 0
    for cfg in NETWORKS:
        cfg = dict(cfg)
        name = cfg.pop("name")
        tensors, metadata = make_network(name, **cfg)
        path = os.path.join(args.out, f"{name}.safetensors")
        if args.check:
            on_disk, meta = read_safetensors(path)
            near_zero = json.loads(meta.get("near_zero", "[]"))
            ok = list(on_disk) == list(tensors) and meta == metadata
            worst = 0.0
            for key, fresh in tensors.items():
                good, err = within_tolerance(key, on_disk[key], fresh, near_zero)
                ok &= good
                worst = max(worst, err)
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}: worst relative difference {worst:.2e}")
            continue
        size = write_checked(path, tensors, metadata)
        total += size
        print(f"{name}.safetensors  {size / 1024:8.1f} KiB  {len(tensors)} tensors")
    if not args.check:
        print(f"total {total / 1024:.1f} KiB")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
