using ConvGen;

namespace ConvGen.Tests.Networks
{
    // The networks of tests/golden/*.safetensors, declared exactly as each file's "declaration" metadata says.

    [Input(4, 11, 13)]
    [Conv2D(6, 3, Stride = 2, Padding = 1)]
    [ReLU]
    [Conv2D(8, 1, Activation = Activation.Tanh)]
    [Flatten]
    [Dense(5)]
    public partial class GoldenConvStridePad { }

    [Input(4, 12, 12)]
    [Conv2D(8, 3, Padding = 2, Dilation = 2, Groups = 2, Activation = Activation.ReLU)]
    [Conv2D(8, 3, Stride = 2, Groups = 8, Activation = Activation.Sigmoid)]
    [Conv2D(6, 1, Bias = false)]
    [Flatten]
    [Dense(4)]
    public partial class GoldenConvDilationGroups { }

    [Input(3, 10, 9)]
    [Conv2D(6, 3, KernelHeight = 3, KernelWidth = 5, Stride = 2, PaddingMode = PaddingMode.Same)]
    [Conv2D(8, 4, Stride = 2, PaddingMode = PaddingMode.Same, Activation = Activation.Tanh)]
    [Conv2D(8, 3, PaddingMode = PaddingMode.Same, Dilation = 2, Activation = Activation.ReLU)]
    [Conv2D(4, 2, StrideHeight = 1, StrideWidth = 2, PaddingMode = PaddingMode.Valid)]
    [Flatten]
    [Dense(3, Bias = false)]
    public partial class GoldenConvSameRect { }

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
    public partial class GoldenPooling { }

    [Input(2, 13, 14)]
    [Conv2D(4, 3)]
    [MaxPool2D(2)]
    [AvgPool2D(2, Stride = 1, Padding = 1)]
    [AvgPool2D(2, Stride = 2, Padding = 1, CeilMode = true)]
    [MaxPool2D(2, Stride = 2, Padding = 1, CeilMode = true)]
    [Flatten]
    [Dense(6, Activation = Activation.Tanh)]
    [Dense(4)]
    public partial class GoldenPoolingEdges { }

    [Input(2, 8, 8)]
    [Conv2D(4, 3, Activation = Activation.Sigmoid)]
    [Softmax]
    [Conv2D(3, 3, Stride = 2)]
    [Flatten]
    [Dense(5)]
    [Softmax]
    public partial class GoldenSoftmaxTail { }

    [Input(1, 6, 6)]
    [Conv2D(3, 3)]
    [LeakyReLU(0.01f)]
    [Flatten]
    [Dense(4, Activation = Activation.Softmax)]
    public partial class GoldenSoftmaxFused { }

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
    public partial class GoldenBatchNorm { }

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
    public partial class GoldenActivations { }
}
