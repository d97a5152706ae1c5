namespace ConvGen
{
    /// <summary>A 2-D convolution (PyTorch's <c>nn.Conv2d</c>): weight [filters, in/groups, kh, kw], optional bias.</summary>
    public sealed class Conv2DAttribute : LayerAttribute
    {
        /// <summary>Declares a convolution with <paramref name="filters"/> output channels and a square kernel.</summary>
        public Conv2DAttribute(int filters, int kernelSize)
        {
            Filters = filters;
            KernelSize = kernelSize;
        }

        /// <summary>Output channels.</summary>
        public int Filters { get; }
        /// <summary>Kernel height and width, unless <see cref="KernelHeight"/>/<see cref="KernelWidth"/> override them.</summary>
        public int KernelSize { get; }
        /// <summary>Kernel height (default <see cref="KernelSize"/>).</summary>
        public int KernelHeight { get; set; }
        /// <summary>Kernel width (default <see cref="KernelSize"/>).</summary>
        public int KernelWidth { get; set; }
        /// <summary>Stride on both axes (default 1).</summary>
        public int Stride { get; set; } = 1;
        /// <summary>Vertical stride (default <see cref="Stride"/>).</summary>
        public int StrideHeight { get; set; }
        /// <summary>Horizontal stride (default <see cref="Stride"/>).</summary>
        public int StrideWidth { get; set; }
        /// <summary>Symmetric zero padding on every side.</summary>
        public int Padding { get; set; }
        /// <summary>Valid or Same padding instead of an explicit amount.</summary>
        public PaddingMode PaddingMode { get; set; }
        /// <summary>Dilation of the kernel taps (default 1).</summary>
        public int Dilation { get; set; } = 1;
        /// <summary>Grouped convolution: input and output channels are split into this many groups (default 1).</summary>
        public int Groups { get; set; } = 1;
        /// <summary>Whether the layer has a bias (default true).</summary>
        public bool Bias { get; set; } = true;
        /// <summary>Activation applied to the output.</summary>
        public Activation Activation { get; set; }
    }
}
