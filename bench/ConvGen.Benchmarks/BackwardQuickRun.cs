using System;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--backward [rounds] [scalar] [name]</c>: each (or each whose name contains <c>name</c>) <see cref="BackwardCase"/>'s parts timed one by one (best of <c>rounds</c>
    /// alternations of <see cref="QuickRun.Best"/>, thread CPU time; pin with <c>taskset -c 0</c>), so a profile of one
    /// sample's conv backward: which part takes the time, and ∂L/∂x by GEMM + scatter against the direct convolution.
    /// Each case first checks that both ways give the same ∂L/∂x and ∂L/∂W. The last columns time ∂L/∂W without im2col
    /// (<c>DirectWeightGradient</c>) against the gather + GEMM, for one sample and per sample of a worker's 32, and
    /// <c>BlockedWeightGradient</c> per sample of 32.
    /// </summary>
    /// <remarks>
    /// The gather and scatter here are generic loops; the generated helpers have every length a literal (the JIT turns
    /// their short copies into a few vector moves) and run several times faster (LeNet-5's conv2: ≈ 15 µs per gather in a
    /// <c>perf</c> profile of the generated training step against ≈ 100 µs here). So the last column compares the direct
    /// ∂L/∂x with the ∂L/∂col GEMM alone, the old way's cost without its scatter; time the generated code for the whole.
    /// </remarks>
    internal static class BackwardQuickRun
    {
        public static void Run(string[] args)
        {
            var rounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 3;
            var filter = args.Skip(1).FirstOrDefault(a => a != "scalar") ?? string.Empty;
            Console.WriteLine($"best of {rounds} alternating rounds; one thread; load average {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("| level | conv | act′ µs | bias µs | gather (generic) µs | ∂W GEMM µs (GFLOP/s) | ∂col GEMM µs (GFLOP/s) | scatter (generic) µs | ∂x direct µs (GFLOP/s) | ∂col GEMM ÷ ∂x direct | ∂W direct µs (GFLOP/s) | gather + ∂W GEMM ÷ ∂W direct | ×32: gather + GEMM µs/sample | ×32: ∂W direct µs/sample (GFLOP/s) | ×32: ∂W blocked µs/sample (GFLOP/s) |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            var saved = Simd.Level;
            foreach (var level in GemmBenchmark.Levels())
            {
                if (level == SimdLevel.Scalar && Array.IndexOf(args, "scalar") < 0) continue;
                Simd.Level = level;
                foreach (var c in BackwardCase.All().Where(c => c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)))
                {
                    if (c.HasDirectDataGradient)
                    {
                        var disagreement = c.DataGradientDisagreement();
                        if (disagreement > 1e-4)
                        {
                            throw new InvalidOperationException($"{level} {c.Name}: the two ∂L/∂x disagree by {disagreement:G3} of the largest value.");
                        }
                    }

                    foreach (var blocked in new[] { false, true })
                    {
                        if (c.HasDirectWeightGradient && c.WeightGradientDisagreement(blocked) is var weightDisagreement && weightDisagreement > 1e-4)
                        {
                            throw new InvalidOperationException($"{level} {c.Name}: ∂L/∂W by GEMM and {(blocked ? "blocked" : "direct")} disagree by {weightDisagreement:G3} of the largest value.");
                        }
                    }

                    var parts = new Action[]
                    {
                        c.ActivationDerivative, c.BiasSums, c.Gather, c.WeightGradientGemm, c.ColumnGradientGemm, c.Scatter, c.DataGradientDirect,
                        c.WeightGradientDirect, c.WeightGradientGemmBatch, c.WeightGradientDirectBatch, c.WeightGradientBlockedBatch,
                    };
                    var skipped = new[] { !c.HasDirectDataGradient, !c.HasDirectWeightGradient, false, !c.HasDirectWeightGradient, !c.HasDirectWeightGradient };
                    var seconds = Enumerable.Repeat(double.MaxValue, parts.Length).ToArray();
                    for (var round = 0; round < rounds; round++)
                    {
                        for (var p = 0; p < parts.Length; p++)
                        {
                            if (p >= 6 && skipped[p - 6]) continue;
                            var part = parts[p];
                            // Best() returns flops / seconds / 1e9: with 1e9 "FLOPs" per call, calls per second.
                            seconds[p] = Math.Min(seconds[p], 1 / QuickRun.Best(() => { part(); return 0; }, 1e9));
                        }
                    }

                    string Us(int p) => (seconds[p] * 1e6).ToString("F1", CultureInfo.InvariantCulture);
                    string Rate(int p) => $"{Us(p)} ({c.Flops / seconds[p] / 1e9:F1})";
                    var direct = c.HasDirectDataGradient ? Rate(6) : "—";
                    var ratio = c.HasDirectDataGradient ? $"{seconds[4] / seconds[6]:F2}×" : "—";
                    var batch = BackwardCase.BatchSamples;
                    string PerSample(int p) => (seconds[p] * 1e6 / batch).ToString("F1", CultureInfo.InvariantCulture);
                    var weights = c.HasDirectWeightGradient
                        ? $"{Rate(7)} | {(seconds[2] + seconds[3]) / seconds[7]:F2}× | {PerSample(8)} | {PerSample(9)} ({c.Flops * batch / seconds[9] / 1e9:F1}) | {PerSample(10)} ({c.Flops * batch / seconds[10] / 1e9:F1})"
                        : $"— | — | {PerSample(8)} | — | —";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {level} | {c.Name} | {Us(0)} | {Us(1)} | {Us(2)} | {Rate(3)} | {Rate(4)} | {Us(5)} | {direct} | {ratio} | {weights} |"));
                }
            }

            Simd.Level = saved;
        }
    }
}
