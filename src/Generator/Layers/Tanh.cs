namespace ConvGen.Generator.Layers
{
    /// <summary><c>[Tanh]</c>: tanh(x), element-wise (PyTorch's <c>nn.Tanh</c>); fusable as <c>Activation.Tanh</c>.</summary>
    internal sealed class TanhKind : FusableActivationKind
    {
        public static readonly TanhKind Instance = new();

        private TanhKind()
            : base(nameof(TanhAttribute), Activation.Tanh)
        {
        }
    }
}
