using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.ConvolutionBackward;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// One conv layer's backward for one sample (bias + ReLU), in the parts the generated code runs: the activation's
    /// derivative, the bias sums, the im2col gather, ∂L/∂W += ∂L/∂z·colᵀ, ∂L/∂col = Wᵀ·∂L/∂z and the col2im scatter;
    /// and ∂L/∂x as a direct convolution (<see cref="DataGradient"/>) instead of the last two, and ∂L/∂W without
    /// im2col (<see cref="DirectWeightGradient"/>) instead of the gather and the ∂L/∂W GEMM, for one sample and for a
    /// worker's <see cref="BatchSamples"/> samples at once, and the same with output channels in vector lanes over a flat
    /// run of output pixels (<see cref="BlockedWeightGradient"/>).
    /// </summary>
    public sealed class BackwardCase
    {
        private readonly float[] _input;
        private readonly float[] _weights;
        private readonly float[] _output;
        private readonly float[] _outputGradient;
        private readonly float[] _inputGradient;
        private readonly float[] _weightGradient;
        private readonly float[] _biasGradient;
        private readonly float[] _columns;
        private readonly float[] _columnGradient;
        private readonly DataGradient? _dataGradient;
        private readonly DirectWeightGradient? _weightGradientKernel;
        private readonly BlockedWeightGradient? _blockedWeightGradient;
        private readonly float[] _batchInputs;
        private readonly float[] _batchGradients;

        public BackwardCase(string name, ConvolutionShape shape)
        {
            Name = name;
            Shape = shape;
            var rng = new Random(42);
            _input = GemmBenchmark.Fill(rng, shape.InputLength);
            _weights = GemmBenchmark.Fill(rng, shape.WeightLength);
            _output = GemmBenchmark.Fill(rng, shape.OutputLength);
            _outputGradient = GemmBenchmark.Fill(rng, shape.OutputLength);
            _inputGradient = new float[shape.InputLength];
            _weightGradient = new float[shape.WeightLength];
            _biasGradient = new float[shape.OutChannels];
            _columns = new float[Taps * Pixels];
            _columnGradient = new float[Taps * Pixels];
            if (DataGradient.Supports(shape))
            {
                _dataGradient = new DataGradient(shape);
                _dataGradient.SetWeights(_weights);
            }

            if (DirectWeightGradient.Supports(shape))
            {
                _weightGradientKernel = new DirectWeightGradient(shape);
                _blockedWeightGradient = new BlockedWeightGradient(shape);
            }

            _batchInputs = GemmBenchmark.Fill(rng, BatchSamples * shape.InputLength);
            _batchGradients = GemmBenchmark.Fill(rng, BatchSamples * shape.OutputLength);
        }

        /// <summary>Samples of one worker in LeNet-5's batch-64 training on 2 threads.</summary>
        public const int BatchSamples = 32;

        public string Name { get; }

        public ConvolutionShape Shape { get; }

        /// <summary>Multiply-adds × 2 of one of the two gradient products (∂L/∂W or ∂L/∂x): the forward's FLOP count.</summary>
        public double Flops => Shape.Flops;

        public bool HasDirectDataGradient => _dataGradient is not null;

        public bool HasDirectWeightGradient => _weightGradientKernel is not null;

        private int Taps => Shape.InChannels * Shape.KernelHeight * Shape.KernelWidth;

        private int Pixels => Shape.OutHeight * Shape.OutWidth;

        /// <summary>
        /// The shapes measured: LeNet-5's conv1 with 6 and with 20 channels (the training benchmark's), the same with 8 and a
        /// 3→16 stem on 32×32 (where ConvEmitter's ∂L/∂W rule turns), LeNet-5's conv2, conv2 without padding (the
        /// classic LeNet-5's 10×10 output), the ResNetMnist sample's narrow stride-1 convs (14 and 7 wide), the issue's
        /// 3×3 64→64 conv, a 28-wide one and a stride-2 one.
        /// </summary>
        public static IEnumerable<BackwardCase> All()
        {
            yield return new BackwardCase("LeNet conv1 5x5 1-6 28x28 pad 2", new ConvolutionShape(1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 2, 2));
            yield return new BackwardCase("LeNet conv1 5x5 1-20 28x28 pad 2", new ConvolutionShape(1, 28, 28, 20, 5, 5, 1, 1, 2, 2, 2, 2));
            yield return new BackwardCase("5x5 1-8 28x28 pad 2", new ConvolutionShape(1, 28, 28, 8, 5, 5, 1, 1, 2, 2, 2, 2));
            yield return new BackwardCase("3x3 3-16 32x32 pad 1", new ConvolutionShape(3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1));
            yield return new BackwardCase("LeNet conv2 5x5 20-50 14x14 pad 2", new ConvolutionShape(20, 14, 14, 50, 5, 5, 1, 1, 2, 2, 2, 2));
            yield return new BackwardCase("conv2 unpadded 5x5 20-50 14x14", new ConvolutionShape(20, 14, 14, 50, 5, 5, 1, 1, 0, 0, 0, 0));
            yield return new BackwardCase("ResNetMnist 3x3 32-32 14x14 pad 1", new ConvolutionShape(32, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1));
            yield return new BackwardCase("ResNetMnist 3x3 64-64 7x7 pad 1", new ConvolutionShape(64, 7, 7, 64, 3, 3, 1, 1, 1, 1, 1, 1));
            yield return new BackwardCase("3x3 64-64 56x56 pad 1", new ConvolutionShape(64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1));
            yield return new BackwardCase("3x3 128-128 28x28 pad 1", new ConvolutionShape(128, 28, 28, 128, 3, 3, 1, 1, 1, 1, 1, 1));
            yield return new BackwardCase("3x3 64-128 56x56 stride 2", new ConvolutionShape(64, 56, 56, 128, 3, 3, 2, 2, 1, 1, 1, 1));
        }

        /// <summary>∂L/∂z = ∂L/∂y ⊙ ReLU′ (in place; the data stay valid gradients).</summary>
        public void ActivationDerivative() => VectorOps.ActivationBackward(_outputGradient, _output, Activation.ReLU);

        /// <summary>∂L/∂bias[c] += Σ over pixels of ∂L/∂z[c].</summary>
        public void BiasSums()
        {
            for (var c = 0; c < Shape.OutChannels; c++)
            {
                _biasGradient[c] += VectorOps.Sum(_outputGradient.AsSpan(c * Pixels, Pixels));
            }
        }

        public void Gather() => Columns(_input, scatter: false);

        /// <summary>∂L/∂W[out×taps] += ∂L/∂z[out×pixels] · colᵀ.</summary>
        public void WeightGradientGemm() =>
            Gemm.Multiply(false, true, Shape.OutChannels, Taps, Pixels, _outputGradient, Pixels, _columns, Pixels, _weightGradient, Taps, accumulate: true);

        /// <summary>∂L/∂W += ∂L/∂z ⋆ x without im2col.</summary>
        public void WeightGradientDirect() =>
            _weightGradientKernel!.Accumulate(_input, Shape.InputLength, _outputGradient, Shape.OutputLength, 1, _weightGradient);

        /// <summary>The gather and the ∂L/∂W GEMM for each of <see cref="BatchSamples"/> samples, as the generated code did per sample.</summary>
        public void WeightGradientGemmBatch()
        {
            for (var n = 0; n < BatchSamples; n++)
            {
                Columns(_batchInputs.AsSpan(n * Shape.InputLength, Shape.InputLength), scatter: false);
                Gemm.Multiply(false, true, Shape.OutChannels, Taps, Pixels, _batchGradients.AsSpan(n * Shape.OutputLength, Shape.OutputLength), Pixels,
                    _columns, Pixels, _weightGradient, Taps, accumulate: true);
            }
        }

        /// <summary>∂L/∂W of <see cref="BatchSamples"/> samples in one call.</summary>
        public void WeightGradientDirectBatch() =>
            _weightGradientKernel!.Accumulate(_batchInputs, Shape.InputLength, _batchGradients, Shape.OutputLength, BatchSamples, _weightGradient);

        /// <summary>∂L/∂W of <see cref="BatchSamples"/> samples in one call, output channels in vector lanes.</summary>
        public void WeightGradientBlockedBatch() =>
            _blockedWeightGradient!.Accumulate(_batchInputs, Shape.InputLength, _batchGradients, Shape.OutputLength, BatchSamples, _weightGradient);

        /// <summary>
        /// The largest difference between ∂L/∂W by gather + GEMM and by the direct kernel (or, with <paramref name="blocked"/>,
        /// the blocked one), relative to the largest value.
        /// </summary>
        public double WeightGradientDisagreement(bool blocked)
        {
            Array.Clear(_weightGradient);
            Gather();
            WeightGradientGemm();
            var expected = (float[])_weightGradient.Clone();
            Array.Clear(_weightGradient);
            if (blocked)
            {
                _blockedWeightGradient!.Accumulate(_input, Shape.InputLength, _outputGradient, Shape.OutputLength, 1, _weightGradient);
            }
            else
            {
                WeightGradientDirect();
            }

            double largest = 1e-30, worst = 0;
            for (var i = 0; i < expected.Length; i++)
            {
                largest = Math.Max(largest, Math.Abs(expected[i]));
                worst = Math.Max(worst, Math.Abs(expected[i] - _weightGradient[i]));
            }

            return worst / largest;
        }

        /// <summary>∂L/∂col[taps×pixels] = Wᵀ · ∂L/∂z.</summary>
        public void ColumnGradientGemm() =>
            Gemm.Multiply(true, false, Taps, Pixels, Shape.OutChannels, _weights, Taps, _outputGradient, Pixels, _columnGradient, Pixels, accumulate: false);

        /// <summary>∂L/∂x = 0, then col2im of ∂L/∂col.</summary>
        public void Scatter()
        {
            Array.Clear(_inputGradient);
            Columns(_input, scatter: true);
        }

        /// <summary>∂L/∂x as a direct convolution of ∂L/∂z with the flipped, transposed weights (unchanged since the last call).</summary>
        public void DataGradientDirect() => _dataGradient!.Compute(_outputGradient, _inputGradient, accumulate: false);

        /// <summary>The largest difference between ∂L/∂x by GEMM + scatter and by the direct convolution, relative to the largest value.</summary>
        public double DataGradientDisagreement()
        {
            ColumnGradientGemm();
            Scatter();
            var expected = (float[])_inputGradient.Clone();
            DataGradientDirect();
            double largest = 1e-30, worst = 0;
            for (var i = 0; i < expected.Length; i++)
            {
                largest = Math.Max(largest, Math.Abs(expected[i]));
                worst = Math.Max(worst, Math.Abs(expected[i] - _inputGradient[i]));
            }

            return worst / largest;
        }

        /// <summary>
        /// im2col (col[tap, pixel] = x[...], zero in the padding) or its adjoint col2im (x[...] += col[tap, pixel]) with
        /// generic loops; per (tap, output row) the run of columns inside the input is copied (added) as one span when the stride is 1, as the generated helpers do.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Columns(ReadOnlySpan<float> sample, bool scatter)
        {
            var s = Shape;
            var pixels = Pixels;
            for (var c = 0; c < s.InChannels; c++)
            for (var ky = 0; ky < s.KernelHeight; ky++)
            for (var kx = 0; kx < s.KernelWidth; kx++)
            {
                var tap = (((c * s.KernelHeight) + ky) * s.KernelWidth + kx) * pixels;
                var offset = kx - s.PadLeft;
                var lo = Math.Max(0, (-offset + s.StrideWidth - 1) / s.StrideWidth);
                var hi = Math.Max(lo, Math.Min(s.OutWidth, (s.InWidth - 1 - offset + s.StrideWidth) / s.StrideWidth));
                for (var oy = 0; oy < s.OutHeight; oy++)
                {
                    var iy = (oy * s.StrideHeight) + ky - s.PadTop;
                    var taps = _columns.AsSpan(tap + (oy * s.OutWidth), s.OutWidth);
                    var gradients = _columnGradient.AsSpan(tap + (oy * s.OutWidth), s.OutWidth);
                    if ((uint)iy >= (uint)s.InHeight)
                    {
                        if (!scatter) taps.Clear();
                        continue;
                    }

                    var input = sample.Slice(((c * s.InHeight) + iy) * s.InWidth, s.InWidth);
                    var inputGradient = _inputGradient.AsSpan(((c * s.InHeight) + iy) * s.InWidth, s.InWidth);
                    if (!scatter)
                    {
                        taps.Slice(0, lo).Clear();
                        taps.Slice(hi).Clear();
                    }

                    if (s.StrideWidth == 1)
                    {
                        if (scatter) VectorOps.Add(gradients.Slice(lo, hi - lo), inputGradient.Slice(lo + offset, hi - lo));
                        else input.Slice(lo + offset, hi - lo).CopyTo(taps.Slice(lo));
                        continue;
                    }

                    for (var ox = lo; ox < hi; ox++)
                    {
                        if (scatter) inputGradient[(ox * s.StrideWidth) + offset] += gradients[ox];
                        else taps[ox] = input[(ox * s.StrideWidth) + offset];
                    }
                }
            }
        }

        public override string ToString() => Name;
    }
}
