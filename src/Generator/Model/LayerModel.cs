namespace ConvGen.Generator.Model
{
    /// <summary>One declared layer: what the attribute says, nothing inferred. Shapes come from <see cref="Analysis.ShapeInference"/>.</summary>
    /// <param name="Name">The layer's name (<c>conv1</c>), unique in the network.</param>
    /// <param name="Inputs">
    /// The names of the values this layer reads, in order: earlier layers' names, or <see cref="NetworkInput"/> for the
    /// network input. One name for every layer but <see cref="AddLayer"/> and <see cref="ConcatLayer"/>; a layer declared
    /// after another without <c>From</c> reads that one. Declaration order is a topological order.
    /// </param>
    /// <param name="Expect">The declared expected output shape, verbatim, or null.</param>
    internal abstract record LayerModel(string Name, EquatableArray<string> Inputs, string? Expect)
    {
        /// <summary>The name by which layers read the network input (<c>From = "input"</c>); no layer may take it.</summary>
        public const string NetworkInput = "input";

        /// <summary>The single input a sequential layer reads: <paramref name="previous"/>, or the network input when null.</summary>
        public static EquatableArray<string> Reads(string? previous) => new(new[] { previous ?? NetworkInput });

        /// <summary>The first (for all but merges, the only) value this layer reads.</summary>
        public string Input => Inputs[0];

        /// <summary>The kind as users write it: the attribute name without "Attribute".</summary>
        public abstract string Kind { get; }
    }

    internal sealed record Conv2DLayer(
        string Name, EquatableArray<string> Inputs, string? Expect,
        int Filters, int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
        int Padding, PaddingMode PaddingMode, int Dilation, int Groups, bool Bias, Activation Activation)
        : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => "Conv2D";
    }

    internal enum PoolKind
    {
        Max,
        Average,
    }

    internal sealed record Pool2DLayer(
        string Name, EquatableArray<string> Inputs, string? Expect, PoolKind Pool, int Size, int Stride, int Padding, bool CeilMode)
        : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => Pool == PoolKind.Max ? "MaxPool2D" : "AvgPool2D";
    }

    internal sealed record GlobalAvgPool2DLayer(string Name, EquatableArray<string> Inputs, string? Expect) : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => "GlobalAvgPool2D";
    }

    internal sealed record FlattenLayer(string Name, EquatableArray<string> Inputs, string? Expect) : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => "Flatten";
    }

    internal sealed record DenseLayer(string Name, EquatableArray<string> Inputs, string? Expect, int Units, bool Bias, Activation Activation)
        : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => "Dense";
    }

    /// <summary>
    /// A standalone element-wise activation layer: <paramref name="Function"/> is its kind (<c>ReLU</c>, <c>LeakyReLU</c>,
    /// <c>Swish</c>, ...; see <see cref="Layers.LayerKinds"/>), <paramref name="Slope"/> LeakyReLU's negative slope (0 for the others).
    /// </summary>
    internal sealed record ActivationLayer(string Name, EquatableArray<string> Inputs, string? Expect, string Function, float Slope)
        : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => Function;
    }

    internal sealed record SoftmaxLayer(string Name, EquatableArray<string> Inputs, string? Expect) : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => "Softmax";
    }

    internal sealed record BatchNorm2DLayer(string Name, EquatableArray<string> Inputs, string? Expect, float Epsilon, float Momentum)
        : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => "BatchNorm2D";
    }

    internal sealed record DropoutLayer(string Name, EquatableArray<string> Inputs, string? Expect, float Rate) : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => "Dropout";
    }

    /// <summary>Element-wise sum of <see cref="LayerModel.Inputs"/> (all of one shape), then <paramref name="Activation"/>.</summary>
    internal sealed record AddLayer(string Name, EquatableArray<string> Inputs, string? Expect, Activation Activation)
        : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => "Add";
    }

    /// <summary>Concatenation of <see cref="LayerModel.Inputs"/> along channels (spatial) or features (flat), in order.</summary>
    internal sealed record ConcatLayer(string Name, EquatableArray<string> Inputs, string? Expect) : LayerModel(Name, Inputs, Expect)
    {
        public override string Kind => "Concat";
    }
}
