namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// How many output-channel blocks a micro-kernel call computes: two (the full register tile) or one (the last block
    /// of an odd count). A struct type argument, so the JIT compiles each kernel once per count with the unused half removed.
    /// </summary>
    internal interface IBlockPair
    {
        static abstract bool Two { get; }
    }

    /// <summary>One output-channel block.</summary>
    internal readonly struct OneBlock : IBlockPair
    {
        public static bool Two => false;
    }

    /// <summary>Two adjacent output-channel blocks.</summary>
    internal readonly struct TwoBlocks : IBlockPair
    {
        public static bool Two => true;
    }
}
