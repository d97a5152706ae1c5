namespace ConvGen.Generator.Layers
{
    /// <summary><c>[ReLU]</c>: max(0, x), element-wise (PyTorch's <c>nn.ReLU</c>); fusable as <c>Activation.ReLU</c>.</summary>
    internal sealed class ReLUKind : FusableActivationKind
    {
        public static readonly ReLUKind Instance = new();

        private ReLUKind()
            : base(nameof(ReLUAttribute), Activation.ReLU)
        {
        }
    }
}
