namespace ConvGen.Tests
{
    /// <summary>Tests that switch <see cref="ConvGen.Kernels.Simd.Level"/> (process-wide) run one at a time.</summary>
    [CollectionDefinition("Simd", DisableParallelization = true)]
    public sealed class SimdCollection
    {
    }
}
