using System;
using System.Diagnostics;
using System.Globalization;
using ConvGen.Kernels;
using ConvGen.Kernels.Pooling;
using ConvGen.Threading;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--split [rounds]</c>: where splitting one call over two threads starts to pay, the measurement behind
    /// <c>Partition.MinMultiplyAddsPerPart</c>. Each case runs whole on one thread, and as two halves (of C's columns, of
    /// the pool's channels) through <see cref="WorkerPool.For"/> with the workers kept polling, as a network's call keeps
    /// them; best of <c>rounds</c> alternations, wall time, µs per call. Also the bare fork and join of an empty body.
    /// Run it on an otherwise idle machine: a second core busy with anything else makes every split look worse.
    /// </summary>
    internal static class SplitQuickRun
    {
        public static void Run(string[] args)
        {
            var rounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 5;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best of {rounds} alternating rounds; wall µs per call; loadavg {System.IO.File.ReadAllText("/proc/loadavg").Trim()}"));
            using var spinning = WorkerPool.KeepWorkersSpinning(2);
            Action<int> empty = _ => { };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fork and join of an empty body over 2 threads: {Best(() => WorkerPool.For(2, 2, empty), rounds):F2} µs"));
            Console.WriteLine("| case | multiply-adds (estimate) | one thread | two halves | speed-up |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            foreach (var (m, k) in new[] { (16, 64), (64, 64), (8, 256), (1, 1024) })
            {
                foreach (var n in new[] { 64, 128, 256, 512, 1024 })
                {
                    var rng = new Random(1);
                    var a = GemmBenchmark.Fill(rng, m * k);
                    var b = GemmBenchmark.Fill(rng, k * n);
                    var c = new float[m * n];
                    var half = n / 2;
                    Action<int> halves = part => Gemm.Multiply(false, false, m, half, k, a, k, b.AsSpan(part * half), n, c.AsSpan(part * half), n, false);
                    Report($"product {m}×{n}×{k}", (long)m * n * k, () => Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, false), () => WorkerPool.For(2, 2, halves), rounds);
                }
            }

            foreach (var (channels, size) in new[] { (20, 28), (50, 14), (64, 28), (64, 56), (192, 56) })
            {
                var input = GemmBenchmark.Fill(new Random(2), channels * size * size);
                var outSize = size / 2;
                var output = new float[channels * outSize * outSize];
                var plane = size * size;
                var outPlane = outSize * outSize;
                Action<int> halves = part =>
                {
                    var (c0, c1) = Partition.Range(channels, part, 2);
                    MaxPooling.Forward(input.AsSpan(c0 * plane, (c1 - c0) * plane), output.AsSpan(c0 * outPlane, (c1 - c0) * outPlane), size, size, outSize, outSize, 2, 2, 0);
                };
                // The generator's estimate of a max pool's forward: 4 per input value, per window element of an output and 60 per output row.
                var estimate = 4L * (input.Length + (4L * output.Length) + (60L * channels * outSize));
                Report($"max pool 2×2 {channels}×{size}×{size}", estimate,
                    () => MaxPooling.Forward(input, output, size, size, outSize, outSize, 2, 2, 0), () => WorkerPool.For(2, 2, halves), rounds);
            }
        }

        private static void Report(string name, long work, Action whole, Action split, int rounds)
        {
            double one = double.MaxValue, two = double.MaxValue;
            for (var round = 0; round < rounds; round++)
            {
                one = Math.Min(one, Best(whole, 1));
                two = Math.Min(two, Best(split, 1));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {work / 1024}k | {one:F2} | {two:F2} | {one / two:F2}× |"));
        }

        /// <summary>Best mean µs per call over a few batches of about 20 ms each.</summary>
        private static double Best(Action action, int batches)
        {
            action();
            var best = double.MaxValue;
            for (var batch = 0; batch < batches + 2; batch++)
            {
                var calls = 0;
                var clock = Stopwatch.StartNew();
                do
                {
                    action();
                    calls++;
                }
                while (clock.Elapsed.TotalMilliseconds < 20);

                best = Math.Min(best, clock.Elapsed.TotalMilliseconds * 1000 / calls);
            }

            return best;
        }
    }
}
