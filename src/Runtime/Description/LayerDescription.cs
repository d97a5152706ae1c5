using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen
{
    /// <summary>
    /// One layer of a <see cref="NetworkDescription"/> in inference form: its name, the values it reads (earlier layers' names, or
    /// <see cref="NetworkDescription.InputName"/>), its output shape ([C, H, W], or [features] for flat values) and its options.
    /// </summary>
    public abstract record LayerDescription(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape)
    {
        /// <summary>The kind as users write the attribute: <c>Conv2D</c>, <c>Dense</c>, <c>Add</c>, ...</summary>
        public abstract string Kind { get; }

        /// <summary>The names of the layer's trainable parameters, in the network's order (<c>conv1.weight</c>, <c>conv1.bias</c>).</summary>
        public virtual IReadOnlyList<string> ParameterNames => Array.Empty<string>();

        /// <summary>The names of the layer's non-trainable buffers (BatchNorm's running statistics).</summary>
        public virtual IReadOnlyList<string> BufferNames => Array.Empty<string>();

        /// <summary><see cref="ParameterNames"/>, then <see cref="BufferNames"/>.</summary>
        public IEnumerable<string> TensorNames => ParameterNames.Concat(BufferNames);

        /// <summary>Whether the output is spatial ([C, H, W]) rather than flat.</summary>
        public bool IsSpatial => OutputShape.Count == 3;
    }

    /// <summary>Zero padding on each side of a convolution's input; Same padding is stored resolved (the odd pixel at bottom/right).</summary>
    public readonly record struct Padding2D(int Top, int Left, int Bottom, int Right)
    {
        /// <summary>The same amount on every side.</summary>
        public static Padding2D Uniform(int padding) => new(padding, padding, padding, padding);

        /// <summary>Whether every side has the same amount.</summary>
        public bool IsUniform => Top == Left && Top == Bottom && Top == Right;
    }

    /// <summary>A 2-D convolution (<c>[Conv2D]</c>), with its fused activation.</summary>
    public sealed record ConvDescription(
        string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape,
        int Filters, int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
        Padding2D Padding, int Dilation, int Groups, bool Bias, Activation Activation)
        : LayerDescription(Name, Inputs, OutputShape)
    {
        /// <inheritdoc />
        public override string Kind => "Conv2D";

        /// <inheritdoc />
        public override IReadOnlyList<string> ParameterNames => Bias ? new[] { Name + ".weight", Name + ".bias" } : new[] { Name + ".weight" };
    }

    /// <summary>Batch normalization over channels (<c>[BatchNorm2D]</c>); at inference it uses the running statistics.</summary>
    public sealed record BatchNormDescription(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape, float Epsilon, float Momentum)
        : LayerDescription(Name, Inputs, OutputShape)
    {
        /// <inheritdoc />
        public override string Kind => "BatchNorm2D";

        /// <inheritdoc />
        public override IReadOnlyList<string> ParameterNames => new[] { Name + ".weight", Name + ".bias" };

        /// <inheritdoc />
        public override IReadOnlyList<string> BufferNames => new[] { Name + ".running_mean", Name + ".running_var" };
    }

    /// <summary>Which reduction a pooling layer applies.</summary>
    public enum PoolFunction
    {
        /// <summary>The largest value of the window (padding never wins).</summary>
        Max,

        /// <summary>The mean of the window, padding counted as zeros.</summary>
        Average,
    }

    /// <summary>Square-window pooling (<c>[MaxPool2D]</c>, <c>[AvgPool2D]</c>).</summary>
    public sealed record PoolDescription(
        string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape, PoolFunction Function, int Size, int Stride, int Padding, bool CeilMode)
        : LayerDescription(Name, Inputs, OutputShape)
    {
        /// <inheritdoc />
        public override string Kind => Function == PoolFunction.Max ? "MaxPool2D" : "AvgPool2D";
    }

    /// <summary>Each channel averaged over its plane (<c>[GlobalAvgPool2D]</c>): [C, H, W] → [C, 1, 1].</summary>
    public sealed record GlobalAvgPoolDescription(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape)
        : LayerDescription(Name, Inputs, OutputShape)
    {
        /// <inheritdoc />
        public override string Kind => "GlobalAvgPool2D";
    }

    /// <summary>[C, H, W] read as C·H·W features (<c>[Flatten]</c>).</summary>
    public sealed record FlattenDescription(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape)
        : LayerDescription(Name, Inputs, OutputShape)
    {
        /// <inheritdoc />
        public override string Kind => "Flatten";
    }

    /// <summary>A fully connected layer (<c>[Dense]</c>), with its fused activation.</summary>
    public sealed record DenseDescription(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape, int Units, bool Bias, Activation Activation)
        : LayerDescription(Name, Inputs, OutputShape)
    {
        /// <inheritdoc />
        public override string Kind => "Dense";

        /// <inheritdoc />
        public override IReadOnlyList<string> ParameterNames => Bias ? new[] { Name + ".weight", Name + ".bias" } : new[] { Name + ".weight" };
    }

    /// <summary>The function of a standalone activation layer.</summary>
    public enum ActivationFunction
    {
        /// <summary>max(0, x).</summary>
        ReLU,

        /// <summary>x for x ≥ 0, slope·x otherwise.</summary>
        LeakyReLU,

        /// <summary>tanh(x).</summary>
        Tanh,

        /// <summary>1 / (1 + e^-x).</summary>
        Sigmoid,

        /// <summary>Softmax over features, or over channels at each pixel.</summary>
        Softmax,

        /// <summary>min(max(0, x), 6).</summary>
        ReLU6,

        /// <summary>x·σ(x) (PyTorch's SiLU).</summary>
        Swish,
    }

    /// <summary>A standalone activation layer (<c>[ReLU]</c>, <c>[LeakyReLU]</c>, <c>[Tanh]</c>, <c>[Sigmoid]</c>, <c>[Softmax]</c>, <c>[ReLU6]</c>, <c>[Swish]</c>); <paramref name="Slope"/> is LeakyReLU's.</summary>
    public sealed record ActivationDescription(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape, ActivationFunction Function, float Slope = 0)
        : LayerDescription(Name, Inputs, OutputShape)
    {
        /// <inheritdoc />
        public override string Kind => Function.ToString();
    }

    /// <summary>Dropout (<c>[Dropout]</c>): the identity at inference.</summary>
    public sealed record DropoutDescription(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape, float Rate)
        : LayerDescription(Name, Inputs, OutputShape)
    {
        /// <inheritdoc />
        public override string Kind => "Dropout";
    }

    /// <summary>The element-wise sum of its inputs (<c>[Add]</c>), then its activation.</summary>
    public sealed record AddDescription(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape, Activation Activation)
        : LayerDescription(Name, Inputs, OutputShape)
    {
        /// <inheritdoc />
        public override string Kind => "Add";
    }

    /// <summary>Its inputs stacked along channels (spatial) or features (flat), in order (<c>[Concat]</c>).</summary>
    public sealed record ConcatDescription(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<int> OutputShape)
        : LayerDescription(Name, Inputs, OutputShape)
    {
        /// <inheritdoc />
        public override string Kind => "Concat";
    }
}
