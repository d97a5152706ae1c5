namespace ConvGen.Samples.Architectures
{
    /// <summary>
    /// ResNet-18 (He et al., 2015) as torchvision builds it: a 7×7 stem, four stages of two basic blocks (two 3×3 convolutions beside
    /// an identity shortcut, or a strided 1×1 projection where the shape changes), global average pooling and one dense layer.
    /// Names follow torchvision's <c>state_dict</c>; 11,689,512 parameters.
    /// </summary>
    [Input(3, 224, 224, ExpectedParameters = 11689512)]
    [Conv2D(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv1")]
    [BatchNorm2D(Name = "bn1")]
    [ReLU]
    [MaxPool2D(3, Stride = 2, Padding = 1, Expect = "64x56x56")]

    // layer1.0: basic block, identity shortcut
    [Branch]
    [Conv2D(64, 3, Padding = 1, Bias = false, Name = "layer1.0.conv1")]
    [BatchNorm2D(Name = "layer1.0.bn1")]
    [ReLU]
    [Conv2D(64, 3, Padding = 1, Bias = false, Name = "layer1.0.conv2")]
    [BatchNorm2D(Name = "layer1.0.bn2")]
    [Branch]
    [Add(Activation = Activation.ReLU)]

    // layer1.1: basic block, identity shortcut
    [Branch]
    [Conv2D(64, 3, Padding = 1, Bias = false, Name = "layer1.1.conv1")]
    [BatchNorm2D(Name = "layer1.1.bn1")]
    [ReLU]
    [Conv2D(64, 3, Padding = 1, Bias = false, Name = "layer1.1.conv2")]
    [BatchNorm2D(Name = "layer1.1.bn2")]
    [Branch]
    [Add(Activation = Activation.ReLU, Expect = "64x56x56")]

    // layer2.0: basic block, downsampling shortcut
    [Branch]
    [Conv2D(128, 3, Stride = 2, Padding = 1, Bias = false, Name = "layer2.0.conv1")]
    [BatchNorm2D(Name = "layer2.0.bn1")]
    [ReLU]
    [Conv2D(128, 3, Padding = 1, Bias = false, Name = "layer2.0.conv2")]
    [BatchNorm2D(Name = "layer2.0.bn2")]
    [Branch]
    [Conv2D(128, 1, Stride = 2, Bias = false, Name = "layer2.0.downsample.0")]
    [BatchNorm2D(Name = "layer2.0.downsample.1")]
    [Add(Activation = Activation.ReLU)]

    // layer2.1: basic block, identity shortcut
    [Branch]
    [Conv2D(128, 3, Padding = 1, Bias = false, Name = "layer2.1.conv1")]
    [BatchNorm2D(Name = "layer2.1.bn1")]
    [ReLU]
    [Conv2D(128, 3, Padding = 1, Bias = false, Name = "layer2.1.conv2")]
    [BatchNorm2D(Name = "layer2.1.bn2")]
    [Branch]
    [Add(Activation = Activation.ReLU, Expect = "128x28x28")]

    // layer3.0: basic block, downsampling shortcut
    [Branch]
    [Conv2D(256, 3, Stride = 2, Padding = 1, Bias = false, Name = "layer3.0.conv1")]
    [BatchNorm2D(Name = "layer3.0.bn1")]
    [ReLU]
    [Conv2D(256, 3, Padding = 1, Bias = false, Name = "layer3.0.conv2")]
    [BatchNorm2D(Name = "layer3.0.bn2")]
    [Branch]
    [Conv2D(256, 1, Stride = 2, Bias = false, Name = "layer3.0.downsample.0")]
    [BatchNorm2D(Name = "layer3.0.downsample.1")]
    [Add(Activation = Activation.ReLU)]

    // layer3.1: basic block, identity shortcut
    [Branch]
    [Conv2D(256, 3, Padding = 1, Bias = false, Name = "layer3.1.conv1")]
    [BatchNorm2D(Name = "layer3.1.bn1")]
    [ReLU]
    [Conv2D(256, 3, Padding = 1, Bias = false, Name = "layer3.1.conv2")]
    [BatchNorm2D(Name = "layer3.1.bn2")]
    [Branch]
    [Add(Activation = Activation.ReLU, Expect = "256x14x14")]

    // layer4.0: basic block, downsampling shortcut
    [Branch]
    [Conv2D(512, 3, Stride = 2, Padding = 1, Bias = false, Name = "layer4.0.conv1")]
    [BatchNorm2D(Name = "layer4.0.bn1")]
    [ReLU]
    [Conv2D(512, 3, Padding = 1, Bias = false, Name = "layer4.0.conv2")]
    [BatchNorm2D(Name = "layer4.0.bn2")]
    [Branch]
    [Conv2D(512, 1, Stride = 2, Bias = false, Name = "layer4.0.downsample.0")]
    [BatchNorm2D(Name = "layer4.0.downsample.1")]
    [Add(Activation = Activation.ReLU)]

    // layer4.1: basic block, identity shortcut
    [Branch]
    [Conv2D(512, 3, Padding = 1, Bias = false, Name = "layer4.1.conv1")]
    [BatchNorm2D(Name = "layer4.1.bn1")]
    [ReLU]
    [Conv2D(512, 3, Padding = 1, Bias = false, Name = "layer4.1.conv2")]
    [BatchNorm2D(Name = "layer4.1.bn2")]
    [Branch]
    [Add(Activation = Activation.ReLU, Expect = "512x7x7")]

    [GlobalAvgPool2D]
    [Flatten]
    [Dense(1000, Name = "fc")]
    public partial class ResNet18 { }
}
