using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
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
    /// <c>--split [rounds] 1x1</c> measures only GoogLeNet's and ResNet-18's 1×1 convolutions as a split product with
    /// bias and ReLU (<see cref="Pointwise"/>).
    /// </summary>
    internal static class SplitQuickRun
    {
        public static void Run(string[] args)
        {
            var rounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 5;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best of {rounds} alternating rounds; wall µs per call; loadavg {System.IO.File.ReadAllText("/proc/loadavg").Trim()}"));
            using var spinning = WorkerPool.KeepWorkersSpinning(2);
            if (args.Contains("1x1"))
            {
                Pointwise(rounds);
                return;
            }

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

        /// <summary>
        /// 1×1 convolutions of one image on two threads, C[out × pixels] = ReLU(W · X + bias): the product split over the
        /// threads with the epilogue as a second fork over output channels (separate), and the epilogue applied by each
        /// block of the product (fused, what the generated code calls). Per call, best of the rounds: wall µs, and the work
        /// of both blocks in µs of thread CPU time, each half of the product (and of the separate epilogue) run one after
        /// the other on the calling thread, cut along the larger of m and n as the split cuts it: what the split costs in
        /// total, little exposed to a busy machine. The variants give bit-identical outputs (checked first).
        /// </summary>
        private static void Pointwise(int rounds)
        {
            Console.WriteLine($"{Simd.Level}; 1×1 convolutions with bias and ReLU, two threads");
            Console.WriteLine("| conv | m×n×k | one thread | separate | fused | separate ÷ fused | CPU, both blocks: one thread | separate | fused |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            var cases = new (string Name, int M, int N, int K)[]
            {
                ("googlenet 4a 480→192 14×14", 192, 196, 480),
                ("googlenet 4a 480→96 14×14", 96, 196, 480),
                ("googlenet 4a 480→64 14×14", 64, 196, 480),
                ("googlenet 4a 480→16 14×14", 16, 196, 480),
                ("googlenet 4e 528→256 14×14", 256, 196, 528),
                ("googlenet 5a 832→256 7×7", 256, 49, 832),
                ("googlenet 3a 192→64 28×28", 64, 784, 192),
                ("resnet downsample 64→128 stride 2, 28×28", 128, 784, 64),
                ("resnet downsample 256→512 stride 2, 7×7", 512, 49, 256),
            };
            foreach (var (name, m, n, k) in cases)
            {
                var rng = new Random(5);
                var w = GemmBenchmark.Fill(rng, m * k);
                var x = GemmBenchmark.Fill(rng, k * n);
                var bias = GemmBenchmark.Fill(rng, m);
                var separate = new float[m * n];
                var fused = new float[m * n];
                var single = new float[m * n];
                Action<int> epilogue = part =>
                {
                    var (c0, c1) = Partition.Range(m, part, 2);
                    for (var c = c0; c < c1; c++)
                    {
                        VectorOps.ScaleShiftActivate(separate.AsSpan(c * n, n), 1f, bias[c], Activation.ReLU);
                    }
                };

                // The blocks' work run one after the other: halves of the columns (of the rows when m > n).
                var byColumns = n >= m;
                var half = byColumns ? n / 2 : m / 2;
                void Block(float[] c, int part, bool withEpilogue)
                {
                    var (first, size) = part == 0 ? (0, half) : (half, (byColumns ? n : m) - half);
                    var (rows, columns) = byColumns ? (m, size) : (size, n);
                    var a = byColumns ? w.AsSpan() : w.AsSpan(first * k);
                    var b = byColumns ? x.AsSpan(first) : x.AsSpan();
                    var target = byColumns ? c.AsSpan(first) : c.AsSpan(first * n);
                    if (withEpilogue)
                    {
                        var shift = byColumns ? bias.AsSpan() : bias.AsSpan(first, size);
                        Gemm.Multiply(false, false, rows, columns, k, a, k, b, n, target, n, rowScale: default, rowShift: shift, Activation.ReLU);
                    }
                    else
                    {
                        Gemm.Multiply(false, false, rows, columns, k, a, k, b, n, target, n, accumulate: false);
                    }
                }

                void Separate() { Gemm.Multiply(false, false, m, n, k, w, k, x, n, separate, n, accumulate: false, threads: 2); WorkerPool.For(2, 2, epilogue); }
                void SeparateBlocks() { Block(separate, 0, false); Block(separate, 1, false); epilogue(0); epilogue(1); }
                void Fused(float[] c, int threads) => Gemm.Multiply(false, false, m, n, k, w, k, x, n, c, n, rowScale: default, rowShift: bias, Activation.ReLU, threads);
                void FusedBlocks() { Block(fused, 0, true); Block(fused, 1, true); }

                Separate();
                Fused(fused, threads: 2);
                Fused(single, threads: 1);
                if (!separate.AsSpan().SequenceEqual(fused) || !separate.AsSpan().SequenceEqual(single))
                {
                    throw new InvalidOperationException($"{name}: the fused product differs from the product and a separate epilogue.");
                }

                FusedBlocks();
                SeparateBlocks();
                if (!separate.AsSpan().SequenceEqual(single) || !fused.AsSpan().SequenceEqual(single))
                {
                    throw new InvalidOperationException($"{name}: the blocks run one after the other differ from the whole product.");
                }

                var walls = new Action[] { () => Fused(single, threads: 1), Separate, () => Fused(fused, threads: 2) };
                var works = new Action[] { () => Fused(single, threads: 1), SeparateBlocks, FusedBlocks };
                var wall = new double[walls.Length];
                var cpu = new double[walls.Length];
                Array.Fill(wall, double.MaxValue);
                Array.Fill(cpu, double.MaxValue);
                var flops = 2.0 * m * n * k;
                for (var round = 0; round < rounds; round++)
                {
                    for (var v = 0; v < walls.Length; v++)
                    {
                        var work = works[v];
                        wall[v] = Math.Min(wall[v], Best(walls[v], 1));
                        cpu[v] = Math.Min(cpu[v], flops / QuickRun.Best(() => { work(); return 0; }, flops) / 1e3);
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {m}×{n}×{k} | {wall[0]:F1} | {wall[1]:F1} | {wall[2]:F1} | {wall[1] / wall[2]:F2}× | {cpu[0]:F1} | {cpu[1]:F1} | {cpu[2]:F1} |"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loadavg after: {System.IO.File.ReadAllText("/proc/loadavg").Trim()}"));
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
