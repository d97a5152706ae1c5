using System;
using System.Globalization;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--winograd-residual [rounds]</c>: ResNet-18's identity-block second conv (3×3, folded BatchNorm, then
    /// Add(block input) and ReLU) as Winograd F(2×2, 3×3) with the Add fused into its epilogue, against the convolution
    /// followed by <see cref="VectorOps.AddActivate"/>, and the convolution with ReLU and no Add for reference; one thread,
    /// the current SIMD level, best of <c>rounds</c> alternations of <see cref="QuickRun.Best"/> (thread CPU time), µs per
    /// call. Checks the fused and unfused results agree before timing.
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
            var rounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 5;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SIMD {Simd.Level}; best of {rounds} alternating rounds; one thread; thread CPU µs per call; loadavg {System.IO.File.ReadAllText("/proc/loadavg").Trim()}"));
            Console.WriteLine("| conv | conv + ReLU (no Add) | conv, then AddActivate | fused | unfused ÷ fused |");
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

                float Alone() { conv.Apply(input, scale, shift, Activation.ReLU, sum); return sum[0]; }
                float Unfused() { conv.Apply(input, scale, shift, Activation.None, sum); VectorOps.AddActivate(sum, residual, unfused, Activation.ReLU); return unfused[0]; }
                float Fused() { conv.Apply(input, scale, shift, residual, Activation.ReLU, fused); return fused[0]; }

                Unfused();
                Fused();
                if (!unfused.AsSpan().SequenceEqual(fused))
                {
                    throw new InvalidOperationException($"{name}: the fused and unfused results differ.");
                }

                double alone = double.MaxValue, separate = double.MaxValue, together = double.MaxValue;
                for (var round = 0; round < rounds; round++)
                {
                    alone = Math.Min(alone, Microseconds(Alone));
                    separate = Math.Min(separate, Microseconds(Unfused));
                    together = Math.Min(together, Microseconds(Fused));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {alone:F0} | {separate:F0} | {together:F0} | {separate / together:F3}× |"));
            }
        }

        /// <summary>The best time of one call: <see cref="QuickRun.Best"/> counting one "flop" per call gives 10⁻⁹ calls per second.</summary>
        private static double Microseconds(Func<float> call) => 1e-3 / QuickRun.Best(call, 1);
    }
}
