using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using ConvGen.Kernels;
using ConvGen.Networks;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--dense [rounds] [name …]</c>: a Dense layer's forward (<see cref="DenseForward"/>, one part, one thread) at
    /// batch sizes 1 to 64, each of its ways forced in turn: y = x·Wᵀ by the GEMM on the plain weights, by
    /// <c>SampleDots</c> (up to 8 samples per pass over W), and yᵀ = W·xᵀ on weights packed ahead; measured alternately in
    /// one process, best of <c>rounds</c> alternations of <see cref="QuickRun.Best"/> (thread CPU time) on the current SIMD
    /// level. Each case first checks the ways against one another: the packed way bit for bit against the GEMM from
    /// batch 2 on (at batch 1 the GEMM takes its matrix-vector path, which sums in another order), the others within 10⁻⁵.
    /// </summary>
    /// <remarks>
    /// The switch is <see cref="DenseForward"/>'s internal <c>ForcedWay</c>, reached by reflection: the benchmarks see only
    /// the runtime's public API.
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

        private static readonly int[] Batches = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 32, 64];

        private static readonly string[] Ways = ["Plain", "SampleDots", "Packed"];

        public static void Run(string[] args)
        {
            var hasRounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            var rounds = hasRounds ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
            var filters = args.Skip(hasRounds ? 1 : 0).ToArray();
            var forced = typeof(DenseForward).GetProperty("ForcedWay", BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new InvalidOperationException("DenseForward has no internal ForcedWay setting to compare its ways with.");
            var wayType = Nullable.GetUnderlyingType(forced.PropertyType)!;
            var ways = Ways.Select(w => Enum.Parse(wayType, w)).ToArray();

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Simd.Level}, one thread, best of {rounds} alternating rounds; load average before: {GemmQuickRun.LoadAverage()}"));
            Console.WriteLine("| layer | batch | GEMM x·Wᵀ GFLOP/s | SampleDots GFLOP/s | packed W·xᵀ GFLOP/s | chosen |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
            try
            {
                foreach (var (name, units, inputs, activation) in Cases.Where(c => filters.Length == 0 || filters.Any(f => c.Name.Contains(f, StringComparison.Ordinal))))
                {
                    var rng = new Random(1);
                    var weights = GemmBenchmark.Fill(rng, units * inputs);
                    var bias = GemmBenchmark.Fill(rng, units);
                    var layer = new DenseForward(units, inputs);
                    var writes = new ParameterWrites();
                    writes.StartPass();
                    writes.StartPass(); // the second pass on the same weights: settled, as in inference
                    foreach (var batch in Batches)
                    {
                        var x = GemmBenchmark.Fill(rng, batch * inputs);
                        var outputs = ways.Select(_ => new float[batch * units]).ToArray();
                        void Forward(int way)
                        {
                            forced.SetValue(null, ways[way]);
                            layer.Apply(x, inputs, weights, writes, bias, activation, outputs[way], units, batch, part: 0, parts: 1, threads: 1);
                        }

                        for (var way = 0; way < ways.Length; way++)
                        {
                            Forward(way);
                        }

                        Check(name, batch, outputs[0], outputs[1], exact: false);
                        Check(name, batch, outputs[0], outputs[2], exact: batch > 1);
                        var best = new double[ways.Length];
                        var flops = 2.0 * batch * units * inputs;
                        for (var round = 0; round < rounds; round++)
                        {
                            for (var way = 0; way < ways.Length; way++)
                            {
                                best[way] = Math.Max(best[way], QuickRun.Best(() => { Forward(way); return 0; }, flops));
                            }
                        }

                        forced.SetValue(null, null);
                        var chosen = typeof(DenseForward).GetMethod("Choose", BindingFlags.NonPublic | BindingFlags.Instance)!.Invoke(layer, [batch, 1, true]);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {name} | {batch} | {best[0]:F1} | {best[1]:F1} | {best[2]:F1} | {chosen} |"));
                    }
                }
            }
            finally
            {
                forced.SetValue(null, null);
            }

            Console.WriteLine($"load average after: {GemmQuickRun.LoadAverage()}");
        }

        private static void Check(string name, int batch, float[] expected, float[] actual, bool exact)
        {
            var worst = expected.Zip(actual, (p, q) => Math.Abs(p - q) / Math.Max(1f, Math.Abs(p))).Max();
            if (exact ? !expected.AsSpan().SequenceEqual(actual) : worst > 1e-5f)
            {
                throw new InvalidOperationException($"{name} at batch {batch}: the ways give different outputs (largest relative difference {worst}).");
            }
        }
    }
}
