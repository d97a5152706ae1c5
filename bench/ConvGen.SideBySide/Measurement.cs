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

        /// <summary>The mean seconds per call over the first second of calls, starting with the very first one.</summary>
        public static double FirstSecondMeanSeconds(Action call)
        {
            var clock = Stopwatch.StartNew();
            var calls = 0;
            do
            {
                call();
                calls++;
            }
            while (clock.Elapsed.TotalSeconds < 1.0);
            return clock.Elapsed.TotalSeconds / calls;
        }
    }
}
