using System;
using System.Globalization;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--winograd [rounds] [scalar]</c>: 3×3 stride-1 convs of one sample (bias + ReLU) as im2col + GEMM, as the direct
    /// convolution and as Winograd F(2×2, 3×3), measured alternately in one process (best of <c>rounds</c> alternations
    /// of <see cref="QuickRun.Best"/>, thread CPU time; effective GFLOP/s = 2·K·C·9·OH·OW per call). Before timing, each
    /// case runs Winograd on realistic magnitudes (non-negative inputs as after a ReLU, Kaiming-scaled weights) and
    /// prints its largest absolute error against a float64 reference.
    /// </summary>
    internal static class WinogradQuickRun
    {
        /// <summary>ResNet-18's 3×3 stride-1 stages, GoogLeNet's 3×3 inception branches, shapes at the edges of the generator's rule, and small LeNet-sized ones.</summary>
        private static readonly (string Name, ConvolutionShape Shape)[] Cases =
        {
            ("ResNet 64-64 56x56", new ConvolutionShape(64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("ResNet 128-128 28x28", new ConvolutionShape(128, 28, 28, 128, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("ResNet 256-256 14x14", new ConvolutionShape(256, 14, 14, 256, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("ResNet 512-512 7x7", new ConvolutionShape(512, 7, 7, 512, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("GoogLeNet 3a 96-128 28x28", new ConvolutionShape(96, 28, 28, 128, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("GoogLeNet 3b 128-192 28x28", new ConvolutionShape(128, 28, 28, 192, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("GoogLeNet 4a 96-208 14x14", new ConvolutionShape(96, 14, 14, 208, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("GoogLeNet 5a 160-320 7x7", new ConvolutionShape(160, 7, 7, 320, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("rule edge 3-64 56x56 (RGB stem)", new ConvolutionShape(3, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("rule edge 8-8 28x28", new ConvolutionShape(8, 28, 28, 8, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("rule edge 16-16 7x7", new ConvolutionShape(16, 7, 7, 16, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("rule edge 64-64 6x6", new ConvolutionShape(64, 6, 6, 64, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("small 1-6 28x28 pad 1", new ConvolutionShape(1, 28, 28, 6, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("small 6-16 14x14", new ConvolutionShape(6, 14, 14, 16, 3, 3)),
            ("small 16-32 14x14 pad 1", new ConvolutionShape(16, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("small 32-32 7x7 pad 1", new ConvolutionShape(32, 7, 7, 32, 3, 3, 1, 1, 1, 1, 1, 1)),
            ("small 32-64 5x5 pad 1", new ConvolutionShape(32, 5, 5, 64, 3, 3, 1, 1, 1, 1, 1, 1)),
        };

        public static void Run(string[] args)
        {
            var rounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 3;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best of {rounds} alternating rounds; one thread; effective GFLOP/s"));
            Console.WriteLine("| level | conv | max abs error (largest output) | im2col+GEMM | direct | Winograd | ÷ im2col | ÷ direct |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            var saved = Simd.Level;
            foreach (var level in GemmBenchmark.Levels())
            {
                if (level == SimdLevel.Scalar && Array.IndexOf(args, "scalar") < 0) continue;
                Simd.Level = level;
                foreach (var (name, shape) in Cases)
                {
                    var (error, largest) = Error(shape);
                    var c = new ConvCase(name, shape);
                    var rng = new Random(42);
                    var input = GemmBenchmark.Fill(rng, shape.InputLength);
                    var weights = GemmBenchmark.Fill(rng, shape.WeightLength);
                    var bias = GemmBenchmark.Fill(rng, shape.OutChannels);
                    var output = new float[shape.OutputLength];
                    var winograd = new WinogradConvolution(shape);
                    double im2col = 0, direct = 0, fast = 0;
                    for (var round = 0; round < rounds; round++)
                    {
                        im2col = Math.Max(im2col, QuickRun.Best(() => { c.Im2colGemm(); return 0; }, c.Flops));
                        direct = Math.Max(direct, QuickRun.Best(() => { c.Direct(); return 0; }, c.Flops));
                        fast = Math.Max(fast, QuickRun.Best(() => { winograd.Forward(input, weights, default, bias, Activation.ReLU, output); return 0; }, c.Flops));
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {level} | {name} | {error:G2} ({largest:F1}) | {im2col:F1} | {direct:F1} | {fast:F1} | {fast / im2col:F2}× | {fast / direct:F2}× |"));
                }
            }

            Simd.Level = saved;
        }

        /// <summary>Winograd's largest absolute error against float64 on realistic magnitudes, and the largest output.</summary>
        private static (double Error, double Largest) Error(ConvolutionShape s)
        {
            var rng = new Random(7);
            var input = Enumerable.Range(0, s.InputLength).Select(_ => (float)Math.Abs(Normal(rng))).ToArray();
            var std = Math.Sqrt(2.0 / (9 * s.InChannels));
            var weights = Enumerable.Range(0, s.WeightLength).Select(_ => (float)(Normal(rng) * std)).ToArray();
            var output = new float[s.OutputLength];
            new WinogradConvolution(s).Forward(input, weights, default, default, Activation.None, output);
            double error = 0, largest = 0;
            var plane = new double[s.OutHeight * s.OutWidth];
            for (var o = 0; o < s.OutChannels; o++)
            {
                Array.Clear(plane);
                for (var i = 0; i < s.InChannels; i++)
                for (var ky = 0; ky < 3; ky++)
                for (var kx = 0; kx < 3; kx++)
                {
                    double w = weights[(((o * s.InChannels) + i) * 9) + (ky * 3) + kx];
                    for (var oy = 0; oy < s.OutHeight; oy++)
                    {
                        var iy = oy + ky - s.PadTop;
                        if ((uint)iy >= (uint)s.InHeight) continue;
                        for (var ox = 0; ox < s.OutWidth; ox++)
                        {
                            var ix = ox + kx - s.PadLeft;
                            if ((uint)ix < (uint)s.InWidth) plane[(oy * s.OutWidth) + ox] += w * input[(((i * s.InHeight) + iy) * s.InWidth) + ix];
                        }
                    }
                }

                for (var p = 0; p < plane.Length; p++)
                {
                    error = Math.Max(error, Math.Abs(plane[p] - output[(o * plane.Length) + p]));
                    largest = Math.Max(largest, Math.Abs(plane[p]));
                }
            }

            return (error, largest);
        }

        private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
    }
}
