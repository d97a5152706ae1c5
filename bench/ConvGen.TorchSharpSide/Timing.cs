using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ConvGen.TorchSharpSide
{
    /// <summary>Seconds on the wall clock or of this process's CPU time (--cpu-time, for a busy machine).</summary>
    internal sealed class Clock
    {
        public static readonly Clock Wall = new(() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);

        public static readonly Clock ProcessCpu = new(() =>
        {
            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime.TotalSeconds;
        });

        private readonly Func<double> _now;

        private Clock(Func<double> now) => _now = now;

        public double Now() => _now();
    }

    /// <summary>What a fresh process measured: its first second, its warm median and its start-up (bench_torch.py's --cold).</summary>
    internal readonly record struct FreshTiming(double ColdSeconds, int ColdCalls, double WarmSeconds, double StartupSeconds);

    /// <summary>bench_torch.py's timing rules, so the TorchSharp figures mean what the PyTorch ones do.</summary>
    internal static class Timing
    {
        private const double WarmupSeconds = 0.5;

        /// <summary>Warm up (at least 3 calls and 0.5 s), then time calls for at least <paramref name="minSeconds"/> and 5 calls; the median.</summary>
        public static double MedianSeconds(Action call, double minSeconds)
        {
            var start = Stopwatch.GetTimestamp();
            for (var n = 0; n < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < WarmupSeconds; n++)
            {
                call();
            }

            return Median(TimedCalls(call, Clock.Wall, minSeconds));
        }

        /// <summary>
        /// The mean call over the first second of this process's calls (the first included; a call still running at the end
        /// counts whole), then after 1.5 s from the first call the median over <paramref name="minSeconds"/>, and the
        /// start-up: from <paramref name="setupStart"/> (before the module was loaded) to the end of the first call.
        /// </summary>
        public static FreshTiming Fresh(Action call, Clock clock, double setupStart, double minSeconds)
        {
            var start = clock.Now();
            var firstCallEnd = double.NaN;
            var calls = 0;
            double elapsed;
            do
            {
                call();
                calls++;
                if (calls == 1)
                {
                    firstCallEnd = clock.Now();
                }

                elapsed = clock.Now() - start;
            }
            while (elapsed < 1.0);

            while (clock.Now() - start < 1.5)
            {
                call();
            }

            var warm = Median(TimedCalls(call, clock, minSeconds));
            return new FreshTiming(elapsed / calls, calls, warm, firstCallEnd - setupStart);
        }

        /// <summary>This process's peak resident set (VmHWM), MiB.</summary>
        public static double PeakResidentMebibytes()
        {
            var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return Math.Round(double.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024, 1);
        }

        public static double LoadAverage() =>
            double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

        /// <summary>The Debian 13 packages setup-runtime.sh unpacked beside the host this process runs on.</summary>
        public static string RuntimeVersions()
        {
            var file = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Environment.ProcessPath!)!)!, "versions");
            return File.Exists(file) ? File.ReadAllText(file).Trim() : "versions unknown: not started from setup-runtime.sh's host";
        }

        private static List<double> TimedCalls(Action call, Clock clock, double minSeconds)
        {
            var times = new List<double>();
            var begin = clock.Now();
            while (true)
            {
                var before = clock.Now();
                call();
                var after = clock.Now();
                times.Add(after - before);
                if (after - begin >= minSeconds && times.Count >= 5)
                {
                    return times;
                }
            }
        }

        private static double Median(List<double> times)
        {
            times.Sort();
            var middle = times.Count / 2;
            return times.Count % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
        }
    }
}
