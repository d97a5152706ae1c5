using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels.Convolution;
using ConvGen.Threading;

namespace ConvGen.Kernels.Winograd
{
    /// <summary>
    /// A 3×3, stride-1 convolution of one sample by Winograd's minimal filtering F(2×2, 3×3): 16 multiply-adds per 2×2
    /// output tile and channel pair instead of 36. Input and output are plain <c>[C, H, W]</c> and <c>[K, OH, OW]</c>, any
    /// padding; the output is <c>act(conv·scale + shift)</c> per output channel, like <see cref="DirectConvolution"/>, or
    /// <c>act(conv·scale + shift + residual)</c> with a residual block's Add fused into the epilogue.
    /// </summary>
    /// <remarks>
    /// <para>F(2×2, 3×3) rather than F(4×4, 3×3): on ResNet-18's 3×3 layers (64–512 channels, Kaiming-scaled weights,
    /// post-ReLU inputs) F(4×4)'s float32 result is up to 6·10⁻⁵ off a float64 reference at 512 channels, too close to
    /// the 1e-4 the outputs must keep to PyTorch; F(2×2) stays below 5·10⁻⁶.</para>
    /// <para>The output is cut into 2×2 tiles and the tile rows into chunks (<see cref="WinogradTiling"/>); per chunk, the
    /// input tiles are transformed into 16 matrices (one per tile position), multiplied by the 16 transformed weight
    /// matrices, and transformed back into the output with the epilogue. The weights are transformed (in double) and
    /// packed by <see cref="SetWeights"/>, which keeps a copy of what it packed and does it again only when the values
    /// change, so callers may pass the live weights on every call.</para>
    /// <para>Paths: AVX2 + FMA (eight tiles per transform step, a 6×16 register-tiled product kernel); the AVX-512 level
    /// runs the same 256-bit code; the scalar path computes the same sums one tile at a time.</para>
    /// <para>Threading: one instance may serve several threads at once as long as they pass the same weights (the
    /// check-and-pack runs under a lock; each thread has its own scratch).</para>
    /// </remarks>
    public sealed unsafe class WinogradConvolution
    {
        private readonly WinogradTiling _tiling;
        private readonly object _packing = new();
        private float[] _packedWeights = Array.Empty<float>();
        private readonly WeightSnapshot _packedFrom = new();

        // Per-thread scratch (de-interleaved rows, transformed input, products), pinned, grown on demand, shared by every instance on the thread.
        [ThreadStatic] private static float[]? t_scratch;

        // Each calling thread reuses its own split: a thread runs one Forward at a time.
        [ThreadStatic] private static Split? t_split;

        /// <exception cref="ArgumentNullException"><paramref name="shape"/> is null.</exception>
        /// <exception cref="ArgumentException">The kernel is not 3×3 or the stride is not 1.</exception>
        public WinogradConvolution(ConvolutionShape shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (!Supports(shape))
            {
                throw new ArgumentException(
                    $"Winograd F(2×2, 3×3) needs a 3×3 kernel with stride 1; this convolution has a {shape.KernelHeight}×{shape.KernelWidth} kernel with stride {shape.StrideHeight}×{shape.StrideWidth}.",
                    nameof(shape));
            }

            Shape = shape;
            _tiling = new WinogradTiling(shape);
        }

        public ConvolutionShape Shape { get; }

        /// <summary>Whether <paramref name="shape"/> can run as F(2×2, 3×3): a 3×3 kernel, stride 1 (any padding).</summary>
        public static bool Supports(ConvolutionShape shape) =>
            shape.KernelHeight == 3 && shape.KernelWidth == 3 && shape.StrideHeight == 1 && shape.StrideWidth == 1;

        /// <summary>
        /// Transforms and packs <paramref name="weights"/> (<c>[out, in, 3, 3]</c>) unless they are, bit for bit, the
        /// values packed last time. Returns true when it packed.
        /// </summary>
        /// <param name="weights">The weights, <c>[out, in, kh, kw]</c>.</param>
        /// <param name="stamp">
        /// The parameters' version the weights belong to (<see cref="Networks.ParameterWrites.Stamp"/>): a stamp equal to the
        /// last call's promises unchanged weights, which are then not compared. <see cref="Networks.ParameterWrites.Unknown"/>
        /// (the default) promises nothing: the weights are compared bit for bit with the ones packed last.
        /// </param>
        /// <exception cref="ArgumentException">The span does not hold exactly <see cref="ConvolutionShape.WeightLength"/> floats.</exception>
        public bool SetWeights(ReadOnlySpan<float> weights, long stamp = Networks.ParameterWrites.Unknown)
        {
            ConvolutionArguments.CheckLength(weights.Length, Shape.WeightLength, nameof(weights), "weights");
            lock (_packing)
            {
                if (_packedFrom.Matches(weights, stamp))
                {
                    return false;
                }

                if (_packedWeights.Length == 0)
                {
                    _packedWeights = GC.AllocateUninitializedArray<float>(_tiling.PackedWeightLength, pinned: true);
                }

                WinogradTransforms.Weights(in _tiling, weights, _packedWeights);
                _packedFrom.Take(weights, stamp);
                return true;
            }
        }

        /// <summary>The convolution of one sample: <see cref="SetWeights"/>, then <see cref="Apply(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Activation, Span{float}, int)"/>.</summary>
        /// <exception cref="ArgumentException">A span has the wrong length, or the activation is not None, ReLU, ReLU6, Tanh or Sigmoid.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        public void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift,
            Activation activation, Span<float> output, int threads = 1)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
            SetWeights(weights);
            Apply(input, scale, shift, activation, output, threads);
        }

        /// <summary>
        /// The convolution of one sample with the weights of the last <see cref="SetWeights"/> (a caller running many
        /// samples sets them once): <c>output = act(conv(input, weights)·scale[c] + shift[c])</c>, an empty
        /// <paramref name="scale"/> meaning 1 and an empty <paramref name="shift"/> meaning 0 (a bias is a shift; a folded
        /// BatchNorm is a scale and a shift). <paramref name="threads"/> is how many threads (the caller's included) may
        /// share the tile rows, or on small outputs the output channels (<see cref="WinogradTiling.SplitsByPanels"/>),
        /// through <see cref="WorkerPool"/>; every tile is computed the same way wherever it falls,
        /// so the result is bit-identical for every thread count. One thread is used when the work is too small to pay
        /// for the fork and join, and inside a <see cref="WorkerPool"/> body.
        /// </summary>
        /// <exception cref="ArgumentException">A span has the wrong length, or the activation is not None, ReLU, ReLU6, Tanh or Sigmoid.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        /// <exception cref="InvalidOperationException"><see cref="SetWeights"/> has not been called.</exception>
        public void Apply(ReadOnlySpan<float> input, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Activation activation, Span<float> output, int threads = 1) =>
            Apply(input, scale, shift, ReadOnlySpan<float>.Empty, activation, output, threads);

        /// <summary>
        /// The convolution of one sample followed by a residual block's Add and its activation, in one pass:
        /// <c>output = act(conv(input, weights)·scale[c] + shift[c] + residual)</c>, with <paramref name="residual"/> laid
        /// out like the output (<c>[out, oh, ow]</c>) and read in the epilogue at the positions it writes; an empty
        /// <paramref name="residual"/> means none (the other overload). The result is bit for bit that of the other
        /// overload with <see cref="Activation.None"/> followed by <see cref="VectorOps.AddActivate"/> of its output and
        /// the residual, but for the sign of a zero: where the sum is −0, ReLU and ReLU6 may give −0 in one and +0 in the
        /// other, as <see cref="VectorOps.AddActivate"/> itself gives −0 on its vector lanes and +0 on its scalar tail.
        /// The residual may be the output itself (each element is read just before its position is written) but must
        /// not otherwise overlap it. Threads, defaults and checks as in the other overload.
        /// </summary>
        /// <exception cref="ArgumentException">A span has the wrong length (the residual's must be the output's, or 0), or the activation is not None, ReLU, ReLU6, Tanh or Sigmoid.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        /// <exception cref="InvalidOperationException"><see cref="SetWeights"/> has not been called.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Apply(ReadOnlySpan<float> input, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, ReadOnlySpan<float> residual, Activation activation,
            Span<float> output, int threads = 1)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
            var s = Shape;
            ConvolutionArguments.CheckLength(input.Length, s.InputLength, nameof(input), "input");
            ConvolutionArguments.CheckEpilogue(s, scale, shift, activation, output.Length);
            if (!residual.IsEmpty) ConvolutionArguments.CheckLength(residual.Length, s.OutputLength, nameof(residual), "residual (laid out like the output, or none)");
            if (_packedWeights.Length == 0)
            {
                throw new InvalidOperationException("SetWeights must be called before the Winograd convolution is used.");
            }

            // Per-channel scale and shift with the defaults filled in.
            var channels = s.OutChannels;
            Span<float> factors = channels <= 1024 ? stackalloc float[2 * channels] : new float[2 * channels];
            var scales = factors.Slice(0, channels);
            var shifts = factors.Slice(channels);
            if (scale.IsEmpty) scales.Fill(1f); else scale.CopyTo(scales);
            if (shift.IsEmpty) shifts.Clear(); else shift.CopyTo(shifts);

            var multiplyAdds = (long)WinogradTiling.Positions * _tiling.OutPanels * WinogradTiling.PanelRows * s.InChannels * _tiling.TileRows * _tiling.TileColumns;
            var parts = Partition.Parts(threads, units: Math.Max(_tiling.TileRows, _tiling.OutPanels), multiplyAdds);
            fixed (float* pin = input)
            fixed (float* pscale = scales)
            fixed (float* pshift = shifts)
            fixed (float* presidual = residual)
            fixed (float* pout = output)
            {
                var added = residual.IsEmpty ? null : presidual;
                if (parts <= 1)
                {
                    Run(pin, pscale, pshift, added, activation, pout, 0, _tiling.TileRows, 0, _tiling.OutPanels);
                    return;
                }

                var split = t_split ??= new Split();
                split.Start(this, pin, pscale, pshift, added, activation, pout, parts, _tiling.SplitsByPanels(parts));
                try
                {
                    WorkerPool.For(parts, parts, split.RunPart);
                }
                finally
                {
                    split.Finish();
                }
            }
        }

        /// <summary>
        /// Tile rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) of the output channels in row panels
        /// [<paramref name="firstPanel"/>, <paramref name="endPanel"/>), chunk by chunk, on the calling thread. Every tile
        /// of every channel is computed alike whichever range it falls in. <paramref name="residual"/> is null or laid out like the output.
        /// </summary>
        private void Run(float* input, float* scale, float* shift, float* residual, Activation activation, float* output, int firstRow, int endRow, int firstPanel, int endPanel)
        {
            var firstChannel = firstPanel * WinogradTiling.PanelRows;
            var endChannel = Math.Min(endPanel * WinogradTiling.PanelRows, Shape.OutChannels);
            var length = _tiling.ScratchLength;
            var scratch = t_scratch;
            if (scratch == null || scratch.Length < length)
            {
                scratch = GC.AllocateArray<float>(length, pinned: true);
                t_scratch = scratch;
            }

            var relu = activation == Activation.ReLU;
            fixed (float* pscratch = scratch)
            fixed (float* pweights = _packedWeights)
            {
                float* phases = pscratch;
                float* transformed = phases + (_tiling.PhaseRows * 2 * _tiling.PhaseStride);
                float* products = transformed + (WinogradTiling.Positions * (nint)_tiling.InputMatrixLength);
                for (var first = firstRow; first < endRow; first += _tiling.ChunkRows)
                {
                    var end = Math.Min(first + _tiling.ChunkRows, endRow);
                    var tiles = (end - first) * _tiling.TileColumns;
                    if (Simd.Level == SimdLevel.Scalar)
                    {
                        WinogradTransforms.Input<Lanes1>(in _tiling, input, phases, transformed, first, end);
                        TileProducts.Scalar(in _tiling, pweights, transformed, products, tiles, firstPanel, endPanel);
                        WinogradTransforms.Output<Lanes1>(in _tiling, products, scale, shift, residual, relu, output, first, end, firstChannel, endChannel);
                    }
                    else
                    {
                        WinogradTransforms.Input<Lanes8>(in _tiling, input, phases, transformed, first, end);
                        TileProducts.Avx2(in _tiling, pweights, transformed, products, tiles, firstPanel, endPanel);
                        WinogradTransforms.Output<Lanes8>(in _tiling, products, scale, shift, residual, relu, output, first, end, firstChannel, endChannel);
                    }
                }
            }

            if (endRow > firstRow && activation is Activation.ReLU6 or Activation.Tanh or Activation.Sigmoid)
            {
                // The rows this range wrote (with the residual added), channel by channel.
                var s = Shape;
                var top = 2 * firstRow;
                var rows = Math.Min(2 * endRow, s.OutHeight) - top;
                for (var k = firstChannel; k < endChannel; k++)
                {
                    var range = new Span<float>(output + ((((nint)k * s.OutHeight) + top) * s.OutWidth), rows * s.OutWidth);
                    VectorOps.Activate(range, range, activation);
                }
            }
        }

        /// <summary>One <see cref="Forward"/> being split over threads: its pointers (pinned by the caller meanwhile) and the cut.</summary>
        private sealed class Split
        {
            public readonly Action<int> RunPart;

            private WinogradConvolution? _conv;
            private float* _input, _scale, _shift, _residual, _output;
            private Activation _activation;
            private int _parts;
            private bool _byPanels;

            public Split()
            {
                RunPart = Part;
            }

            /// <summary>Takes the call's pointers and the cut: <paramref name="parts"/> ranges of output-channel row panels when <paramref name="byPanels"/>, else of tile rows.</summary>
            public void Start(WinogradConvolution conv, float* input, float* scale, float* shift, float* residual, Activation activation, float* output, int parts, bool byPanels)
            {
                _conv = conv;
                _input = input;
                _scale = scale;
                _shift = shift;
                _residual = residual;
                _activation = activation;
                _output = output;
                _parts = parts;
                _byPanels = byPanels;
            }

            /// <summary>Forgets the pointers: they are valid only while the caller keeps them pinned.</summary>
            public void Finish()
            {
                _conv = null;
                _input = _scale = _shift = _residual = _output = null;
            }

            private void Part(int part)
            {
                var conv = _conv!;
                ref readonly var tiling = ref conv._tiling;
                if (_byPanels)
                {
                    var (first, end) = Partition.Range(tiling.OutPanels, part, _parts);
                    conv.Run(_input, _scale, _shift, _residual, _activation, _output, 0, tiling.TileRows, first, end);
                }
                else
                {
                    var (first, end) = Partition.Range(tiling.TileRows, part, _parts);
                    conv.Run(_input, _scale, _shift, _residual, _activation, _output, first, end, 0, tiling.OutPanels);
                }
            }
        }
    }
}
