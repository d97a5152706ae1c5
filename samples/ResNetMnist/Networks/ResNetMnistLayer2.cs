namespace ConvGen.Samples.Digits
{
    /// <summary><see cref="ResNetMnist"/> up to its second residual block: its output is layer2's 32 feature maps of 14×14.</summary>
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
    public partial class ResNetMnistLayer2 { }
}
