using System;
using System.Globalization;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--winograd-residual [calls]</c> and <c>--direct-residual [calls]</c>: a residual block's second conv (3×3, folded
    /// BatchNorm, then Add(block input) and ReLU) with the Add fused into the kernel's epilogue, against the convolution
    /// followed by <see cref="VectorOps.AddActivate"/>, and the convolution with ReLU and no Add for reference — on ResNet-18's
    /// Winograd shapes, or on a narrow ResNet's direct ones; one thread (pin the process with <c>taskset -c 0</c>), the
    /// current SIMD level. The three alternate call by call in rotating order, each call timed alone in thread CPU time
    /// (<see cref="KernelStartup.ThreadSeconds"/>, to the nanosecond: a 2 ms call is too short for
    /// <see cref="QuickRun.Best"/>'s getrusage ticks); best and median of <c>calls</c> calls, µs. Checks that the fused and
    /// unfused results agree before timing.
    /// </summary>
    internal static class ResidualQuickRun
    {
        private static readonly (string Name, ConvolutionShape Shape)[] WinogradCases =
        {
            ("ResNet 64-64 56x56", new ConvolutionShape(64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("ResNet 128-128 28x28", new ConvolutionShape(128, 28, 28, 128, 3, 3, 1, 1, 1, 1, 1, 1)),
        };

        private static readonly (string Name, ConvolutionShape Shape)[] DirectCases =
        {
            ("16-16 32x32", new ConvolutionShape(16, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("32-32 16x16", new ConvolutionShape(32, 16, 16, 32, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("32-32 32x32", new ConvolutionShape(32, 32, 32, 32, 3, 3, 1, 1, 1, 1, 1, 1)),
        };

        /// <summary>A convolution's forward, with its weights set: without a residual, and with one (input, scale, shift, [residual,] activation, output).</summary>
        private sealed record Kernel(Action<float[], float[], float[], Activation, float[]> Plain, Action<float[], float[], float[], float[], Activation, float[]> Fused);

        public static void Winograd(string[] args) => Run(args, 300, WinogradCases, (shape, weights) =>
        {
            var conv = new WinogradConvolution(shape);
            conv.SetWeights(weights);
            return new Kernel((x, a, b, f, y) => conv.Apply(x, a, b, f, y), (x, a, b, r, f, y) => conv.Apply(x, a, b, r, f, y));
        });

        public static void Direct(string[] args) => Run(args, 2000, DirectCases, (shape, weights) =>
        {
            var conv = new DirectConvolution(shape);
            conv.SetWeights(weights);
            return new Kernel((x, a, b, f, y) => conv.Apply(x, a, b, f, y), (x, a, b, r, f, y) => conv.Apply(x, a, b, r, f, y));
        });

        private static void Run(string[] args, int defaultCalls, (string Name, ConvolutionShape Shape)[] cases, Func<ConvolutionShape, float[], Kernel> create)
        {
            var calls = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : defaultCalls;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SIMD {Simd.Level}; {calls} alternating calls each; one thread; thread CPU µs per call, best (median); loadavg {System.IO.File.ReadAllText("/proc/loadavg").Trim()}"));
            Console.WriteLine("| conv | conv + ReLU (no Add) | conv, then AddActivate | fused | unfused ÷ fused (best) | (median) |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var (name, shape) in cases)
            {
                var rng = new Random(42);
                var input = GemmBenchmark.Fill(rng, shape.InputLength);
                var scale = GemmBenchmark.Fill(rng, shape.OutChannels);
                var shift = GemmBenchmark.Fill(rng, shape.OutChannels);
                var residual = GemmBenchmark.Fill(rng, shape.OutputLength);
                var sum = new float[shape.OutputLength];
                var unfused = new float[shape.OutputLength];
                var fused = new float[shape.OutputLength];
                var kernel = create(shape, GemmBenchmark.Fill(rng, shape.WeightLength));

                Action[] variants =
                {
                    () => kernel.Plain(input, scale, shift, Activation.ReLU, sum),
                    () =>
                    {
                        kernel.Plain(input, scale, shift, Activation.None, sum);
                        VectorOps.AddActivate(sum, residual, unfused, Activation.ReLU);
                    },
                    () => kernel.Fused(input, scale, shift, residual, Activation.ReLU, fused),
                };
                var times = Alternate(variants, calls);
                if (!unfused.AsSpan().SequenceEqual(fused))
                {
                    throw new InvalidOperationException($"{name}: the fused and unfused results differ.");
                }

                static double Median(double[] t) => t[t.Length / 2];
                string Cell(double[] t) => string.Create(CultureInfo.InvariantCulture, $"{t[0]:F1} ({Median(t):F1})");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {Cell(times[0])} | {Cell(times[1])} | {Cell(times[2])} | {times[1][0] / times[2][0]:F3}× | {Median(times[1]) / Median(times[2]):F3}× |"));
            }
        }

        /// <summary>
        /// Each variant once to warm up, then <paramref name="calls"/> rounds of every variant, each round starting with
        /// the next one (so none always finds the others' data in cache); each variant's call times, µs, sorted.
        /// </summary>
        private static double[][] Alternate(Action[] variants, int calls)
        {
            var times = new double[variants.Length][];
            for (var v = 0; v < variants.Length; v++)
            {
                variants[v]();
                times[v] = new double[calls];
            }

            for (var call = 0; call < calls; call++)
            {
                for (var turn = 0; turn < variants.Length; turn++)
                {
                    var v = (call + turn) % variants.Length;
                    var start = KernelStartup.ThreadSeconds();
                    variants[v]();
                    times[v][call] = (KernelStartup.ThreadSeconds() - start) * 1e6;
                }
            }

            foreach (var t in times)
            {
                Array.Sort(t);
            }

            return times;
        }
    }
}
