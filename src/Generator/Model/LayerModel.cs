namespace ConvGen.Generator.Model
{
    /// <summary>One declared layer: what the attribute says, nothing inferred. Shapes come from <see cref="Analysis.ShapeInference"/>.</summary>
    /// <param name="Name">The layer's name (<c>conv1</c>), unique in the network.</param>
    /// <param name="Input">The name of the layer this one reads; null for the network input. Sequential declarations read the previous layer.</param>
    /// <param name="Expect">The declared expected output shape, verbatim, or null.</param>
    internal abstract record LayerModel(string Name, string? Input, string? Expect)
    {
        /// <summary>The kind as users write it: the attribute name without "Attribute".</summary>
        public abstract string Kind { get; }
    }

    internal sealed record Conv2DLayer(
        string Name, string? Input, string? Expect,
        int Filters, int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
        int Padding, PaddingKind PaddingMode, int Dilation, int Groups, bool Bias, ActivationKind Activation)
        : LayerModel(Name, Input, Expect)
    {
        public override string Kind => "Conv2D";
    }

    internal enum PoolKind
    {
        Max,
        Average,
    }

    internal sealed record Pool2DLayer(
        string Name, string? Input, string? Expect, PoolKind Pool, int Size, int Stride, int Padding, bool CeilMode)
        : LayerModel(Name, Input, Expect)
    {
        public override string Kind => Pool == PoolKind.Max ? "MaxPool2D" : "AvgPool2D";
    }

    internal sealed record GlobalAvgPool2DLayer(string Name, string? Input, string? Expect) : LayerModel(Name, Input, Expect)
    {
        public override string Kind => "GlobalAvgPool2D";
    }

    internal sealed record FlattenLayer(string Name, string? Input, string? Expect) : LayerModel(Name, Input, Expect)
    {
        public override string Kind => "Flatten";
    }

    internal sealed record DenseLayer(string Name, string? Input, string? Expect, int Units, bool Bias, ActivationKind Activation)
        : LayerModel(Name, Input, Expect)
    {
        public override string Kind => "Dense";
    }

    internal enum ElementwiseKind
    {
        ReLU,
        LeakyReLU,
        Tanh,
        Sigmoid,
    }

    /// <summary>A standalone element-wise activation layer. <paramref name="Slope"/> is LeakyReLU's negative slope.</summary>
    internal sealed record ActivationLayer(string Name, string? Input, string? Expect, ElementwiseKind Function, float Slope)
        : LayerModel(Name, Input, Expect)
    {
        public override string Kind => Function.ToString();
    }

    internal sealed record SoftmaxLayer(string Name, string? Input, string? Expect) : LayerModel(Name, Input, Expect)
    {
        public override string Kind => "Softmax";
    }

    internal sealed record BatchNorm2DLayer(string Name, string? Input, string? Expect, float Epsilon, float Momentum)
        : LayerModel(Name, Input, Expect)
    {
        public override string Kind => "BatchNorm2D";
    }

    internal sealed record DropoutLayer(string Name, string? Input, string? Expect, float Rate) : LayerModel(Name, Input, Expect)
    {
        public override string Kind => "Dropout";
    }
}
