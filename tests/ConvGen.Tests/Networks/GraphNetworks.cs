using ConvGen;

namespace ConvGen.Tests.Networks
{
    /// <summary>Two ResNet basic blocks: one with a strided projection shortcut (conv + BatchNorm), one with the identity.</summary>
    [Input(3, 8, 8)]
    [Conv2D(4, 3, Padding = 1, Activation = Activation.ReLU, Name = "stem")]
    [Branch]
    [Conv2D(6, 3, Stride = 2, Padding = 1, Bias = false, Name = "layer1.0.conv1")]
    [BatchNorm2D(Name = "layer1.0.bn1")]
    [ReLU(Name = "layer1.0.relu")]
    [Conv2D(6, 3, Padding = 1, Bias = false, Name = "layer1.0.conv2")]
    [BatchNorm2D(Name = "layer1.0.bn2")]
    [Branch]
    [Conv2D(6, 1, Stride = 2, Bias = false, Name = "layer1.0.downsample.0")]
    [BatchNorm2D(Name = "layer1.0.downsample.1")]
    [Add(Activation = Activation.ReLU, Name = "layer1.0")]
    [Branch]
    [Conv2D(6, 3, Padding = 1, Bias = false, Name = "layer1.1.conv1")]
    [BatchNorm2D(Name = "layer1.1.bn1")]
    [Branch]
    [Add(Activation = Activation.ReLU, Name = "layer1.1")]
    [GlobalAvgPool2D]
    [Flatten]
    [Dense(5, Name = "fc")]
    public partial class ResidualGraphNet { }

    /// <summary>
    /// Two basic blocks narrow enough for direct convolutions (6 channels, 6×6 planes): in inference each Add folds into the
    /// direct conv before it, the first with ReLU, the second with Tanh (applied after the sum, not by the kernel's clamp).
    /// </summary>
    [Input(3, 12, 12)]
    [Conv2D(6, 3, Stride = 2, Padding = 1, Activation = Activation.ReLU, Name = "stem")]
    [Branch]
    [Conv2D(6, 3, Padding = 1, Bias = false, Name = "block1.conv1")]
    [BatchNorm2D(Name = "block1.bn1")]
    [ReLU(Name = "block1.relu")]
    [Conv2D(6, 3, Padding = 1, Bias = false, Name = "block1.conv2")]
    [BatchNorm2D(Name = "block1.bn2")]
    [Branch]
    [Add(Activation = Activation.ReLU, Name = "block1")]
    [Branch]
    [Conv2D(6, 3, Padding = 1, Bias = false, Name = "block2.conv1")]
    [BatchNorm2D(Name = "block2.bn1")]
    [Branch]
    [Add(Activation = Activation.Tanh, Name = "block2")]
    [GlobalAvgPool2D]
    [Flatten]
    [Dense(4, Name = "fc")]
    public partial class DirectResidualNet { }

    /// <summary>An Inception-like block: 1×1, 1×1→3×3 and max-pool→1×1 branches concatenated, then a Tanh over the Concat (an element-wise layer that cannot work in place there).</summary>
    [Input(4, 7, 7)]
    [Conv2D(6, 1, Activation = Activation.Tanh, Name = "stem")]
    [Branch] [Conv2D(3, 1)]
    [Branch] [Conv2D(2, 1)] [Conv2D(4, 3, Padding = 1)]
    [Branch] [MaxPool2D(3, Stride = 1, Padding = 1)] [Conv2D(2, 1)]
    [Concat(Expect = "9x7x7")]
    [Tanh]
    [AvgPool2D(2)]
    [Flatten]
    [Dense(4)]
    public partial class InceptionGraphNet { }

    /// <summary>Two DenseNet layers, x = concat(x, f(x)): the stem and the first Concat are read by a Concat and by a BatchNorm each.</summary>
    [Input(4, 6, 6)]
    [Conv2D(4, 3, Padding = 1, Name = "stem")]
    [Branch] [Branch] [BatchNorm2D] [ReLU] [Conv2D(3, 3, Padding = 1, Bias = false)] [Concat(Expect = "7x6x6")]
    [Branch] [Branch] [BatchNorm2D] [ReLU] [Conv2D(3, 3, Padding = 1, Bias = false)] [Concat(Expect = "10x6x6")]
    [GlobalAvgPool2D]
    [Flatten]
    [Dense(3)]
    public partial class DenseGraphNet { }

    /// <summary>
    /// Named merges and From edges: "a" has three readers (two convs and a Sigmoid), the network input two (a and a Concat
    /// that copies it), a Flatten's input has another reader, and a Dense reads a Flatten of a Concat.
    /// </summary>
    [Input(2, 6, 6)]
    [Conv2D(4, 3, Padding = 1, Activation = Activation.Tanh, Name = "a")]
    [Conv2D(4, 1, Name = "b")]
    [Conv2D(4, 3, Padding = 1, From = "a", Name = "c")]
    [Sigmoid(From = "a", Name = "d")]
    [Add("b", "c", "d", Name = "sum")]
    [Concat("sum", "input", Name = "joined")]
    [Flatten(Name = "flat")]
    [Dense(6, Activation = Activation.Tanh, Name = "hidden")]
    [Flatten(From = "sum", Name = "sumFlat")]
    [Dense(6, Name = "side")]
    [Add("hidden", "side", Name = "out")]
    public partial class NamedGraphNet { }

    /// <summary>A residual sum with a fused ReLU6 (the Add's backward reads its stored output), then Swish.</summary>
    [Input(3, 8, 8)]
    [Branch]
    [Conv2D(4, 3, Padding = 1)]
    [Branch]
    [Conv2D(4, 1)]
    [Add(Activation = Activation.ReLU6)]
    [Swish]
    [GlobalAvgPool2D]
    [Flatten]
    [Dense(3)]
    public partial class SixResidualNet { }
}
