using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace ConvGen.SideBySide
{
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
        /// The mean seconds per call over the first second of calls, starting with the very first one; with
        /// <paramref name="cpuTime"/> the second and the calls are measured in this process's CPU time instead of wall-clock time.
        /// </summary>
        public static double FirstSecondMeanSeconds(Action call, bool cpuTime)
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
            return elapsed / calls;
        }
    }
}
