namespace ConvGen.Samples.Digits
{
    /// <summary><see cref="ResNetMnist"/>'s stem on its own: its output is the 16 feature maps of conv1 after BatchNorm and ReLU.</summary>
    [Input(1, 28, 28)]
    [Conv2D(16, 3, Padding = 1, Bias = false, Name = "conv1")]
    [BatchNorm2D(Name = "bn1")]
    [ReLU]
    public partial class ResNetMnistConv1 { }
}
