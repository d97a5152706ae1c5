using ConvGen;

namespace ConvGen.Onnx.Tests
{
    [Input(1, 28, 28)]
    [Conv2D(6, 5, Padding = 2, Activation = Activation.Tanh)]
    [AvgPool2D(2)]
    [Conv2D(16, 5, Activation = Activation.Tanh)]
    [AvgPool2D(2)]
    [Flatten]
    [Dense(120, Activation = Activation.Tanh)]
    [Dense(84, Activation = Activation.Tanh)]
    [Dense(10)]
    public partial class LeNet5 { }

    /// <summary>Every chain layer kind and option the ONNX writer maps: Same padding with an odd split, BatchNorm, ceil-mode and padded pooling, dilation, groups, every activation.</summary>
    [Input(3, 17, 15)]
    [Conv2D(6, 4, Stride = 2, PaddingMode = PaddingMode.Same, Activation = Activation.ReLU)]
    [BatchNorm2D(Epsilon = 0.001f)]
    [LeakyReLU(0.2f)]
    [MaxPool2D(3, Stride = 2, Padding = 1, CeilMode = true)]
    [Conv2D(8, 3, KernelWidth = 2, Padding = 1, Dilation = 2, Groups = 2, Activation = Activation.Tanh)]
    [AvgPool2D(2, Stride = 1, Padding = 1)]
    [Conv2D(10, 1, Bias = false, Activation = Activation.Sigmoid)]
    [Softmax]
    [GlobalAvgPool2D]
    [Flatten]
    [Dropout(0.3f)]
    [Dense(12, Activation = Activation.ReLU)]
    [ReLU]
    [Tanh]
    [Sigmoid]
    [Dense(5, Bias = false, Activation = Activation.Softmax)]
    public partial class AllKinds { }

    /// <summary>Pooling windows that run past the padded input (ceil mode): the divisor and the maximum must agree with ONNX's.</summary>
    [Input(2, 8, 8)]
    [AvgPool2D(3, Stride = 2, Padding = 1, CeilMode = true, Expect = "2x5x5")]
    [MaxPool2D(2, Stride = 2, CeilMode = true, Expect = "2x3x3")]
    public partial class PoolEdges { }

    /// <summary>A DAG that [Branch] groups cannot express: 'b' is read inside the Add's group and again, with From, after it.</summary>
    [Input(2, 6, 6)]
    [Conv2D(4, 3, Padding = 1, Name = "a")]
    [Conv2D(4, 3, Padding = 1, Activation = Activation.ReLU, Name = "b")]
    [Add("a", "b", Name = "c")]
    [Conv2D(4, 3, Padding = 1, From = "b", Name = "d")]
    [Concat("c", "d", Name = "e")]
    [GlobalAvgPool2D]
    [Flatten]
    [Dense(3)]
    public partial class Ladder { }

    /// <summary>ReLU6 fused into a conv and a dense layer and as a layer (Clip in ONNX), Swish as a layer (Sigmoid, then Mul).</summary>
    [Input(2, 6, 6)]
    [Conv2D(4, 3, Padding = 1, Activation = Activation.ReLU6)]
    [Swish]
    [Conv2D(3, 3)]
    [ReLU6]
    [Flatten]
    [Dense(5, Activation = Activation.ReLU6)]
    [Swish]
    public partial class SixAndSwish { }

    /// <summary>ReLU6 alone, fused and as a layer (after a pool, where import cannot fuse it): everything ONNX import reads back.</summary>
    [Input(2, 6, 6)]
    [Conv2D(4, 3, Activation = Activation.ReLU6)]
    [MaxPool2D(2)]
    [ReLU6]
    [Flatten]
    [Dense(5, Activation = Activation.ReLU6)]
    public partial class Clipped { }
}
