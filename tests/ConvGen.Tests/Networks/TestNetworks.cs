using ConvGen;

namespace ConvGen.Tests.Networks
{
    /// <summary>Stride 2 with padding, dilation with groups and no bias, depthwise, 1×1.</summary>
    [Input(4, 11, 13)]
    [Conv2D(6, 3, Stride = 2, Padding = 1, Activation = Activation.ReLU)]
    [Conv2D(6, 3, Dilation = 2, Padding = 2, Groups = 2, Bias = false, Activation = Activation.Tanh)]
    [Conv2D(6, 3, Groups = 6, Padding = 1)]
    [Conv2D(8, 1)]
    [Flatten]
    [Dense(5)]
    public partial class ConvOptionsNet { }

    /// <summary>Rectangular kernel with Same padding and stride 2 (asymmetric padding), per-axis stride, Valid, ceil-mode average pooling, Dense softmax.</summary>
    [Input(3, 9, 10)]
    [Conv2D(4, 3, KernelHeight = 3, KernelWidth = 5, PaddingMode = PaddingMode.Same, Stride = 2, Activation = Activation.Sigmoid)]
    [Conv2D(5, 2, StrideHeight = 1, StrideWidth = 2, PaddingMode = PaddingMode.Valid)]
    [AvgPool2D(2, Padding = 1, CeilMode = true)]
    [Flatten]
    [Dense(4, Activation = Activation.Softmax)]
    public partial class SameRectNet { }

    /// <summary>Pooling with stride ≠ size, padding and ceil mode; standalone activations; global average pooling; softmax layer.</summary>
    [Input(2, 10, 9)]
    [MaxPool2D(3, Stride = 2, Padding = 1, CeilMode = true)]
    [LeakyReLU(0.2f)]
    [Conv2D(3, 2)]
    [AvgPool2D(3, Stride = 2, Padding = 1)]
    [Sigmoid]
    [Conv2D(4, 1)]
    [Tanh]
    [ReLU]
    [GlobalAvgPool2D]
    [Flatten]
    [Dense(3)]
    [Softmax]
    public partial class PoolingNet { }

    /// <summary>BatchNorm after a conv without activation (folded in inference) and after a fused ReLU conv (not folded).</summary>
    [Input(3, 8, 8)]
    [Conv2D(4, 3, Padding = 1)]
    [BatchNorm2D]
    [ReLU]
    [Conv2D(4, 3, Activation = Activation.ReLU)]
    [BatchNorm2D(Epsilon = 1e-3f, Momentum = 0.2f)]
    [Flatten]
    [Dense(5)]
    public partial class BatchNormNet { }

    /// <summary>Softmax over the channels of every pixel.</summary>
    [Input(3, 4, 4)]
    [Conv2D(5, 3, Padding = 1)]
    [Softmax]
    public partial class PixelSoftmaxNet { }

    /// <summary>Dropout between dense layers.</summary>
    [Input(1, 6, 6)]
    [Flatten]
    [Dense(40, Activation = Activation.ReLU)]
    [Dropout(0.25f)]
    [Dense(3)]
    public partial class DropoutNet { }
}

namespace ConvGen.Tests.Networks
{
    /// <summary>Dropout alone, so its mask can be read off the output.</summary>
    [Input(1, 10, 10)]
    [Flatten]
    [Dropout(0.25f)]
    public partial class BareDropoutNet { }
}

namespace ConvGen.Tests.Networks
{
    /// <summary>BatchNorm directly after BatchNorm: the second undoes the first's affine map, so the first one's gradients are tiny (issue 11, item 7).</summary>
    [Input(3, 6, 6)]
    [Conv2D(4, 3, Padding = 1)]
    [BatchNorm2D]
    [BatchNorm2D]
    [ReLU]
    [Flatten]
    [Dense(5)]
    public partial class BatchNormPairNet { }

    /// <summary>
    /// ReLU6 fused into a conv (im2col, and with 8 input channels the direct convolution) and a dense layer and as a layer of
    /// its own, Swish after a conv, after ReLU6 and after a dense layer.
    /// </summary>
    [Input(3, 13, 13)]
    [Conv2D(8, 3, Stride = 2, Activation = Activation.ReLU6)]
    [Conv2D(8, 3, Padding = 1, Activation = Activation.ReLU6)]
    [Conv2D(4, 3, Padding = 1)]
    [Swish]
    [ReLU6]
    [Swish]
    [Flatten]
    [Dense(6, Activation = Activation.ReLU6)]
    [Swish]
    [Dense(3)]
    public partial class SixAndSwishNet { }
}
