using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// How the ConvGen side is timed, mirroring bench_torch.py: warm up (so tiered JIT reaches its optimized code),
    /// then call repeatedly for at least <see cref="MinSeconds"/> and keep every call's time; report the median.
    /// </summary>
    internal static class Measurement
    {
        public static double MinSeconds { get; set; } = 1.5;

        /// <summary>The median seconds per call.</summary>
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
    }
}
