using System;
using System.Diagnostics;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>Stopwatch measurement of the FMA peak and the GEMM shapes (best of several runs), for quick tuning.</summary>
    internal static class QuickRun
    {
        public static void Run(string[] args)
        {
            Console.WriteLine($"FMA peak Vector256: {Best(() => FmaPeakBenchmark.Fma256(1.0000001f, 0.9999999f), 2.0 * FmaPeakBenchmark.Iterations * 12 * 8):F1} GFLOP/s");
            if (Simd.Supported >= SimdLevel.Avx512)
            {
                Console.WriteLine($"FMA peak Vector512: {Best(() => FmaPeakBenchmark.Fma512(1.0000001f, 0.9999999f), 2.0 * FmaPeakBenchmark.Iterations * 12 * 16):F1} GFLOP/s");
            }

            var saved = Simd.Level;
            foreach (var level in GemmBenchmark.Levels())
            {
                if (level == SimdLevel.Scalar && Array.IndexOf(args, "scalar") < 0) continue;
                Simd.Level = level;
                foreach (var s in GemmShape.All())
                {
                    var rng = new Random(1);
                    var a = GemmBenchmark.Fill(rng, s.M * s.K);
                    var b = GemmBenchmark.Fill(rng, s.K * s.N);
                    var c = new float[s.M * s.N];
                    double g = Best(() => { Gemm.Multiply(s.TransA, s.TransB, s.M, s.N, s.K, a, s.Lda, b, s.Ldb, c, s.N, s.Accumulate); return 0; }, s.Flops);
                    Console.WriteLine($"{level,-7} {s,-45} {g,7:F1} GFLOP/s");
                }
            }

            Simd.Level = saved;
        }

        private static double Best(Func<float> action, double flops)
        {
            action();
            double best = double.MaxValue;
            var sw = new Stopwatch();
            for (int r = 0; r < 7; r++)
            {
                int reps = 0;
                sw.Restart();
                do
                {
                    action();
                    reps++;
                } while (sw.Elapsed.TotalMilliseconds < 40);

                best = Math.Min(best, sw.Elapsed.TotalSeconds / reps);
            }

            return flops / best / 1e9;
        }
    }
}
