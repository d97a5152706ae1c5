using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace ConvGen.SideBySide
{
    /// <summary>Seconds per call in a fresh process: over its first second, and warm (median) afterwards; NaN when it failed.</summary>
    internal readonly record struct ColdAndWarm(double Cold, double Warm)
    {
        public static readonly ColdAndWarm Failed = new(double.NaN, double.NaN);
    }

    /// <summary>
    /// How a side is timed in this process, mirroring bench_torch.py. Warm: warm up (so tiered JIT reaches its optimized
    /// code), then call repeatedly for at least <see cref="MinSeconds"/> and keep every call's time; report the median.
    /// Cold: the mean over the first second of calls, the first call included (run in a fresh process).
    /// </summary>
    internal static class Measurement
    {
        public static double MinSeconds { get; set; } = 1.5;

        /// <summary>The median seconds per call, after warm-up.</summary>
        public static double MedianSeconds(Action call)
        {
            var warmup = Stopwatch.StartNew();
            for (var i = 0; i < 10 || warmup.Elapsed.TotalSeconds < Math.Min(0.5, MinSeconds / 2); i++)
            {
                call();
            }

            var times = new List<double>();
            var total = Stopwatch.StartNew();
            while (total.Elapsed.TotalSeconds < MinSeconds || times.Count < 10)
            {
                var start = Stopwatch.GetTimestamp();
                call();
                times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }

            times.Sort();
            return times[times.Count / 2];
        }

        /// <summary>
        /// Cold and warm in one fresh process: the mean seconds per call over the first second of calls, starting with the very
        /// first one; then, after 0.5 s more of warm-up, the median call over <see cref="MinSeconds"/> — on the same clock and core,
        /// so their ratio is the process's own. With <paramref name="cpuTime"/> the clock is this process's CPU time instead of
        /// wall-clock time.
        /// </summary>
        public static ColdAndWarm FirstSecondThenWarm(Action call, bool cpuTime)
        {
            Func<double> now = cpuTime ? CpuClock.ProcessSeconds : () => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
            now();
            var start = now();
            var calls = 0;
            double elapsed;
            do
            {
                call();
                calls++;
                elapsed = now() - start;
            }
            while (elapsed < 1.0);
            var cold = elapsed / calls;

            while (now() - start < 1.5)
            {
                call();
            }

            var times = new List<double>();
            var begin = now();
            while (now() - begin < MinSeconds || times.Count < 10)
            {
                var t0 = now();
                call();
                times.Add(now() - t0);
            }

            times.Sort();
            return new ColdAndWarm(cold, times[times.Count / 2]);
        }
    }
}
