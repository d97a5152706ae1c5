namespace ConvGen
{
    /// <summary>Options shared by max and average pooling.</summary>
    public abstract class Pool2DAttribute : LayerAttribute
    {
        /// <summary>Declares a square pooling window.</summary>
        protected Pool2DAttribute(int size) => Size = size;

        /// <summary>Window height and width.</summary>
        public int Size { get; }
        /// <summary>Stride (default: the window size).</summary>
        public int Stride { get; set; }
        /// <summary>Implicit padding on every side.</summary>
        public int Padding { get; set; }
        /// <summary>Use ceil instead of floor when computing the output size (PyTorch's <c>ceil_mode</c>).</summary>
        public bool CeilMode { get; set; }
    }

    /// <summary>Max pooling (PyTorch's <c>nn.MaxPool2d</c>).</summary>
    public sealed class MaxPool2DAttribute : Pool2DAttribute
    {
        /// <summary>Declares max pooling over a <paramref name="size"/>×<paramref name="size"/> window.</summary>
        public MaxPool2DAttribute(int size) : base(size) { }
    }

    /// <summary>Average pooling (PyTorch's <c>nn.AvgPool2d</c>, <c>count_include_pad=True</c>).</summary>
    public sealed class AvgPool2DAttribute : Pool2DAttribute
    {
        /// <summary>Declares average pooling over a <paramref name="size"/>×<paramref name="size"/> window.</summary>
        public AvgPool2DAttribute(int size) : base(size) { }
    }

    /// <summary>Averages each channel over its whole plane: [C,H,W] → [C,1,1].</summary>
    public sealed class GlobalAvgPool2DAttribute : LayerAttribute { }
}
