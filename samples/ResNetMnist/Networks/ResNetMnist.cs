namespace ConvGen.Samples.Digits
{
    /// <summary>
    /// A small ResNet for 28×28 digits: a 3×3 stem of 16 channels, then three residual blocks of 16, 32 and 64 channels
    /// (28×28, 14×14, 7×7; the last two halve the resolution and project their shortcut with a strided 1×1 convolution),
    /// global average pooling and one dense layer. Every convolution is followed by BatchNorm and has no bias.
    /// </summary>
    [Input(1, 28, 28)]
    [Conv2D(16, 3, Padding = 1, Bias = false, Name = "conv1")]
    [BatchNorm2D(Name = "bn1")]
    [ReLU]

    // layer1: two 3×3 convolutions beside the identity
    [Branch]
    [Conv2D(16, 3, Padding = 1, Bias = false, Name = "layer1.conv1")]
    [BatchNorm2D(Name = "layer1.bn1")]
    [ReLU]
    [Conv2D(16, 3, Padding = 1, Bias = false, Name = "layer1.conv2")]
    [BatchNorm2D(Name = "layer1.bn2")]
    [Branch]
    [Add(Activation = Activation.ReLU, Name = "layer1", Expect = "16x28x28")]

    // layer2: two 3×3 convolutions (the first strided) beside a strided 1×1 projection to 32 channels
    [Branch]
    [Conv2D(32, 3, Stride = 2, Padding = 1, Bias = false, Name = "layer2.conv1")]
    [BatchNorm2D(Name = "layer2.bn1")]
    [ReLU]
    [Conv2D(32, 3, Padding = 1, Bias = false, Name = "layer2.conv2")]
    [BatchNorm2D(Name = "layer2.bn2")]
    [Branch]
    [Conv2D(32, 1, Stride = 2, Bias = false, Name = "layer2.downsample.0")]
    [BatchNorm2D(Name = "layer2.downsample.1")]
    [Add(Activation = Activation.ReLU, Name = "layer2", Expect = "32x14x14")]

    // layer3: two 3×3 convolutions (the first strided) beside a strided 1×1 projection to 64 channels
    [Branch]
    [Conv2D(64, 3, Stride = 2, Padding = 1, Bias = false, Name = "layer3.conv1")]
    [BatchNorm2D(Name = "layer3.bn1")]
    [ReLU]
    [Conv2D(64, 3, Padding = 1, Bias = false, Name = "layer3.conv2")]
    [BatchNorm2D(Name = "layer3.bn2")]
    [Branch]
    [Conv2D(64, 1, Stride = 2, Bias = false, Name = "layer3.downsample.0")]
    [BatchNorm2D(Name = "layer3.downsample.1")]
    [Add(Activation = Activation.ReLU, Name = "layer3", Expect = "64x7x7")]

    [GlobalAvgPool2D]
    [Flatten]
    [Dense(10, Name = "fc")]
    public partial class ResNetMnist { }
}
