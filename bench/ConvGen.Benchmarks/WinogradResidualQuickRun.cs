using System;
using System.Globalization;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--winograd-residual [calls]</c>: ResNet-18's identity-block second conv (3×3, folded BatchNorm, then
    /// Add(block input) and ReLU) as Winograd F(2×2, 3×3) with the Add fused into its epilogue, against the convolution
    /// followed by <see cref="VectorOps.AddActivate"/>, and the convolution with ReLU and no Add for reference; one thread,
    /// the current SIMD level. The three alternate call by call, in rotating order, each call timed alone in thread CPU time
    /// (clock_gettime, to the nanosecond: a 2 ms call is too short for <see cref="QuickRun.Best"/>'s getrusage ticks);
    /// best and median of <c>calls</c> calls, µs. Checks the fused and unfused results agree before timing.
    /// </summary>
    internal static class WinogradResidualQuickRun
    {
        private static readonly (string Name, ConvolutionShape Shape)[] Cases =
        {
            ("ResNet 64-64 56x56", new ConvolutionShape(64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("ResNet 128-128 28x28", new ConvolutionShape(128, 28, 28, 128, 3, 3, 1, 1, 1, 1, 1, 1)),
        };

        public static void Run(string[] args)
        {
            var calls = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 300;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SIMD {Simd.Level}; {calls} alternating calls each; one thread; thread CPU µs per call, best (median); loadavg {System.IO.File.ReadAllText("/proc/loadavg").Trim()}"));
            Console.WriteLine("| conv | conv + ReLU (no Add) | conv, then AddActivate | fused | unfused ÷ fused (best) |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
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
                var conv = new WinogradConvolution(shape);
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
                var times = new double[variants.Length][];
                for (var v = 0; v < variants.Length; v++)
                {
                    variants[v]();
                    times[v] = new double[calls];
                }

                if (!unfused.AsSpan().SequenceEqual(fused))
                {
                    throw new InvalidOperationException($"{name}: the fused and unfused results differ.");
                }

                for (var call = 0; call < calls; call++)
                {
                    // Each variant in turn goes first, so none always finds the residual left in cache by another.
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

                string Cell(double[] t) => string.Create(CultureInfo.InvariantCulture, $"{t[0]:F0} ({t[t.Length / 2]:F0})");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {Cell(times[0])} | {Cell(times[1])} | {Cell(times[2])} | {times[1][0] / times[2][0]:F3}× |"));
            }
        }
    }
}
