using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// One conv layer of one sample (bias + ReLU), runnable both ways the generated code can run it: direct
    /// (<see cref="DirectConvolution"/>) and im2col + <see cref="Gemm"/> + per-channel epilogue, on the same data.
    /// </summary>
    public sealed class ConvCase : IFlopCount
    {
        private readonly float[] _input;
        private readonly float[] _weights;
        private readonly float[] _bias;
        private readonly float[] _output;
        private readonly float[] _columns;
        private readonly DirectConvolution _direct;
        private float[]? _packedInput;

        public ConvCase(string name, ConvolutionShape shape)
        {
            Name = name;
            Shape = shape;
            var rng = new Random(42);
            _input = GemmBenchmark.Fill(rng, shape.InputLength);
            _weights = GemmBenchmark.Fill(rng, shape.WeightLength);
            _bias = GemmBenchmark.Fill(rng, shape.OutChannels);
            _output = new float[shape.OutputLength];
            _columns = new float[Taps * Pixels];
            _direct = new DirectConvolution(shape);
        }

        public string Name { get; }

        public ConvolutionShape Shape { get; }

        public double Flops => Shape.Flops;

        private int Taps => Shape.InChannels * Shape.KernelHeight * Shape.KernelWidth;

        private int Pixels => Shape.OutHeight * Shape.OutWidth;

        /// <summary>The shapes measured: the 3×3 64→64 conv and ResNet-18's other stages, LeNet-5's convs, and small outputs.</summary>
        public static IEnumerable<ConvCase> All()
        {
            yield return new ConvCase("3x3 64-64 56x56 pad 1", new ConvolutionShape(64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1));
            yield return new ConvCase("3x3 128-128 28x28 pad 1", new ConvolutionShape(128, 28, 28, 128, 3, 3, 1, 1, 1, 1, 1, 1));
            yield return new ConvCase("3x3 64-128 56x56 stride 2", new ConvolutionShape(64, 56, 56, 128, 3, 3, 2, 2, 1, 1, 1, 1));
            yield return new ConvCase("3x3 256-256 14x14 pad 1", new ConvolutionShape(256, 14, 14, 256, 3, 3, 1, 1, 1, 1, 1, 1));
            yield return new ConvCase("3x3 512-512 7x7 pad 1", new ConvolutionShape(512, 7, 7, 512, 3, 3, 1, 1, 1, 1, 1, 1));
            yield return new ConvCase("LeNet conv2 5x5 20-50 14x14 pad 2", new ConvolutionShape(20, 14, 14, 50, 5, 5, 1, 1, 2, 2, 2, 2));
            yield return new ConvCase("LeNet conv1 5x5 1-20 28x28 pad 2", new ConvolutionShape(1, 28, 28, 20, 5, 5, 1, 1, 2, 2, 2, 2));
            yield return new ConvCase("classic LeNet conv3 5x5 16-120 5x5 (1x1 out)", new ConvolutionShape(16, 5, 5, 120, 5, 5));
            yield return new ConvCase("3x3 32-32 5x5 pad 1", new ConvolutionShape(32, 5, 5, 32, 3, 3, 1, 1, 1, 1, 1, 1));
        }

        /// <summary>The direct convolution as the generated code calls it: weights checked (not repacked), input packed, all blocks.</summary>
        public void Direct() => _direct.Forward(_input, _weights, default, _bias, Activation.ReLU, _output);

        /// <summary>The largest difference between the two ways' outputs, relative to the largest output: a check before timing.</summary>
        public double Disagreement()
        {
            Im2colGemm();
            var expected = (float[])_output.Clone();
            Array.Clear(_output);
            Direct();
            var largest = expected.Max(v => Math.Abs(v));
            return expected.Zip(_output, (a, b) => Math.Abs(a - b)).Max() / Math.Max(largest, 1e-30f);
        }

        /// <summary>The direct path's first part alone: the weight check and the input packing.</summary>
        public void CheckAndPack()
        {
            _direct.SetWeights(_weights);
            if (_packedInput?.Length != _direct.PackedInputLength)
            {
                // The length follows the kernel width, which the quick run switches.
                _packedInput = new float[_direct.PackedInputLength];
            }

            _direct.PackInput(_input, _packedInput);
        }

        /// <summary>The direct path's second part alone: the micro-kernels over the input <see cref="CheckAndPack"/> packed.</summary>
        public void ComputePacked() =>
            _direct.Compute(_packedInput ?? throw new InvalidOperationException("CheckAndPack first."), default, _bias, Activation.ReLU, _output, 0, _direct.OutputBlocks);

        /// <summary>Packs the weights afresh: what a weight change costs the direct path.</summary>
        public void RepackWeights()
        {
            _weights[0] = -_weights[0];
            _direct.SetWeights(_weights);
        }

        /// <summary>im2col + GEMM + bias and ReLU per channel, as the generated im2col code does it (with generic loops).</summary>
        public void Im2colGemm()
        {
            var s = Shape;
            var pixels = Pixels;
            Gather();
            Gemm.Multiply(false, false, s.OutChannels, pixels, Taps, _weights, Taps, _columns, pixels, _output, pixels, accumulate: false);
            for (var c = 0; c < s.OutChannels; c++)
            {
                VectorOps.ScaleShiftActivate(_output.AsSpan(c * pixels, pixels), 1f, _bias[c], Activation.ReLU);
            }
        }

        /// <summary>im2col as the generated gather does it: per (channel, ky, kx, output row) the valid run is copied, the padding cleared.</summary>
        private void Gather()
        {
            var s = Shape;
            var pixels = Pixels;
            for (var c = 0; c < s.InChannels; c++)
            for (var ky = 0; ky < s.KernelHeight; ky++)
            for (var kx = 0; kx < s.KernelWidth; kx++)
            {
                var taps = _columns.AsSpan((((c * s.KernelHeight) + ky) * s.KernelWidth + kx) * pixels, pixels);
                var offset = kx - s.PadLeft;
                var lo = Math.Max(0, (-offset + s.StrideWidth - 1) / s.StrideWidth);
                var hi = Math.Max(lo, Math.Min(s.OutWidth, (s.InWidth - 1 - offset + s.StrideWidth) / s.StrideWidth));
                for (var oy = 0; oy < s.OutHeight; oy++)
                {
                    var iy = (oy * s.StrideHeight) + ky - s.PadTop;
                    var target = taps.Slice(oy * s.OutWidth, s.OutWidth);
                    if ((uint)iy >= (uint)s.InHeight)
                    {
                        target.Clear();
                        continue;
                    }

                    var row = _input.AsSpan(((c * s.InHeight) + iy) * s.InWidth, s.InWidth);
                    target.Slice(0, lo).Clear();
                    target.Slice(hi).Clear();
                    if (s.StrideWidth == 1)
                    {
                        row.Slice(lo + offset, hi - lo).CopyTo(target.Slice(lo));
                    }
                    else
                    {
                        for (var ox = lo; ox < hi; ox++)
                        {
                            target[ox] = row[(ox * s.StrideWidth) + offset];
                        }
                    }
                }
            }
        }

        public override string ToString() => Name;
    }
}
