using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--gemm [rounds] [packed] [name … | MxNxK …]</c>: the convolution-shaped products of GoogLeNet and ResNet-18 (1×1 convs:
    /// C[outCh × pixels] = W[outCh × inCh] · X[inCh × pixels]; im2col convs: B = the column matrix), those whose name
    /// contains one of the given parts, or the products given as MxNxK (B not transposed, ldb = N): every B micro-panel
    /// packed ahead (before) against full-width panels read in place (after), measured alternately in one process (best
    /// of <c>rounds</c> alternations of <see cref="QuickRun.Best"/>, thread CPU time) on the current SIMD level, one
    /// thread. Each case first checks that both ways give bit-identical results. With <c>packed</c>, A packed on every call
    /// (before) against A packed ahead once in a <see cref="PackedMatrix"/> (after), as a conv's weights are.
    /// </summary>
    /// <remarks>
    /// The switch is Gemm's internal <c>AlwaysPackB</c> setting, reached by reflection: the benchmarks see only the
    /// runtime's public API.
    /// </remarks>
    internal static class GemmQuickRun
    {
        private static readonly (string Name, int M, int N, int K)[] Cases =
        [
            ("googlenet 3a 1x1 192-16 28x28", 16, 784, 192),
            ("googlenet 3a 1x1 192-64 28x28", 64, 784, 192),
            ("googlenet 3a 1x1 192-96 28x28", 96, 784, 192),
            ("googlenet 3b 1x1 256-128 28x28", 128, 784, 256),
            ("googlenet 4a 1x1 480-16 14x14", 16, 196, 480),
            ("googlenet 4a 1x1 480-96 14x14", 96, 196, 480),
            ("googlenet 4a 1x1 480-192 14x14", 192, 196, 480),
            ("googlenet 4e 1x1 528-256 14x14", 256, 196, 528),
            ("googlenet 5b 1x1 832-48 7x7", 48, 49, 832),
            ("googlenet 5b 1x1 832-128 7x7", 128, 49, 832),
            ("googlenet 5b 1x1 832-384 7x7", 384, 49, 832),
            ("googlenet 4a 3x3 im2col 96-208 14x14", 208, 196, 864),
            ("googlenet 5b 3x3 im2col 192-384 7x7", 384, 49, 1728),
            ("googlenet 3a 5x5 im2col 16-32 28x28", 32, 784, 400),
            ("googlenet 3a 3x3 im2col 96-128 28x28", 128, 784, 864),
            ("googlenet 2 1x1 64-64 56x56", 64, 3136, 64),
            ("resnet 1x1 downsample 64-128 28x28", 128, 784, 64),
            ("resnet 1x1 downsample 256-512 7x7", 512, 49, 256),
            ("resnet 3x3 im2col 64-64 56x56", 64, 3136, 576),
            ("resnet 3x3 im2col 128-128 28x28", 128, 784, 1152),
            ("resnet 3x3 im2col 256-256 14x14", 256, 196, 2304),
            ("resnet 3x3 im2col 512-512 7x7", 512, 49, 4608),
            ("1x1 256-64 32x32 (rows 4 KiB apart)", 64, 1024, 256),
            ("resnet/googlenet 7x7 stride 2 im2col 3-64 112x112", 64, 12544, 147),
        ];

        public static void Run(string[] args)
        {
            var hasRounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            var rounds = hasRounds ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
            var packedA = args.Contains("packed");
            var filters = args.Skip(hasRounds ? 1 : 0).Where(a => a != "packed").ToArray();
            var shapes = filters.Select(Shape).Where(c => c.M > 0).ToArray();
            var names = filters.Where(f => Shape(f).M == 0).ToArray();
            var cases = shapes.Length > 0 && names.Length == 0
                ? shapes
                : Cases.Where(c => names.Length == 0 || names.Any(f => c.Name.Contains(f, StringComparison.Ordinal))).Concat(shapes).ToArray();
            var alwaysPackB = typeof(Gemm).GetProperty("AlwaysPackB", BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new InvalidOperationException("Gemm has no internal AlwaysPackB setting to compare packed and in-place B panels with.");

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Simd.Level}, one thread, best of {rounds} alternating rounds; load average before: {LoadAverage()}"));
            Console.WriteLine(packedA
                ? "| product | m×n×k | A packed per call GFLOP/s | A packed ahead GFLOP/s | ahead ÷ per call |"
                : "| product | m×n×k | B packed ahead GFLOP/s | B in place GFLOP/s | in place ÷ packed |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            double logSum = 0;
            try
            {
                foreach (var (name, m, n, k) in cases)
                {
                    var rng = new Random(1);
                    var a = GemmBenchmark.Fill(rng, m * k);
                    var b = GemmBenchmark.Fill(rng, k * n);
                    var packed = new float[m * n];
                    var inPlace = new float[m * n];
                    var aheadA = new PackedMatrix(m, k);
                    aheadA.SetValues(a);
                    void Multiply(bool before, float[] c)
                    {
                        if (packedA && !before)
                        {
                            Gemm.Multiply(aheadA, n, b, n, c, n, default, default, Activation.None);
                            return;
                        }

                        alwaysPackB.SetValue(null, before && !packedA);
                        if (packedA)
                        {
                            // The same epilogue pass as the packed overload's (a conv's bias or folded BatchNorm).
                            Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, default, default, Activation.None);
                            return;
                        }

                        Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, accumulate: false);
                    }

                    Multiply(true, packed);
                    Multiply(false, inPlace);
                    if (!packed.AsSpan().SequenceEqual(inPlace))
                    {
                        throw new InvalidOperationException($"{name}: the two ways give different products.");
                    }

                    double before = 0, after = 0;
                    for (var round = 0; round < rounds; round++)
                    {
                        before = Math.Max(before, QuickRun.Best(() => { Multiply(true, packed); return 0; }, 2.0 * m * n * k));
                        after = Math.Max(after, QuickRun.Best(() => { Multiply(false, inPlace); return 0; }, 2.0 * m * n * k));
                    }

                    logSum += Math.Log(after / before);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | {m}×{n}×{k} | {before:F1} | {after:F1} | {after / before:F2}× |"));
                }
            }
            finally
            {
                alwaysPackB.SetValue(null, false);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"geometric mean after ÷ before: {Math.Exp(logSum / Math.Max(1, cases.Length)):F3}×; load average after: {LoadAverage()}"));
        }

        /// <summary>A product given on the command line as <c>MxNxK</c> (M = 0 when the argument is not one).</summary>
        private static (string Name, int M, int N, int K) Shape(string arg)
        {
            var parts = arg.Split('x');
            return parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0)
                ? (arg, int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture))
                : (arg, 0, 0, 0);
        }

        internal static string LoadAverage() =>
            File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
    }
}
