namespace ConvGen.Samples.Filters
{
    /// <summary>A named fixed 3×3 image-processing kernel.</summary>
    /// <param name="Name">What it is called.</param>
    /// <param name="Weights">Its nine weights, row by row (applied as cross-correlation, as convolution layers do).</param>
    public sealed record ClassicKernel(string Name, float[] Weights)
    {
        /// <summary>The classic kernels, in the order of <see cref="FilterBank"/>'s output channels.</summary>
        public static readonly ClassicKernel[] All =
        [
            new("Identity", [0, 0, 0, 0, 1, 0, 0, 0, 0]),
            new("Edge detection (diagonal)", [1, 0, -1, 0, 0, 0, -1, 0, 1]),
            new("Edge detection (Laplacian)", [0, 1, 0, 1, -4, 1, 0, 1, 0]),
            new("Edge detection (all directions)", [-1, -1, -1, -1, 8, -1, -1, -1, -1]),
            new("Sharpen", [0, -1, 0, -1, 5, -1, 0, -1, 0]),
            new("Box blur", [1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f]),
            new("Gaussian blur 3×3", [1 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 4 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 1 / 16f]),
            new("Sobel vertical edges", [-1, 0, 1, -2, 0, 2, -1, 0, 1]),
            new("Sobel horizontal edges", [-1, -2, -1, 0, 0, 0, 1, 2, 1]),
        ];
    }
}
