namespace ConvGen.Kernels
{
    /// <summary>The instruction set kernels use.</summary>
    public enum SimdLevel
    {
        /// <summary>Plain scalar code: the fallback, and the reference the vector paths are tested against.</summary>
        Scalar = 0,
        /// <summary>AVX2 + FMA, 8 floats per vector.</summary>
        Avx2 = 1,
        /// <summary>AVX-512F, 16 floats per vector.</summary>
        Avx512 = 2,
    }
}
