using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// How fast the runtime's kernels are from their first call, for choosing where
    /// <c>[MethodImpl(MethodImplOptions.AggressiveOptimization)]</c> pays (it skips tier-0 and OSR code, and also tiered PGO):
    /// <c>--kernel-startup</c> starts, for each case, fresh processes pinned to core 0 (taskset -c 0) that report either
    /// "cold" — the mean call over the first second of process CPU time, the first call included — or "steady" — the
    /// best call time (thread CPU time) after 2 s of warm-up. CPU time, not wall clock, so that on a shared machine time
    /// slices lost to other processes do not count; it includes the background JIT thread's work.
    /// </summary>
    internal static unsafe class KernelStartup
    {
        private const int ProcessCpuClock = 2; // CLOCK_PROCESS_CPUTIME_ID
        private const int ThreadCpuClock = 3;  // CLOCK_THREAD_CPUTIME_ID

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        /// <summary>The cases: runtime kernels on the shapes generated networks give them.</summary>
        private static readonly Dictionary<string, Func<Action>> Cases = new()
        {
            ["gemm-conv3x3-64x56"] = () => GemmCase(false, false, 64, 3136, 576),
            ["gemm-lenet-conv2"] = () => GemmCase(false, false, 50, 196, 500),
            ["direct-conv3x3-64x56"] = () => ConvCase.All().First().Direct,
            ["direct-lenet-conv2"] = () => ConvCase.All().First(c => c.Name.StartsWith("LeNet conv2", StringComparison.Ordinal)).Direct,
            ["gemm-dense-b1"] = () => GemmCase(false, true, 1, 500, 2450),
            ["gemm-dense-b64"] = () => GemmCase(false, true, 64, 500, 2450),
            ["gemm-dense-weight-grad"] = () => GemmCase(true, false, 500, 2450, 64),
            ["vector-ops"] = VectorCase,
        };

        public static int Run(string[] args)
        {
            if (args.Length == 2 && Cases.TryGetValue(args[1], out var make) && (args[0] is "--cold" or "--steady"))
            {
                var call = make();
                var seconds = args[0] == "--cold" ? FirstSecond(call) : Steady(call);
                Console.WriteLine(seconds.ToString("G17", CultureInfo.InvariantCulture));
                return 0;
            }

            // [repeats] [case ...]
            var repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
            var names = args.Length > 1 ? args.Skip(1).ToArray() : Cases.Keys.ToArray();
            Console.WriteLine($"SIMD {Simd.Level}; median of {repeats} fresh processes each, pinned to core 0; CPU time");
            Console.WriteLine("| case | cold: first-second mean | steady: best call | cold ÷ steady |");
            Console.WriteLine("| --- | --- | --- | --- |");
            foreach (var name in names)
            {
                var cold = Median(Enumerable.Range(0, repeats).Select(_ => Child("--cold", name)));
                var steady = Median(Enumerable.Range(0, repeats).Select(_ => Child("--steady", name)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {cold * 1e6:F1} µs | {steady * 1e6:F1} µs | {cold / steady:F2}× |"));
            }

            return 0;
        }

        private static Action GemmCase(bool transA, bool transB, int m, int n, int k)
        {
            var random = new Random(1);
            var a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
            var b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble()).ToArray();
            var c = new float[m * n];
            return () => Gemm.Multiply(transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n, c, n, accumulate: false);
        }

        // The VectorOps the generated code calls, on a conv1-sized buffer (20 channels of 28×28).
        private static Action VectorCase()
        {
            var random = new Random(1);
            var values = Enumerable.Range(0, 20 * 784).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            var bias = Enumerable.Range(0, values.Length).Select(_ => (float)random.NextDouble()).ToArray();
            var gradient = new float[values.Length];
            var logits = values.AsSpan(0, 10).ToArray();
            var probabilities = new float[10];
            var logitGradient = new float[10];
            return () =>
            {
                VectorOps.AddBiasActivate(values, bias, Activation.ReLU);
                VectorOps.ScaleShiftActivate(values, 0.5f, 0.1f, Activation.ReLU);
                values.CopyTo(gradient, 0);
                VectorOps.ActivationBackward(gradient, values, Activation.ReLU);
                VectorOps.Add(gradient, values);
                VectorOps.Activate(values, gradient, Activation.Tanh);
                VectorOps.Softmax(logits, probabilities);
                VectorOps.SoftmaxBackward(probabilities, probabilities, logitGradient);
                logits[0] = VectorOps.Sum(values) * 1e-9f;
            };
        }

        /// <summary>The calling thread's CPU time, in seconds, to the nanosecond (getrusage's thread time moves in scheduler ticks).</summary>
        internal static double ThreadSeconds() => Now(ThreadCpuClock);

        private static double Now(int clock)
        {
            ClockGetTime(clock, out var time);
            return time.Seconds + time.Nanoseconds * 1e-9;
        }

        private static double FirstSecond(Action call)
        {
            Now(ProcessCpuClock);
            var start = Now(ProcessCpuClock);
            var calls = 0;
            double elapsed;
            do
            {
                call();
                calls++;
                elapsed = Now(ProcessCpuClock) - start;
            }
            while (elapsed < 1.0);
            return elapsed / calls;
        }

        private static double Steady(Action call)
        {
            var warmup = Stopwatch.StartNew();
            while (warmup.Elapsed.TotalSeconds < 2.0)
            {
                call();
            }

            var best = double.MaxValue;
            for (var round = 0; round < 9; round++)
            {
                var start = Now(ThreadCpuClock);
                var calls = 0;
                double elapsed;
                do
                {
                    call();
                    calls++;
                    elapsed = Now(ThreadCpuClock) - start;
                }
                while (elapsed < 0.05);
                best = Math.Min(best, elapsed / calls);
            }

            return best;
        }

        private static double Child(string mode, string name)
        {
            var self = Environment.ProcessPath!;
            var dll = typeof(KernelStartup).Assembly.Location;
            var arguments = self.EndsWith("dotnet", StringComparison.Ordinal) ? $"\"{dll}\" --kernel-startup {mode} {name}" : $"--kernel-startup {mode} {name}";
            var start = new ProcessStartInfo("/usr/bin/taskset", $"-c 0 \"{self}\" {arguments}") { RedirectStandardOutput = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
        }

        private static double Median(IEnumerable<double> values)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            return sorted[sorted.Length / 2];
        }
    }
}
