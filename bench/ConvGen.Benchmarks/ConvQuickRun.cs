using System;
using System.Globalization;
using System.Linq;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--conv [rounds] [scalar] [name …]</c>: each <see cref="ConvCase"/> (and ResNet-18's stride-2 convs of stages 3
    /// and 4, the 7×7 stem, convs with fewer than 8 input channels, and output channels just past a multiple of 8), or those whose name contains one of the given parts, direct and im2col + GEMM, measured alternately in one
    /// process (best of <c>rounds</c> alternations of <see cref="QuickRun.Best"/>, thread CPU time; the rounds alternate
    /// the <see cref="KernelWidth"/>s too, AVX2 and on an AVX-512 CPU both <see cref="Simd.Avx512DoublePumped"/> choices), beside the FMA peak;
    /// plus the direct path's parts (kernels alone; weight check + input packing) and what repacking changed weights costs.
    /// Each case first checks that both ways give the same output.
    /// </summary>
    internal static class ConvQuickRun
    {
        public static void Run(string[] args)
        {
            var rounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 3;
            var filters = args.Skip(1).Where(a => a != "scalar").ToArray();
            var peak = Enumerable.Range(0, 3).Max(_ => QuickRun.Best(() => FmaPeakBenchmark.Fma256(1.0000001f, 0.9999999f), 2.0 * FmaPeakBenchmark.Iterations * 12 * 8));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FMA peak Vector256: {peak:F1} GFLOP/s; best of {rounds} alternating rounds; one thread"));
            Console.WriteLine("| level | conv | im2col+GEMM GFLOP/s | direct GFLOP/s | direct ÷ im2col | direct % of AVX2 peak | direct: kernels alone GFLOP/s | direct: weight check + input pack µs | weight repack µs |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            var saved = (Simd.Level, Simd.Avx512DoublePumped);
            var configs = KernelWidth.All().Where(k => k.Level != SimdLevel.Scalar || Array.IndexOf(args, "scalar") >= 0).ToArray();
            foreach (var c in ConvCase.All().Concat(StrideTwoCases()).Concat(FewChannelCases()).Concat(TailCases()).Where(c => filters.Length == 0 || filters.Any(f => c.Name.Contains(f, StringComparison.Ordinal))))
            {
                var im2col = new double[configs.Length];
                var direct = new double[configs.Length];
                for (var round = 0; round < rounds; round++)
                {
                    for (var k = 0; k < configs.Length; k++)
                    {
                        configs[k].Apply();
                        if (round == 0)
                        {
                            var disagreement = c.Disagreement();
                            if (disagreement > 1e-4)
                            {
                                throw new InvalidOperationException($"{configs[k]} {c.Name}: direct and im2col disagree by {disagreement:G3} of the largest output.");
                            }
                        }

                        im2col[k] = Math.Max(im2col[k], QuickRun.Best(() => { c.Im2colGemm(); return 0; }, c.Flops));
                        direct[k] = Math.Max(direct[k], QuickRun.Best(() => { c.Direct(); return 0; }, c.Flops));
                    }
                }

                for (var k = 0; k < configs.Length; k++)
                {
                    // Best() returns flops / seconds / 1e9: with 1e9 "FLOPs" per call, calls per second.
                    configs[k].Apply();
                    c.CheckAndPack();
                    var packSeconds = 1 / QuickRun.Best(() => { c.CheckAndPack(); return 0; }, 1e9);
                    var kernels = QuickRun.Best(() => { c.ComputePacked(); return 0; }, c.Flops);
                    var repackSeconds = 1 / QuickRun.Best(() => { c.RepackWeights(); return 0; }, 1e9);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {configs[k]} | {c.Name} | {im2col[k]:F1} | {direct[k]:F1} | {direct[k] / im2col[k]:F2}× | {100 * direct[k] / peak:F0}% | {kernels:F1} | {packSeconds * 1e6:F1} | {repackSeconds * 1e6:F1} |"));
                }
            }

            (Simd.Level, Simd.Avx512DoublePumped) = saved;
        }

        /// <summary>
        /// Output channels just past a multiple of 8 (a lone last block with few real channels, computed by the tail
        /// kernel on AVX2), beside the same conv without them. (One input channel, where every block is a tail on AVX2:
        /// LeNet-5's conv1 and classic LeNet-5's c1 above.)
        /// </summary>
        private static ConvCase[] TailCases() =>
        [
            new("tail 5x5 20-48 14x14 pad 2 (LeNet conv2 without its last 2 channels)", new ConvGen.Kernels.Convolution.ConvolutionShape(20, 14, 14, 48, 5, 5, 1, 1, 2, 2, 2, 2)),
            new("tail 5x5 20-49 14x14 pad 2", new ConvGen.Kernels.Convolution.ConvolutionShape(20, 14, 14, 49, 5, 5, 1, 1, 2, 2, 2, 2)),
            new("tail 3x3 64-64 28x28 pad 1", new ConvGen.Kernels.Convolution.ConvolutionShape(64, 28, 28, 64, 3, 3, 1, 1, 1, 1, 1, 1)),
            new("tail 3x3 64-68 28x28 pad 1", new ConvGen.Kernels.Convolution.ConvolutionShape(64, 28, 28, 68, 3, 3, 1, 1, 1, 1, 1, 1)),
        ];

        /// <summary>
        /// First layers of image networks and other convs with few input channels (the direct rule's lower bound), at output widths
        /// that are and are not a multiple of 8 (where the AVX-512 kernels beat the AVX2 ones on a double-pumped CPU or not).
        /// </summary>
        private static ConvCase[] FewChannelCases() =>
        [
            new("3x3 3-64 224x224 pad 1 (VGG conv1)", new ConvGen.Kernels.Convolution.ConvolutionShape(3, 224, 224, 64, 3, 3, 1, 1, 1, 1, 1, 1)),
            new("11x11 3-64 224x224 stride 4 pad 2 (AlexNet conv1)", new ConvGen.Kernels.Convolution.ConvolutionShape(3, 224, 224, 64, 11, 11, 4, 4, 2, 2, 2, 2)),
            new("5x5 3-32 32x32 pad 2", new ConvGen.Kernels.Convolution.ConvolutionShape(3, 32, 32, 32, 5, 5, 1, 1, 2, 2, 2, 2)),
            new("3x3 3-16 32x32 pad 1", new ConvGen.Kernels.Convolution.ConvolutionShape(3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1)),
            new("3x3 4-16 28x28 pad 1", new ConvGen.Kernels.Convolution.ConvolutionShape(4, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1)),
            new("5x5 6-16 14x14 (classic LeNet c3)", new ConvGen.Kernels.Convolution.ConvolutionShape(6, 14, 14, 16, 5, 5)),
            new("3x3 3-16 28x28 pad 1", new ConvGen.Kernels.Convolution.ConvolutionShape(3, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1)),
            new("3x3 4-16 32x32 pad 1", new ConvGen.Kernels.Convolution.ConvolutionShape(4, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1)),
            new("3x3 3-32 28x28 pad 1", new ConvGen.Kernels.Convolution.ConvolutionShape(3, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1)),
            new("3x3 8-16 32x32 pad 1", new ConvGen.Kernels.Convolution.ConvolutionShape(8, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1)),
            new("3x3 16-32 32x32 pad 1", new ConvGen.Kernels.Convolution.ConvolutionShape(16, 32, 32, 32, 3, 3, 1, 1, 1, 1, 1, 1)),
            new("3x3 2-16 32x32 pad 1", new ConvGen.Kernels.Convolution.ConvolutionShape(2, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1)),
            new("5x5 1-6 28x28 pad 2 (classic LeNet c1)", new ConvGen.Kernels.Convolution.ConvolutionShape(1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 2, 2)),
        ];

        /// <summary>ResNet-18's stride-2 convs into stages 3 and 4 (the 3×3 ones and the 1×1 downsampling shortcuts), and the 7×7 stem ResNet-18 and GoogLeNet share.</summary>
        private static ConvCase[] StrideTwoCases() =>
        [
            new("7x7 3-64 224x224 stride 2 pad 3 (stem)", new ConvGen.Kernels.Convolution.ConvolutionShape(3, 224, 224, 64, 7, 7, 2, 2, 3, 3, 3, 3)),
            new("3x3 128-256 28x28 stride 2", new ConvGen.Kernels.Convolution.ConvolutionShape(128, 28, 28, 256, 3, 3, 2, 2, 1, 1, 1, 1)),
            new("3x3 256-512 14x14 stride 2", new ConvGen.Kernels.Convolution.ConvolutionShape(256, 14, 14, 512, 3, 3, 2, 2, 1, 1, 1, 1)),
            new("1x1 128-256 28x28 stride 2", new ConvGen.Kernels.Convolution.ConvolutionShape(128, 28, 28, 256, 1, 1, 2, 2)),
            new("1x1 256-512 14x14 stride 2", new ConvGen.Kernels.Convolution.ConvolutionShape(256, 14, 14, 512, 1, 1, 2, 2)),
        ];
    }
}
