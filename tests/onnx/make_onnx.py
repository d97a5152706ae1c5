#!/usr/bin/env python3
"""Export the small ONNX files the ConvGen.Onnx tests import.

Run with Debian's interpreter (python3-torch 1.13, python3-torchvision 0.14, python3-onnx):

    /usr/bin/python3 tests/onnx/make_onnx.py        # writes tests/onnx/*.onnx

Each file is what torch.onnx.export writes for a module in eval mode (BatchNorm folded into the preceding conv,
constants folded into initializers, batch axis dynamic). The reference outputs are not stored: the tests run
every file in ONNX Runtime and compare ConvGen's compiled network with that.

Sizes are reduced to keep the repository small: torchvision's ResNet-18 (45 MB at full width) and GoogLeNet
(26 MB) are rebuilt from torchvision's own blocks with every width divided by 8 and a 3x64x64 input; the layer
structure (block counts, strides, downsample shortcuts, Inception branches, ceil-mode pooling) is torchvision's.
"""

import os

import torch
import torch.nn as nn
from torchvision.models.googlenet import BasicConv2d, Inception
from torchvision.models.resnet import BasicBlock, ResNet

HERE = os.path.dirname(os.path.abspath(__file__))


class NarrowResNet18(ResNet):
    """torchvision's ResNet-18 ([2, 2, 2, 2] basic blocks) at 1/8 width: 8, 16, 32, 64 channels."""

    def __init__(self, num_classes=10):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes = 8
        self.dilation = 1
        self.groups = 1
        self.base_width = 64
        self.conv1 = nn.Conv2d(3, 8, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(BasicBlock, 8, 2)
        self.layer2 = self._make_layer(BasicBlock, 16, 2, stride=2)
        self.layer3 = self._make_layer(BasicBlock, 32, 2, stride=2)
        self.layer4 = self._make_layer(BasicBlock, 64, 2, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(64, num_classes)


class NarrowGoogLeNet(nn.Module):
    """torchvision's GoogLeNet (no aux classifiers, no input transform) with every width divided by 8."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = BasicConv2d(3, 8, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(8, 8, kernel_size=1)
        self.conv3 = BasicConv2d(8, 24, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = Inception(24, 8, 12, 16, 2, 4, 4)
        self.inception3b = Inception(32, 16, 16, 24, 4, 12, 8)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = Inception(60, 24, 12, 26, 2, 6, 8)
        self.inception4b = Inception(64, 20, 14, 28, 3, 8, 8)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.inception5a = Inception(64, 32, 20, 40, 4, 16, 16)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(104, num_classes)

    def forward(self, x):
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.maxpool4(self.inception4b(self.inception4a(x)))
        x = self.inception5a(x)
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(self.dropout(x))


class Chain(nn.Module):
    """A plain chain using most layer kinds the importer reads: conv (+ folded BN), activations, both poolings,
    a dilated and a grouped conv, flatten, dropout, linear layers and a softmax."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1, bias=False),
            nn.BatchNorm2d(8),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 12, 3, stride=2, padding=1),
            nn.LeakyReLU(0.1),
            nn.Conv2d(12, 12, 3, padding=2, dilation=2, groups=3),
            nn.Tanh(),
            nn.AvgPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(0.5),
            nn.Linear(12 * 2 * 2, 16),
            nn.Sigmoid(),
            nn.Linear(16, 5),
            nn.Softmax(dim=1),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


def randomize_batchnorm(module, generator):
    """Non-trivial running statistics and affine parameters, so folding BatchNorm is visible in the outputs."""
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=generator) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=generator) * 0.1)


def export(name, module, input_shape, seed):
    generator = torch.Generator().manual_seed(seed)
    randomize_batchnorm(module, generator)
    module.eval()
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(
        module,
        torch.randn(1, *input_shape, generator=generator),
        path,
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": {0: "N"}, "output": {0: "N"}},
        opset_version=17,
        do_constant_folding=True,
    )
    print(f"{path}: {os.path.getsize(path)} bytes")


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    export("chain", Chain(), (3, 16, 16), seed=1)
    export("resnet18_narrow", NarrowResNet18(), (3, 64, 64), seed=2)
    export("googlenet_narrow", NarrowGoogLeNet(), (3, 64, 64), seed=3)


if __name__ == "__main__":
    main()
