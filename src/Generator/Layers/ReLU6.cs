namespace ConvGen.Generator.Layers
{
    /// <summary><c>[ReLU6]</c>: min(max(0, x), 6), element-wise (PyTorch's <c>nn.ReLU6</c>); fusable as <c>Activation.ReLU6</c>.</summary>
    internal sealed class ReLU6Kind : FusableActivationKind
    {
        public static readonly ReLU6Kind Instance = new();

        private ReLU6Kind()
            : base(nameof(ReLU6Attribute), Activation.ReLU6)
        {
        }

        /// <summary>relu6_1, relu6_2: "relu61" would read as a count.</summary>
        public override string DefaultStem => "relu6_";
    }
}
