using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--dense [rounds] [name …]</c>: a Dense layer's forward (<see cref="DenseForward"/>, one part, one thread) at
    /// batch sizes 1 to 64, y = x·Wᵀ on the plain weights (before) against yᵀ = W·xᵀ on weights packed ahead (after),
    /// measured alternately in one process: best of <c>rounds</c> alternations of <see cref="QuickRun.Best"/> (thread CPU
    /// time) on the current SIMD level. Each case first checks that both ways give bit-identical outputs (at batch 1, within 10⁻⁵: the plain weights then take the
    /// GEMM's matrix-vector path, which sums in another order).
    /// </summary>
    /// <remarks>
    /// The switch is <see cref="DenseForward"/>'s internal <c>PackedMinimumBatch</c>, reached by reflection: the benchmarks
    /// see only the runtime's public API.
    /// </remarks>
    internal static class DenseQuickRun
    {
        private static readonly (string Name, int Units, int Inputs, Activation Activation)[] Cases =
        [
            ("lenet5 dense1 2450-500", 500, 2450, Activation.ReLU),
            ("lenet5 dense2 500-10", 10, 500, Activation.None),
            ("googlenet fc 1024-1000", 1000, 1024, Activation.None),
            ("resnet18 fc 512-1000", 1000, 512, Activation.None),
            ("vgg/alexnet fc3 4096-1000", 1000, 4096, Activation.None),
        ];

        private static readonly int[] Batches = [1, 2, 4, 8, 12, 16, 32, 64];

        public static void Run(string[] args)
        {
            var hasRounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            var rounds = hasRounds ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
            var filters = args.Skip(hasRounds ? 1 : 0).ToArray();
            var minimum = typeof(DenseForward).GetProperty("PackedMinimumBatch", BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new InvalidOperationException("DenseForward has no internal PackedMinimumBatch setting to compare the two ways with.");
            var saved = minimum.GetValue(null)!;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Simd.Level}, one thread, best of {rounds} alternating rounds; load average before: {GemmQuickRun.LoadAverage()}"));
            Console.WriteLine("| layer | batch | x·Wᵀ plain GFLOP/s | W·xᵀ packed GFLOP/s | packed ÷ plain |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            try
            {
                foreach (var (name, units, inputs, activation) in Cases.Where(c => filters.Length == 0 || filters.Any(f => c.Name.Contains(f, StringComparison.Ordinal))))
                {
                    var rng = new Random(1);
                    var weights = GemmBenchmark.Fill(rng, units * inputs);
                    var bias = GemmBenchmark.Fill(rng, units);
                    var layer = new DenseForward(units, inputs);
                    foreach (var batch in Batches)
                    {
                        var x = GemmBenchmark.Fill(rng, batch * inputs);
                        var plain = new float[batch * units];
                        var packed = new float[batch * units];
                        void Forward(bool packedWay, float[] y)
                        {
                            minimum.SetValue(null, packedWay ? 1 : int.MaxValue);
                            layer.Apply(x, inputs, weights, stamp: 1, bias, activation, y, units, batch, part: 0, parts: 1, threads: 1);
                        }

                        Forward(false, plain);
                        Forward(true, packed);
                        // One sample takes the GEMM's matrix-vector path on the plain weights, which sums in another order.
                        var worst = plain.Zip(packed, (p, q) => Math.Abs(p - q) / Math.Max(1f, Math.Abs(p))).Max();
                        if (batch > 1 ? !plain.AsSpan().SequenceEqual(packed) : worst > 1e-5f)
                        {
                            throw new InvalidOperationException($"{name} at batch {batch}: the two ways give different outputs (largest relative difference {worst}).");
                        }

                        double before = 0, after = 0;
                        var flops = 2.0 * batch * units * inputs;
                        for (var round = 0; round < rounds; round++)
                        {
                            before = Math.Max(before, QuickRun.Best(() => { Forward(false, plain); return 0; }, flops));
                            after = Math.Max(after, QuickRun.Best(() => { Forward(true, packed); return 0; }, flops));
                        }

                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {name} | {batch} | {before:F1} | {after:F1} | {after / before:F2}× |"));
                    }
                }
            }
            finally
            {
                minimum.SetValue(null, saved);
            }

            Console.WriteLine($"load average after: {GemmQuickRun.LoadAverage()}");
        }
    }
}
