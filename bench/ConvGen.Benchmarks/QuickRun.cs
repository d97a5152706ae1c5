using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// Quick measurement of the FMA peak and the GEMM shapes (best of several runs), for tuning. On Linux the time is
    /// the calling thread's CPU time (getrusage RUSAGE_THREAD), which leaves out time slices lost to other processes on
    /// a shared machine; elsewhere it is wall-clock time.
    /// </summary>
    internal static unsafe class QuickRun
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct RUsage
        {
            public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
            public fixed long Rest[14];
        }

        [DllImport("libc", EntryPoint = "getrusage")]
        private static extern int GetRUsage(int who, out RUsage usage);

        private static readonly bool s_threadTime = OperatingSystem.IsLinux() && TryThreadTime(out _);

        private static bool TryThreadTime(out double seconds)
        {
            seconds = 0;
            try
            {
                if (GetRUsage(1 /* RUSAGE_THREAD */, out var u) != 0) return false;
                seconds = u.UserSeconds + u.SystemSeconds + (u.UserMicroseconds + u.SystemMicroseconds) * 1e-6;
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private static double Now()
        {
            if (s_threadTime && TryThreadTime(out double t)) return t;
            return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        }

        public static void Run(string[] args)
        {
            Console.WriteLine(s_threadTime ? "(timing: thread CPU time)" : "(timing: wall clock)");
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

        internal static double Best(Func<float> action, double flops)
        {
            action();
            double best = double.MaxValue;
            for (int r = 0; r < 9; r++)
            {
                int reps = 0;
                double start = Now(), elapsed;
                do
                {
                    action();
                    reps++;
                    elapsed = Now() - start;
                } while (elapsed < 0.05);

                best = Math.Min(best, elapsed / reps);
            }

            return flops / best / 1e9;
        }
    }
}
