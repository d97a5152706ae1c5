using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels;

namespace ConvGen
{
    /// <summary>Deterministic parameter initialization as PyTorch does it by default.</summary>
    public static class ParameterInitializer
    {
        /// <summary>
        /// PyTorch's default for Conv2d and Linear weights and biases: kaiming-uniform with a = √5, which is
        /// U(−1/√fan_in, 1/√fan_in); the bias uses the same bound. <paramref name="stream"/> separates tensors.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // millions of values at construction: no tier-0 and OSR detour
        public static void FanInUniform(Span<float> values, int fanIn, int seed, int stream)
        {
            if (fanIn <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(fanIn), fanIn, "fan-in must be positive.");
            }

            var bound = 1f / MathF.Sqrt(fanIn);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ((2f * CounterRandom.Uniform((ulong)seed, (ulong)stream, (ulong)i)) - 1f) * bound;
            }
        }
    }
}
