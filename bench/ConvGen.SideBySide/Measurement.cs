using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// What a fresh process that ran only one workload for one side reported: the mean seconds per call over its first second
    /// and how many calls that second held, the median seconds per call after warm-up, the process's peak working set
    /// (MiB), its start-up: seconds from before the model was built (network construction and weight loading, or
    /// session creation) to the end of the first call, and what the JIT compiled during the first second (NaN seconds
    /// when the child does not say); NaN when it failed.
    /// </summary>
    internal readonly record struct FreshRun(double ColdSeconds, int ColdCalls, double WarmSeconds, double PeakMebibytes, double StartupSeconds, JitWork FirstSecondJit)
    {
        public static readonly FreshRun Failed = new(double.NaN, 0, double.NaN, double.NaN, double.NaN, JitWork.Unknown);

        public bool Succeeded => !double.IsNaN(ColdSeconds);
    }

    /// <summary>
    /// What the JIT compiled in a stretch of time, as the runtime counts it (<see cref="System.Runtime.JitInfo"/>, every thread:
    /// tier-0, OSR, instrumented and tier-1 compilations alike): the seconds spent compiling and the methods compiled.
    /// </summary>
    internal readonly record struct JitWork(double Seconds, long Methods)
    {
        public static readonly JitWork Unknown = new(double.NaN, 0);

        /// <summary>What the JIT has compiled in this process so far.</summary>
        public static JitWork SoFar() => new(System.Runtime.JitInfo.GetCompilationTime().TotalSeconds, System.Runtime.JitInfo.GetCompiledMethodCount());

        public static JitWork operator -(JitWork end, JitWork start) => new(end.Seconds - start.Seconds, end.Methods - start.Methods);
    }

    /// <summary>
    /// How a side is timed in this process, mirroring bench_torch.py. Warm: warm up (so tiered JIT reaches its optimized
    /// code), then call repeatedly for at least the row's seconds and keep every call's time; report the median.
    /// Cold: the mean over the first second of calls, the first call included (run in a fresh process).
    /// </summary>
    internal static class Measurement
    {
        /// <summary>--min-time: seconds timed per measurement (long rows take less, <see cref="Workload.MinSeconds"/>).</summary>
        public static double MinSeconds { get; set; } = 1.5;

        /// <summary>Set by <c>--trace-calls</c> in a cold child: each call of the first second goes to stderr with what the JIT compiled during it.</summary>
        public static bool TraceFirstSecond { get; set; }

        /// <summary>
        /// The median seconds per call: warm-up of at least 3 calls and min(0.5 s, half of <paramref name="minSeconds"/>), then at
        /// least 5 calls and <paramref name="minSeconds"/>.
        /// </summary>
        public static double MedianSeconds(Action call, double minSeconds)
        {
            var warmup = Stopwatch.StartNew();
            for (var i = 0; i < 3 || warmup.Elapsed.TotalSeconds < Math.Min(0.5, minSeconds / 2); i++)
            {
                call();
            }

            var times = new List<double>();
            var total = Stopwatch.StartNew();
            while (total.Elapsed.TotalSeconds < minSeconds || times.Count < 5)
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
        /// first one (a call still running when the second ends counts whole); then, after 0.5 s more of warm-up, the median call
        /// over <paramref name="minSeconds"/> and at least 5 calls — on the same clock and core, so their ratio is the process's own.
        /// With <paramref name="cpuTime"/> the clock is this process's CPU time instead of wall-clock time. Also what the JIT
        /// compiled from just before the first call to the end of that second.
        /// </summary>
        public static (double ColdSeconds, int ColdCalls, double WarmSeconds, JitWork FirstSecondJit) FirstSecondThenWarm(Action call, bool cpuTime, double minSeconds)
        {
            var now = Clock(cpuTime);
            now();
            var jitBefore = JitWork.SoFar();
            var start = now();
            var calls = 0;
            double elapsed;
            do
            {
                if (!TraceFirstSecond)
                {
                    call();
                    calls++;
                    elapsed = now() - start;
                    continue;
                }

                var callStart = now();
                var jitStart = JitWork.SoFar();
                call();
                calls++;
                elapsed = now() - start;
                var callJit = JitWork.SoFar() - jitStart;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"call {calls}: {(elapsed - (callStart - start)) * 1e3:F1} ms, JIT {callJit.Seconds * 1e3:F1} ms ({callJit.Methods} methods)"));
            }
            while (elapsed < 1.0);
            var cold = elapsed / calls;
            var jit = JitWork.SoFar() - jitBefore;

            while (now() - start < 1.5)
            {
                call();
            }

            var times = new List<double>();
            var begin = now();
            while (now() - begin < minSeconds || times.Count < 5)
            {
                var t0 = now();
                call();
                times.Add(now() - t0);
            }

            times.Sort();
            return (cold, calls, times[times.Count / 2], jit);
        }

        /// <summary>Seconds on the cold measurement's clock: the process's CPU time with --cpu-time, else wall-clock time.</summary>
        public static Func<double> Clock(bool cpuTime) =>
            cpuTime ? CpuClock.ProcessSeconds : () => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
    }
}
