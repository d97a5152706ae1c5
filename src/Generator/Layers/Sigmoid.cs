namespace ConvGen.Generator.Layers
{
    /// <summary><c>[Sigmoid]</c>: 1 / (1 + e^−x), element-wise (PyTorch's <c>nn.Sigmoid</c>); fusable as <c>Activation.Sigmoid</c>.</summary>
    internal sealed class SigmoidKind : FusableActivationKind
    {
        public static readonly SigmoidKind Instance = new();

        private SigmoidKind()
            : base(nameof(SigmoidAttribute), Activation.Sigmoid)
        {
        }
    }
}
