namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// Whether neighbouring output pixels read neighbouring input pixels (stride 1), as a struct type argument: then the
    /// distance between their inputs is one block, a constant the JIT folds into the broadcasts' addresses; otherwise
    /// it is read at run time.
    /// </summary>
    internal interface IPixelStep
    {
        static abstract bool Unit { get; }
    }

    /// <summary>Stride 1: the inputs of neighbouring pixels are one block apart.</summary>
    internal readonly struct UnitStride : IPixelStep
    {
        public static bool Unit => true;
    }

    /// <summary>Any other stride: the step is a run-time value.</summary>
    internal readonly struct AnyStride : IPixelStep
    {
        public static bool Unit => false;
    }
}
