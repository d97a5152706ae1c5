namespace ConvGen
{
    /// <summary>A fully connected layer (PyTorch's <c>nn.Linear</c>): weight [units, in], optional bias.</summary>
    public sealed class DenseAttribute : LayerAttribute
    {
        /// <summary>Declares a dense layer with <paramref name="units"/> outputs.</summary>
        public DenseAttribute(int units) => Units = units;

        /// <summary>Output features.</summary>
        public int Units { get; }
        /// <summary>Whether the layer has a bias (default true).</summary>
        public bool Bias { get; set; } = true;
        /// <summary>Activation applied to the output.</summary>
        public Activation Activation { get; set; }
    }

    /// <summary>Flattens [C,H,W] into C·H·W features in C,H,W order.</summary>
    public sealed class FlattenAttribute : LayerAttribute { }
}
