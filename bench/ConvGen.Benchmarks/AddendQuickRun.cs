using System;
using System.Globalization;
using System.Linq;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--addend [rounds]</c>: ResNet-18's downsampling shortcuts (1×1 stride-2 conv, folded BatchNorm, the residual Add
    /// and ReLU) as a product with A packed ahead, C[outCh × pixels] = W · X: the Add fused into the product's epilogue
    /// (one call with the addend) against the product with its epilogue followed by the Add layer's
    /// <see cref="VectorOps.AddActivate"/> over the whole output into a separate buffer. One thread, the current SIMD level,
    /// best of <c>rounds</c> alternations of <see cref="QuickRun.Best"/> (thread CPU time); each case first checks that both
    /// ways give bit-identical outputs.
    /// </summary>
    internal static class AddendQuickRun
    {
        private static readonly (string Name, int M, int N, int K)[] Cases =
        [
            ("layer2 shortcut 64-128 28x28", 128, 784, 64),
            ("layer3 shortcut 128-256 14x14", 256, 196, 128),
            ("layer4 shortcut 256-512 7x7", 512, 49, 256),
        ];

        public static void Run(string[] args)
        {
            var rounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 5;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Simd.Level}, one thread, best of {rounds} alternating rounds, µs per call; load average before: {GemmQuickRun.LoadAverage()}"));
            Console.WriteLine("| shortcut | m×n×k | product, then AddActivate | addend fused | unfused ÷ fused |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            foreach (var (name, m, n, k) in Cases)
            {
                var rng = new Random(1);
                var weights = new PackedMatrix(m, k);
                weights.SetValues(GemmBenchmark.Fill(rng, m * k));
                var input = GemmBenchmark.Fill(rng, k * n);
                var scale = GemmBenchmark.Fill(rng, m);
                var shift = GemmBenchmark.Fill(rng, m);
                var other = GemmBenchmark.Fill(rng, m * n);
                var convOut = new float[m * n];
                var unfused = new float[m * n];
                var fused = new float[m * n];

                void Unfused()
                {
                    Gemm.Multiply(weights, n, input, n, convOut, n, scale, shift, Activation.None);
                    VectorOps.AddActivate(convOut, other, unfused, Activation.ReLU);
                }

                void Fused() => Gemm.Multiply(weights, n, input, n, fused, n, scale, shift, other, Activation.ReLU);

                Unfused();
                Fused();
                if (!unfused.AsSpan().SequenceEqual(fused))
                {
                    throw new InvalidOperationException($"{name}: the fused and unfused outputs differ.");
                }

                double flops = 2.0 * m * n * k, before = 0, after = 0;
                for (var round = 0; round < rounds; round++)
                {
                    before = Math.Max(before, QuickRun.Best(() => { Unfused(); return 0; }, flops));
                    after = Math.Max(after, QuickRun.Best(() => { Fused(); return 0; }, flops));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {m}×{n}×{k} | {Microseconds(flops, before):F1} | {Microseconds(flops, after):F1} | {after / before:F2}× |"));
            }

            Console.WriteLine($"load average after: {GemmQuickRun.LoadAverage()}");
        }

        /// <summary>Time per call from the rate <see cref="QuickRun.Best"/> reports.</summary>
        private static double Microseconds(double flops, double gigaflops) => flops / (gigaflops * 1e3);
    }
}
