using System;
using System.Globalization;
using ConvGen.Kernels;
using ConvGen.Kernels.Pooling;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// <c>--pool [rounds] [scalar] [cold] [backward]</c>: max-pool forward (or with <c>backward</c>, the backward: clearing ∂L/∂x and
    /// routing ∂L/∂y to the arg-maxes) of one sample on GoogLeNet's, ResNet-18's and LeNet-5's pool shapes, the loop the
    /// generator emitted before <see cref="MaxPooling"/> against the kernel, measured alternately in one process (best of
    /// <c>rounds</c> alternations of <see cref="QuickRun.Best"/>, thread CPU time, µs per call). The old loops are written
    /// with the geometry as parameters where the generated code had literals. Each case first checks that both give the
    /// same bits. With <c>cold</c> (forward only) each call takes the next of as many copies of the input and output as
    /// fill <see cref="ColdBytes"/>, so that it reads and writes main memory, as a pool inside a network may.
    /// </summary>
    internal static class PoolQuickRun
    {
        private sealed record Case(string Name, int Channels, int InSize, int OutSize, int Size, int Stride, int Padding)
        {
            /// <summary>No padding and the last window ends inside: the generator's literal-offset path (for windows up to 4).</summary>
            public bool Inside => Padding == 0 && ((OutSize - 1) * Stride) + Size <= InSize;
        }

        private static readonly Case[] Cases =
        {
            new("GoogLeNet maxpool1 3x3 s2 ceil 64x112x112", 64, 112, 56, 3, 2, 0),
            new("GoogLeNet maxpool2 3x3 s2 ceil 192x56x56", 192, 56, 28, 3, 2, 0),
            new("GoogLeNet maxpool3 3x3 s2 ceil 480x28x28", 480, 28, 14, 3, 2, 0),
            new("GoogLeNet maxpool4 2x2 s2 ceil 832x14x14", 832, 14, 7, 2, 2, 0),
            new("GoogLeNet 3a branch 3x3 s1 p1 192x28x28", 192, 28, 28, 3, 1, 1),
            new("GoogLeNet 4a branch 3x3 s1 p1 480x14x14", 480, 14, 14, 3, 1, 1),
            new("GoogLeNet 3b branch 3x3 s1 p1 256x28x28", 256, 28, 28, 3, 1, 1),
            new("GoogLeNet 4b-d branch 3x3 s1 p1 512x14x14", 512, 14, 14, 3, 1, 1),
            new("GoogLeNet 4e branch 3x3 s1 p1 528x14x14", 528, 14, 14, 3, 1, 1),
            new("GoogLeNet 5a branch 3x3 s1 p1 832x7x7", 832, 7, 7, 3, 1, 1),
            new("ResNet-18 stem 3x3 s2 p1 64x112x112", 64, 112, 56, 3, 2, 1),
            new("LeNet-5 2x2 s2 20x28x28", 20, 28, 14, 2, 2, 0),
            new("LeNet-5 2x2 s2 50x10x10", 50, 10, 5, 2, 2, 0),
        };

        /// <summary>What the copies of <c>cold</c> fill: twice the 32 MB L3 cache of the machine measured.</summary>
        private const double ColdBytes = 64e6;

        public static void Run(string[] args)
        {
            var rounds = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 3;
            if (Array.IndexOf(args, "backward") >= 0)
            {
                RunBackward(rounds, Array.IndexOf(args, "scalar") >= 0);
                return;
            }

            var cold = Array.IndexOf(args, "cold") >= 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best of {rounds} alternating rounds; one thread; µs per call{(cold ? "; inputs and outputs in main memory" : string.Empty)}"));
            Console.WriteLine("| level | pool | old generated loop | kernel | speed-up |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            var saved = Simd.Level;
            foreach (var level in GemmBenchmark.Levels())
            {
                if (level == SimdLevel.Scalar && Array.IndexOf(args, "scalar") < 0) continue;
                Simd.Level = level;
                foreach (var c in Cases)
                {
                    var input = GemmBenchmark.Fill(new Random(42), c.Channels * c.InSize * c.InSize);
                    var expected = new float[c.Channels * c.OutSize * c.OutSize];
                    var output = new float[expected.Length];
                    Old(c, input, expected);
                    Kernel(c, input, output);
                    if (!expected.AsSpan().SequenceEqual(output))
                    {
                        throw new InvalidOperationException($"{c.Name}: the kernel's output differs from the old loop's.");
                    }

                    var copies = cold ? (int)Math.Ceiling(ColdBytes / (sizeof(float) * (input.Length + output.Length))) : 1;
                    var inputs = new float[copies][];
                    var outputs = new float[copies][];
                    for (var i = 0; i < copies; i++)
                    {
                        inputs[i] = (float[])input.Clone();
                        outputs[i] = new float[output.Length];
                    }

                    var next = 0;
                    float Rotate(Action<Case, float[], float[]> pool)
                    {
                        var i = next++ % copies;
                        pool(c, inputs[i], outputs[i]);
                        return 0;
                    }

                    double old = double.MaxValue, kernel = double.MaxValue;
                    for (var round = 0; round < rounds; round++)
                    {
                        old = Math.Min(old, 1 / QuickRun.Best(() => Rotate(Old), 1e3));
                        kernel = Math.Min(kernel, 1 / QuickRun.Best(() => Rotate(Kernel), 1e3));
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {level} | {c.Name} | {old:F1} | {kernel:F1} | {old / kernel:F2}× |"));
                }
            }

            Simd.Level = saved;
        }

        private static void Kernel(Case c, float[] input, float[] output) =>
            MaxPooling.Forward(input, output, inHeight: c.InSize, inWidth: c.InSize, outHeight: c.OutSize, outWidth: c.OutSize, size: c.Size, stride: c.Stride, padding: c.Padding);

        private static void Old(Case c, float[] input, float[] output)
        {
            if (c.Inside && c.Size == 2)
            {
                OldInside2(c, input, output);
            }
            else
            {
                OldClipped(c, input, output);
            }
        }

        /// <summary>The emitted loop for windows that leave the input: window bounds clipped per output, a loop over the window.</summary>
        private static void OldClipped(Case s, float[] x, float[] y)
        {
            int inSize = s.InSize, outSize = s.OutSize, plane = inSize * inSize;
            for (var c = 0; c < s.Channels; c++)
            {
                var p = x.AsSpan(c * plane, plane);
                for (var oy = 0; oy < outSize; oy++)
                {
                    var y0 = (oy * s.Stride) - s.Padding;
                    var y1 = Math.Min(y0 + s.Size, inSize);
                    y0 = Math.Max(y0, 0);
                    for (var ox = 0; ox < outSize; ox++)
                    {
                        var x0 = (ox * s.Stride) - s.Padding;
                        var x1 = Math.Min(x0 + s.Size, inSize);
                        x0 = Math.Max(x0, 0);
                        var o = ((c * outSize) + oy) * outSize + ox;
                        var best = float.NegativeInfinity;
                        for (var iy = y0; iy < y1; iy++)
                        {
                            for (var ix = x0; ix < x1; ix++)
                            {
                                best = MathF.Max(best, p[(iy * inSize) + ix]);
                            }
                        }

                        y[o] = best;
                    }
                }
            }
        }

        /// <summary>The emitted loop for 2×2 windows inside the input: the four elements at literal offsets.</summary>
        private static void OldInside2(Case s, float[] x, float[] y)
        {
            int width = s.InSize, plane = width * width, o = 0;
            for (var c = 0; c < s.Channels; c++)
            {
                var p = x.AsSpan(c * plane, plane);
                for (var oy = 0; oy < s.OutSize; oy++)
                {
                    for (var ox = 0; ox < s.OutSize; ox++, o++)
                    {
                        var at = (oy * s.Stride * width) + (ox * s.Stride);
                        y[o] = MathF.Max(MathF.Max(MathF.Max(p[at], p[at + 1]), p[at + width]), p[at + width + 1]);
                    }
                }
            }
        }
            /// <summary>The backward table: random inputs with ties (values on a grid of 1/16), the forward's output, random ∂L/∂y.</summary>
        private static void RunBackward(int rounds, bool scalar)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max-pool backward; best of {rounds} alternating rounds; one thread; µs per call"));
            Console.WriteLine("| level | pool | old generated loop | kernel | speed-up |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            var saved = Simd.Level;
            foreach (var level in GemmBenchmark.Levels())
            {
                if (level == SimdLevel.Scalar && !scalar) continue;
                Simd.Level = level;
                foreach (var c in Cases)
                {
                    var rng = new Random(42);
                    var input = GemmBenchmark.Fill(rng, c.Channels * c.InSize * c.InSize);
                    for (var i = 0; i < input.Length; i++) input[i] = MathF.Round(input[i] * 16) / 16;
                    var output = new float[c.Channels * c.OutSize * c.OutSize];
                    Kernel(c, input, output);
                    var dy = GemmBenchmark.Fill(rng, output.Length);
                    var expected = new float[input.Length];
                    var dx = new float[input.Length];
                    OldBackward(c, input, output, dy, expected);
                    KernelBackward(c, input, output, dy, dx);
                    if (!expected.AsSpan().SequenceEqual(dx))
                    {
                        throw new InvalidOperationException($"{c.Name}: the kernel's ∂L/∂x differs from the old loop's.");
                    }

                    double old = double.MaxValue, kernel = double.MaxValue;
                    for (var round = 0; round < rounds; round++)
                    {
                        old = Math.Min(old, 1 / QuickRun.Best(() => { OldBackward(c, input, output, dy, expected); return 0; }, 1e3));
                        kernel = Math.Min(kernel, 1 / QuickRun.Best(() => { KernelBackward(c, input, output, dy, dx); return 0; }, 1e3));
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {level} | {c.Name} | {old:F1} | {kernel:F1} | {old / kernel:F2}× |"));
                }
            }

            Simd.Level = saved;
        }

        private static void KernelBackward(Case c, float[] input, float[] output, float[] dy, float[] dx)
        {
            Array.Clear(dx);
            MaxPooling.Backward(input, output, dy, dx, inHeight: c.InSize, inWidth: c.InSize, outHeight: c.OutSize, outWidth: c.OutSize, size: c.Size, stride: c.Stride, padding: c.Padding);
        }

        private static void OldBackward(Case c, float[] x, float[] y, float[] dy, float[] dx)
        {
            Array.Clear(dx);
            if (c.Inside && c.Size == 2)
            {
                OldBackwardInside2(c, x, y, dy, dx);
            }
            else
            {
                OldBackwardClipped(c, x, y, dy, dx);
            }
        }

        /// <summary>The emitted backward for windows that leave the input: clipped bounds per output, a backwards select scan, a NaN scan.</summary>
        private static void OldBackwardClipped(Case s, float[] x, float[] y, float[] dy, float[] dx)
        {
            int inSize = s.InSize, outSize = s.OutSize, plane = inSize * inSize;
            for (var c = 0; c < s.Channels; c++)
            {
                var p = x.AsSpan(c * plane, plane);
                var gradient = dx.AsSpan(c * plane, plane);
                for (var oy = 0; oy < outSize; oy++)
                {
                    var y0 = (oy * s.Stride) - s.Padding;
                    var y1 = Math.Min(y0 + s.Size, inSize);
                    y0 = Math.Max(y0, 0);
                    for (var ox = 0; ox < outSize; ox++)
                    {
                        var x0 = (ox * s.Stride) - s.Padding;
                        var x1 = Math.Min(x0 + s.Size, inSize);
                        x0 = Math.Max(x0, 0);
                        var o = ((c * outSize) + oy) * outSize + ox;
                        var best = y[o];
                        var at = -1;
                        for (var iy = y1 - 1; iy >= y0; iy--)
                        {
                            for (var ix = x1 - 1; ix >= x0; ix--)
                            {
                                at = p[(iy * inSize) + ix] == best ? (iy * inSize) + ix : at;
                            }
                        }

                        if (float.IsNaN(best))
                        {
                            for (var iy = y0; iy < y1; iy++)
                            {
                                for (var ix = x0; ix < x1; ix++)
                                {
                                    at = float.IsNaN(p[(iy * inSize) + ix]) ? (iy * inSize) + ix : at;
                                }
                            }
                        }

                        gradient[at] += dy[o];
                    }
                }
            }
        }

        /// <summary>The emitted backward for 2×2 windows inside the input: selects over the four elements at literal offsets, last first.</summary>
        private static void OldBackwardInside2(Case s, float[] x, float[] y, float[] dy, float[] dx)
        {
            int width = s.InSize, plane = width * width, o = 0;
            for (var c = 0; c < s.Channels; c++)
            {
                var p = x.AsSpan(c * plane, plane);
                var g = dx.AsSpan(c * plane, plane);
                for (var oy = 0; oy < s.OutSize; oy++)
                {
                    for (var ox = 0; ox < s.OutSize; ox++, o++)
                    {
                        var at = (oy * s.Stride * width) + (ox * s.Stride);
                        var best = y[o];
                        var arg = -1;
                        arg = p[at + width + 1] == best ? at + width + 1 : arg;
                        arg = p[at + width] == best ? at + width : arg;
                        arg = p[at + 1] == best ? at + 1 : arg;
                        arg = p[at] == best ? at : arg;
                        if (arg < 0)
                        {
                            for (var k = 0; k < 4; k++)
                            {
                                var element = at + ((k / 2) * width) + (k % 2);
                                arg = float.IsNaN(p[element]) ? element : arg;
                            }
                        }

                        g[arg] += dy[o];
                    }
                }
            }
        }
    }
}
