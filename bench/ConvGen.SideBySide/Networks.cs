namespace ConvGen.SideBySide
{
    /// <summary>The benchmark's LeNet-5, as bench/pytorch/bench_torch.py builds it.</summary>
    [Input(1, 28, 28)]
    [Conv2D(20, 5, Padding = 2, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Conv2D(50, 5, Padding = 2, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Flatten]
    [Dense(500, Activation = Activation.ReLU)]
    [Dense(10)]
    public partial class LeNet5 { }

    /// <summary>One 3×3 conv, 64→64 on 56×56 (a ResNet-18 stage-1 layer).</summary>
    [Input(64, 56, 56)]
    [Conv2D(64, 3, Padding = 1)]
    public partial class Conv64x56 { }

    /// <summary>One 3×3 conv, 128→128 on 28×28 (a ResNet-18 stage-2 layer).</summary>
    [Input(128, 28, 28)]
    [Conv2D(128, 3, Padding = 1)]
    public partial class Conv128x28 { }
}
