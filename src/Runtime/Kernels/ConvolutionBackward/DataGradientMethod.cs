namespace ConvGen.Kernels.ConvolutionBackward
{
    /// <summary>How <see cref="DataGradient"/> runs its convolution of ∂L/∂y with the flipped, transposed weights.</summary>
    public enum DataGradientMethod
    {
        /// <summary>On <see cref="Convolution.DirectConvolution"/>'s blocked, register-tiled kernels: any kernel size.</summary>
        Direct,

        /// <summary>
        /// By Winograd's F(2×2, 3×3) (<see cref="Winograd.WinogradConvolution"/>): 3×3 kernels only, 16 multiply-adds
        /// per 2×2 tile and channel pair instead of 36.
        /// </summary>
        Winograd,
    }
}
