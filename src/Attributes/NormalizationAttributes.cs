namespace ConvGen
{
    /// <summary>Batch normalization over channels (PyTorch's <c>nn.BatchNorm2d</c>).</summary>
    public sealed class BatchNorm2DAttribute : LayerAttribute
    {
        /// <summary>Added to the variance before the square root (default 1e-5).</summary>
        public float Epsilon { get; set; } = 1e-5f;
        /// <summary>Running statistics update: running = (1 − momentum)·running + momentum·batch (default 0.1).</summary>
        public float Momentum { get; set; } = 0.1f;
    }

    /// <summary>Zeroes each element with probability <see cref="Rate"/> during training and scales the rest by 1/(1 − rate).</summary>
    public sealed class DropoutAttribute : LayerAttribute
    {
        /// <summary>Declares dropout with the given drop probability in [0, 1).</summary>
        public DropoutAttribute(float rate = 0.5f) => Rate = rate;

        /// <summary>Probability of dropping an element.</summary>
        public float Rate { get; }
    }
}
