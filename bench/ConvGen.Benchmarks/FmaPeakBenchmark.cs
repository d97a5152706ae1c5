using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// The machine's single-core FMA ceiling: 12 independent FMA dependency chains (more than latency × pipes on
    /// current cores), nothing else in the loop but the counter. FLOPs per call = Iterations · 12 chains · lanes · 2.
    /// </summary>
    [Config(typeof(KernelConfig))]
    public class FmaPeakBenchmark
    {
        public const int Iterations = 1 << 20;
        private const int Chains = 12;

        private float _x = 1.0000001f;
        private float _y = 0.9999999f;

        [Benchmark(Description = "FMA peak Vector256 (12 chains)")]
        [Flops(2.0 * Iterations * Chains * 8)]
        public float Vector256Peak()
        {
            if (!Fma.IsSupported) return 0;
            return Fma256(_x, _y);
        }

        [Benchmark(Description = "FMA peak Vector512 (12 chains)")]
        [Flops(2.0 * Iterations * Chains * 16)]
        public float Vector512Peak()
        {
            if (!Avx512F.IsSupported) return 0;
            return Fma512(_x, _y);
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static float Fma256(float x, float y)
        {
            var m = Vector256.Create(x);
            var add = Vector256.Create(y);
            Vector256<float> a0 = add, a1 = add, a2 = add, a3 = add, a4 = add, a5 = add;
            Vector256<float> a6 = add, a7 = add, a8 = add, a9 = add, a10 = add, a11 = add;
            for (int i = 0; i < Iterations; i++)
            {
                a0 = Fma.MultiplyAdd(a0, m, add);
                a1 = Fma.MultiplyAdd(a1, m, add);
                a2 = Fma.MultiplyAdd(a2, m, add);
                a3 = Fma.MultiplyAdd(a3, m, add);
                a4 = Fma.MultiplyAdd(a4, m, add);
                a5 = Fma.MultiplyAdd(a5, m, add);
                a6 = Fma.MultiplyAdd(a6, m, add);
                a7 = Fma.MultiplyAdd(a7, m, add);
                a8 = Fma.MultiplyAdd(a8, m, add);
                a9 = Fma.MultiplyAdd(a9, m, add);
                a10 = Fma.MultiplyAdd(a10, m, add);
                a11 = Fma.MultiplyAdd(a11, m, add);
            }

            var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
            return s.ToScalar();
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static float Fma512(float x, float y)
        {
            var m = Vector512.Create(x);
            var add = Vector512.Create(y);
            Vector512<float> a0 = add, a1 = add, a2 = add, a3 = add, a4 = add, a5 = add;
            Vector512<float> a6 = add, a7 = add, a8 = add, a9 = add, a10 = add, a11 = add;
            for (int i = 0; i < Iterations; i++)
            {
                a0 = Avx512F.FusedMultiplyAdd(a0, m, add);
                a1 = Avx512F.FusedMultiplyAdd(a1, m, add);
                a2 = Avx512F.FusedMultiplyAdd(a2, m, add);
                a3 = Avx512F.FusedMultiplyAdd(a3, m, add);
                a4 = Avx512F.FusedMultiplyAdd(a4, m, add);
                a5 = Avx512F.FusedMultiplyAdd(a5, m, add);
                a6 = Avx512F.FusedMultiplyAdd(a6, m, add);
                a7 = Avx512F.FusedMultiplyAdd(a7, m, add);
                a8 = Avx512F.FusedMultiplyAdd(a8, m, add);
                a9 = Avx512F.FusedMultiplyAdd(a9, m, add);
                a10 = Avx512F.FusedMultiplyAdd(a10, m, add);
                a11 = Avx512F.FusedMultiplyAdd(a11, m, add);
            }

            var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
            return s.ToScalar();
        }
    }
}
