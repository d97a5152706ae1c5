namespace ConvGen
{
    /// <summary>max(0, x), element-wise.</summary>
    public sealed class ReLUAttribute : LayerAttribute { }

    /// <summary>min(max(0, x), 6), element-wise (PyTorch's <c>nn.ReLU6</c>).</summary>
    public sealed class ReLU6Attribute : LayerAttribute { }

    /// <summary>
    /// x·σ(x) = x / (1 + e^-x), element-wise (Swish, PyTorch's <c>nn.SiLU</c>). Only a layer: its gradient needs the input,
    /// which a fused <see cref="Activation"/> does not keep.
    /// </summary>
    public sealed class SwishAttribute : LayerAttribute { }

    /// <summary>x for x ≥ 0, slope·x otherwise.</summary>
    public sealed class LeakyReLUAttribute : LayerAttribute
    {
        /// <summary>Declares a leaky ReLU with the given negative slope (PyTorch's default is 0.01).</summary>
        public LeakyReLUAttribute(float slope = 0.01f) => Slope = slope;

        /// <summary>The slope for negative inputs.</summary>
        public float Slope { get; }
    }

    /// <summary>tanh(x), element-wise.</summary>
    public sealed class TanhAttribute : LayerAttribute { }

    /// <summary>1 / (1 + e^-x), element-wise.</summary>
    public sealed class SigmoidAttribute : LayerAttribute { }

    /// <summary>Softmax over all features of a flat input, or over channels at each pixel of a spatial one.</summary>
    public sealed class SoftmaxAttribute : LayerAttribute { }
}
