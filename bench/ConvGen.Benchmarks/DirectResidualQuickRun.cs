using System;
using System.Globalization;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--direct-residual [calls]</c>: a narrow ResNet's identity-block second conv (3×3, folded BatchNorm, then
    /// Add(block input) and ReLU) as the direct convolution with the Add fused into its stores, against the convolution
    /// followed by <see cref="VectorOps.AddActivate"/>, and the convolution with ReLU and no Add for reference; one thread,
    /// the current SIMD level (pin the process with <c>taskset -c 0</c>). The three alternate call by call in rotating
    /// order, each call timed alone in thread CPU time (<see cref="KernelStartup.ThreadSeconds"/>); best and median of
    /// <c>calls</c> calls, µs. Checks the fused and unfused results agree before timing.
    /// </summary>
    internal static class DirectResidualQuickRun
    {
        private static readonly (string Name, ConvolutionShape Shape)[] Cases =
        {
            ("16-16 32x32", new ConvolutionShape(16, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("32-32 16x16", new ConvolutionShape(32, 16, 16, 32, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("32-32 32x32", new ConvolutionShape(32, 32, 32, 32, 3, 3, 1, 1, 1, 1, 1, 1)),
        };

        public static void Run(string[] args)
        {
            var calls = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 2000;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SIMD {Simd.Level}; {calls} alternating calls each; one thread; thread CPU µs per call, best (median); loadavg {System.IO.File.ReadAllText("/proc/loadavg").Trim()}"));
            Console.WriteLine("| conv | conv + ReLU (no Add) | conv, then AddActivate | fused | unfused ÷ fused (best) | (median) |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var (name, shape) in Cases)
            {
                var rng = new Random(42);
                var input = GemmBenchmark.Fill(rng, shape.InputLength);
                var scale = GemmBenchmark.Fill(rng, shape.OutChannels);
                var shift = GemmBenchmark.Fill(rng, shape.OutChannels);
                var residual = GemmBenchmark.Fill(rng, shape.OutputLength);
                var sum = new float[shape.OutputLength];
                var unfused = new float[shape.OutputLength];
                var fused = new float[shape.OutputLength];
                var conv = new DirectConvolution(shape);
                conv.SetWeights(GemmBenchmark.Fill(rng, shape.WeightLength));

                Action[] variants =
                {
                    () => conv.Apply(input, scale, shift, Activation.ReLU, sum),
                    () =>
                    {
                        conv.Apply(input, scale, shift, Activation.None, sum);
                        VectorOps.AddActivate(sum, residual, unfused, Activation.ReLU);
                    },
                    () => conv.Apply(input, scale, shift, residual, Activation.ReLU, fused),
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
