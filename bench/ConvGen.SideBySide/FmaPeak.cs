using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// Measures one core's FMA peak: ten independent accumulator chains (enough to cover latency × two pipes),
    /// each step one fused multiply-add per lane. FLOPs = 2 × lanes × chains × steps.
    /// The loops are compiled fully optimized on their first call (<see cref="MethodImplOptions.AggressiveOptimization"/>):
    /// under default tiering a long-running loop first runs as tier-0 code and then as its on-stack-replacement variant,
    /// which here reached only ≈ 225 of the 262 GFLOP/s the fully optimized loop does, and would overstate "% of peak".
    /// </summary>
    internal static class FmaPeak
    {
        private const int Steps = 1 << 20;

        public static double Avx2GigaFlops() => 2.0 * 8 * 10 * Steps / FastestSeconds(() => Run256()) / 1e9;

        public static double Avx512GigaFlops() => Vector512.IsHardwareAccelerated
            ? 2.0 * 16 * 10 * Steps / FastestSeconds(() => Run512()) / 1e9
            : double.NaN;

        /// <summary>
        /// The fastest of the calls made in <see cref="Measurement.MinSeconds"/>: a peak is what the core can do, and on a shared
        /// machine the fastest call is the one that had the core to itself (the median would measure the neighbours).
        /// </summary>
        private static double FastestSeconds(Func<float> call)
        {
            var fastest = double.MaxValue;
            var total = Stopwatch.StartNew();
            while (total.Elapsed.TotalSeconds < Measurement.MinSeconds)
            {
                var start = Stopwatch.GetTimestamp();
                call();
                fastest = Math.Min(fastest, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }

            return fastest;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static float Run256()
        {
            var m = Vector256.Create(0.999999f);
            var a = Vector256.Create(1e-7f);
            Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default;
            for (var i = 0; i < Steps; i++)
            {
                c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a);
                c2 = Vector256.FusedMultiplyAdd(c2, m, a); c3 = Vector256.FusedMultiplyAdd(c3, m, a);
                c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
                c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a);
                c8 = Vector256.FusedMultiplyAdd(c8, m, a); c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            }

            return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static float Run512()
        {
            var m = Vector512.Create(0.999999f);
            var a = Vector512.Create(1e-7f);
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default;
            for (var i = 0; i < Steps; i++)
            {
                c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
                c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
                c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
                c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
                c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            }

            return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9);
        }
    }
}
