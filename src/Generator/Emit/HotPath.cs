namespace ConvGen.Generator.Emit
{
    /// <summary>What a generated step method's own body does, which decides how the JIT compiles it (see <see cref="HotPath"/>).</summary>
    internal enum StepBody
    {
        /// <summary>Loops over activations itself (pooling windows, im2col gathers, BatchNorm, activation bodies): compiled fully optimized on its first call.</summary>
        ElementLoops,

        /// <summary>
        /// Only hands each sample (or channel, or unit range) to runtime kernels — GEMM, the direct and Winograd
        /// convolutions, <c>VectorOps</c>, span copies — which are fully optimized themselves: left to tiered compilation.
        /// </summary>
        KernelCalls,
    }

    /// <summary>
    /// How step methods are compiled. A body that loops over activations gets <see cref="Attribute"/> (AggressiveOptimization):
    /// compiled fully optimized on its first call, so a fresh process does not spend its first seconds in tier-0 or OSR
    /// code (docs/performance.md, cold start). A body that only calls kernels (<see cref="StepBody.KernelCalls"/>) does not:
    /// its tier-0 code costs nothing measurable next to the kernels it calls, and tier-0 compilation is several times
    /// cheaper than full optimization, which is most of a large network's first call — GoogLeNet's 57 convolution steps
    /// compiled fully optimized took ≈ 90 ms of its first inference's ≈ 290 ms of start-up work (first call minus a warm
    /// call, process CPU time, one core, the two variants alternated). Tiered compilation recompiles those methods at tier 1
    /// after 30 calls.
    /// </summary>
    internal static class HotPath
    {
        public const string Attribute =
            "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";
    }
}
