namespace ConvGen
{
    /// <summary>An activation fused into the end of a <see cref="Conv2DAttribute"/> or <see cref="DenseAttribute"/> layer.</summary>
    public enum Activation
    {
        /// <summary>No activation: the layer's output is its affine result.</summary>
        None = 0,
        /// <summary>max(0, x).</summary>
        ReLU = 1,
        /// <summary>tanh(x).</summary>
        Tanh = 2,
        /// <summary>1 / (1 + e^-x).</summary>
        Sigmoid = 3,
        /// <summary>Softmax over the layer's outputs (Dense only).</summary>
        Softmax = 4,
        /// <summary>min(max(0, x), 6).</summary>
        ReLU6 = 5,
    }
}
