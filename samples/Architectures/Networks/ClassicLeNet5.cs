namespace ConvGen.Samples.Architectures
{
    /// <summary>
    /// LeNet-5 as LeCun et al. (1998) describe it, in its usual reimplementation: 32×32 input, tanh, 2×2 average pooling, the C5
    /// layer as a 5×5 convolution to 120 maps of 1×1, then 84 and 10 units; 61,706 parameters.
    /// </summary>
    [Input(1, 32, 32, ExpectedParameters = 61706)]
    [Conv2D(6, 5, Activation = Activation.Tanh, Expect = "6x28x28")]
    [AvgPool2D(2)]
    [Conv2D(16, 5, Activation = Activation.Tanh, Expect = "16x10x10")]
    [AvgPool2D(2)]
    [Conv2D(120, 5, Activation = Activation.Tanh, Expect = "120x1x1")]
    [Flatten]
    [Dense(84, Activation = Activation.Tanh)]
    [Dense(10)]
    public partial class ClassicLeNet5 { }
}
