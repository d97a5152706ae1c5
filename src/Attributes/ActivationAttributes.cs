namespace ConvGen
{
    /// <summary>max(0, x), element-wise.</summary>
    public sealed class ReLUAttribute : LayerAttribute { }

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
