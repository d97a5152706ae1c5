namespace ConvGen.Runtime.Tests
{
    /// <summary>Tests that change the process-wide <c>Simd.Level</c> run one at a time.</summary>
    [CollectionDefinition("Simd", DisableParallelization = true)]
    public sealed class SimdCollection
    {
    }
}
