using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ConvGen.Threading;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// Direct (no im2col) convolution of one sample in a channel-blocked layout, for one fixed <see cref="ConvolutionShape"/>.
    /// Input and output stay plain <c>[C, H, W]</c>: <see cref="PackInput"/> converts the input once per call into the
    /// zero-padded blocked layout, <see cref="Compute"/> runs register-tiled micro-kernels over a range of output-channel
    /// blocks and writes <c>act(conv·scale + shift)</c> per output channel straight to the plain output.
    /// </summary>
    /// <remarks>
    /// <para>The weights are packed into the kernels' order by <see cref="SetWeights"/>, which keeps a copy of the weights it
    /// packed and repacks only when the values (or <see cref="Simd.Level"/>) changed, so callers may pass the live weights on
    /// every call: an unchanged weight tensor costs one vectorized comparison.</para>
    /// <para>Threading: <see cref="SetWeights"/> and <see cref="Forward"/> may run on several threads at once as long as
    /// they pass the same weights (one instance serves all the workers of a layer; the check-and-pack runs under a lock and
    /// <see cref="Forward"/> packs the input into a per-thread buffer). <see cref="PackInput"/> and <see cref="Compute"/>
    /// only read the packed weights, so several threads may also compute disjoint block ranges of one packed input.</para>
    /// </remarks>
    public sealed unsafe class DirectConvolution
    {
        private float[] _packedWeights = Array.Empty<float>();
        private float[] _packedFrom = Array.Empty<float>();
        private readonly object _packing = new();
        private BlockedLayout _layout;
        private bool _packed;

        // Per-thread packed input for Forward, pinned, grown on demand (shared by every instance on the thread).
        [ThreadStatic] private static float[]? t_input;

        // Each calling thread reuses its own split: a thread runs one Forward at a time.
        [ThreadStatic] private static Split? t_split;

        public DirectConvolution(ConvolutionShape shape)
        {
            Shape = shape ?? throw new ArgumentNullException(nameof(shape));
        }

        public ConvolutionShape Shape { get; }

        /// <summary>Output channels per block in the packed layout (8 on the scalar and AVX2 paths, 16 on AVX-512).</summary>
        public int BlockWidth => Layout.Block;

        /// <summary>The number of output-channel blocks: the range <see cref="Compute"/> takes is within [0, OutputBlocks).</summary>
        public int OutputBlocks => Layout.OutBlocks;

        /// <summary>Floats <see cref="PackInput"/> writes.</summary>
        public int PackedInputLength => Layout.PackedInputLength;

        private ref readonly BlockedLayout Layout
        {
            get
            {
                if (!_packed)
                {
                    throw new InvalidOperationException("SetWeights must be called before the direct convolution is used.");
                }

                return ref _layout;
            }
        }

        /// <summary>
        /// Packs <paramref name="weights"/> (<c>[out, in, kh, kw]</c>) for the current <see cref="Simd.Level"/> unless they
        /// are, bit for bit, the values packed last time at the same level. Returns true when it packed.
        /// </summary>
        /// <exception cref="ArgumentException">The span does not hold exactly <see cref="ConvolutionShape.WeightLength"/> floats.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool SetWeights(ReadOnlySpan<float> weights)
        {
            CheckLength(weights.Length, Shape.WeightLength, nameof(weights), "weights");
            lock (_packing)
            {
                return Pack(weights, Simd.Level);
            }
        }

        private bool Pack(ReadOnlySpan<float> weights, SimdLevel level)
        {
            if (_packed && _layout.Level == level && MemoryMarshal.AsBytes(weights).SequenceEqual(MemoryMarshal.AsBytes(_packedFrom.AsSpan())))
            {
                return false;
            }

            var layout = new BlockedLayout(Shape, level);
            if (_packedWeights.Length != layout.PackedWeightLength)
            {
                _packedWeights = new float[layout.PackedWeightLength];
            }
            else
            {
                Array.Clear(_packedWeights);
            }

            var s = Shape;
            var taps = s.KernelHeight * s.KernelWidth;
            for (var o = 0; o < s.OutChannels; o++)
            {
                var outBlock = _packedWeights.AsSpan((o / layout.Block) * layout.OutBlockWeights, layout.OutBlockWeights);
                var outLane = o % layout.Block;
                for (var i = 0; i < s.InChannels; i++)
                {
                    var source = weights.Slice(((o * s.InChannels) + i) * taps, taps);
                    var target = ((i / layout.Block) * layout.InBlockWeights) + ((i % layout.Block) * layout.Block) + outLane;
                    for (var t = 0; t < taps; t++)
                    {
                        outBlock[target + (t * layout.TapStride)] = source[t];
                    }
                }
            }

            if (_packedFrom.Length != weights.Length)
            {
                _packedFrom = new float[weights.Length];
            }

            weights.CopyTo(_packedFrom);
            _layout = layout;
            _packed = true;
            return true;
        }

        /// <summary>Writes <paramref name="input"/> (<c>[in, h, w]</c>) into <paramref name="packedInput"/> in the blocked, zero-padded layout.</summary>
        /// <exception cref="ArgumentException">A span has the wrong length.</exception>
        /// <exception cref="InvalidOperationException"><see cref="SetWeights"/> has not been called.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void PackInput(ReadOnlySpan<float> input, Span<float> packedInput)
        {
            ref readonly var layout = ref Layout;
            CheckLength(input.Length, Shape.InputLength, nameof(input), "input");
            CheckLength(packedInput.Length, layout.PackedInputLength, nameof(packedInput), "packed input");
            fixed (float* pin = input)
            fixed (float* ppacked = packedInput)
            {
                InputPacking.Pack(Shape, in layout, pin, ppacked);
            }
        }

        /// <summary>
        /// Computes output channels <c>[firstBlock·BlockWidth, min(endBlock·BlockWidth, OutChannels))</c> of
        /// <paramref name="output"/> (<c>[out, oh, ow]</c>): <c>act(conv·scale[c] + shift[c])</c>, an empty
        /// <paramref name="scale"/> meaning 1 and an empty <paramref name="shift"/> meaning 0 (a bias is a shift; a folded
        /// BatchNorm is a scale and a shift). Other channels of <paramref name="output"/> are not touched.
        /// </summary>
        /// <exception cref="ArgumentException">A span has the wrong length, or the activation is Softmax.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The block range is not within [0, <see cref="OutputBlocks"/>].</exception>
        /// <exception cref="InvalidOperationException"><see cref="SetWeights"/> has not been called.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Compute(ReadOnlySpan<float> packedInput, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Activation activation,
            Span<float> output, int firstBlock, int endBlock)
        {
            ref readonly var layout = ref Layout;
            var s = Shape;
            CheckLength(packedInput.Length, layout.PackedInputLength, nameof(packedInput), "packed input");
            CheckLength(output.Length, s.OutputLength, nameof(output), "output");
            if (!scale.IsEmpty) CheckLength(scale.Length, s.OutChannels, nameof(scale), "scale (one per output channel, or none)");
            if (!shift.IsEmpty) CheckLength(shift.Length, s.OutChannels, nameof(shift), "shift (one per output channel, or none)");
            if (activation is not (Activation.None or Activation.ReLU or Activation.Tanh or Activation.Sigmoid))
            {
                throw new ArgumentException($"A convolution cannot end in {activation}; it takes None, ReLU, Tanh or Sigmoid.", nameof(activation));
            }

            if (firstBlock < 0 || firstBlock > layout.OutBlocks)
            {
                throw new ArgumentOutOfRangeException(nameof(firstBlock), firstBlock, $"The first block must be within [0, {layout.OutBlocks}].");
            }

            if (endBlock < firstBlock || endBlock > layout.OutBlocks)
            {
                throw new ArgumentOutOfRangeException(nameof(endBlock), endBlock, $"The end block must be within [{firstBlock}, {layout.OutBlocks}].");
            }

            if (firstBlock == endBlock)
            {
                return;
            }

            // Per-channel scale and shift padded to whole blocks, so the kernels load them as vectors.
            var padded = layout.OutBlocks * layout.Block;
            Span<float> factors = padded <= 1024 ? stackalloc float[2 * padded] : new float[2 * padded];
            var scales = factors.Slice(0, padded);
            var shifts = factors.Slice(padded);
            scales.Fill(1f);
            scale.CopyTo(scales);
            shift.CopyTo(shifts);

            fixed (float* pin = packedInput)
            fixed (float* pw = _packedWeights)
            fixed (float* pout = output)
            fixed (float* pscale = scales)
            fixed (float* pshift = shifts)
            {
                var relu = activation == Activation.ReLU;
                switch (layout.Level)
                {
                    case SimdLevel.Avx512:
                        Run<Avx512Tiles>(in layout, pin, pw, pout, pscale, pshift, relu, firstBlock, endBlock);
                        break;
                    case SimdLevel.Avx2:
                        Run<Avx2Tiles>(in layout, pin, pw, pout, pscale, pshift, relu, firstBlock, endBlock);
                        break;
                    default:
                        Run<ScalarTiles>(in layout, pin, pw, pout, pscale, pshift, relu, firstBlock, endBlock);
                        break;
                }
            }

            if (activation is Activation.Tanh or Activation.Sigmoid)
            {
                var plane = s.OutHeight * s.OutWidth;
                var first = firstBlock * layout.Block;
                var end = Math.Min(endBlock * layout.Block, s.OutChannels);
                var range = output.Slice(first * plane, (end - first) * plane);
                VectorOps.Activate(range, range, activation);
            }
        }

        /// <summary>
        /// The whole convolution of one sample: <see cref="SetWeights"/>, <see cref="PackInput"/> into a per-thread buffer,
        /// and <see cref="Compute"/> of every output block. <paramref name="threads"/> is how many threads (the caller's
        /// included) may share the blocks through <see cref="WorkerPool"/>, in whole pairs of blocks (the register tile),
        /// so the result is bit-identical for every thread count; one thread is used when the work is too small to pay for
        /// the fork and join, and inside a <see cref="WorkerPool"/> body.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        public void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift,
            Activation activation, Span<float> output, int threads = 1)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
            SetWeights(weights);
            var length = _layout.PackedInputLength;
            var buffer = t_input;
            if (buffer == null || buffer.Length < length)
            {
                buffer = GC.AllocateUninitializedArray<float>(length, pinned: true);
                t_input = buffer;
            }

            var packed = buffer.AsSpan(0, length);
            PackInput(input, packed);
            var pairs = (_layout.OutBlocks + 1) / 2;
            var parts = Partition.Parts(threads, units: pairs, multiplyAdds: (long)(Shape.Flops / 2));
            if (parts <= 1)
            {
                Compute(packed, scale, shift, activation, output, 0, _layout.OutBlocks);
                return;
            }

            fixed (float* pin = packed)
            fixed (float* pscale = scale)
            fixed (float* pshift = shift)
            fixed (float* pout = output)
            {
                var split = t_split ??= new Split();
                split.Start(this, pin, packed.Length, pscale, scale.Length, pshift, shift.Length, activation, pout, output.Length, pairs, parts);
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

        /// <summary>Walks the output in tiles of (up to) two blocks × one row segment and scatters each tile into the plain output.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Run<TTiles>(in BlockedLayout layout, float* input, float* weights, float* output, float* scale, float* shift, bool relu,
            int firstBlock, int endBlock)
            where TTiles : struct, ITiles
        {
            var s = Shape;
            int block = layout.Block;
            int pixels = layout.Tile;
            int plane = s.OutHeight * s.OutWidth;
            nint step = (nint)s.StrideWidth * block;
            float* tile = stackalloc float[2 * 16 * 8];
            for (int ob = firstBlock; ob < endBlock; ob += 2)
            {
                bool two = ob + 1 < endBlock;
                float* w = weights + ((nint)ob * layout.OutBlockWeights);
                int channels = Math.Min((two ? 2 : 1) * block, s.OutChannels - (ob * block));
                for (int oy = 0; oy < s.OutHeight; oy++)
                {
                    float* inRow = input + ((nint)oy * s.StrideHeight * layout.RowStride);
                    float* outRow = output + ((nint)ob * block * plane) + (oy * s.OutWidth);
                    for (int ox = 0; ox < s.OutWidth; ox += pixels)
                    {
                        float* at = inRow + (ox * step);
                        if (two)
                        {
                            TTiles.Tile<TwoBlocks>(at, weights: w, layout.OutBlockWeights, in layout, s.KernelHeight, s.KernelWidth, step,
                                scale + (ob * block), shift + (ob * block), relu, tile);
                        }
                        else
                        {
                            TTiles.Tile<OneBlock>(at, weights: w, layout.OutBlockWeights, in layout, s.KernelHeight, s.KernelWidth, step,
                                scale + (ob * block), shift + (ob * block), relu, tile);
                        }

                        // tile[b][p][lane] → output[(ob + b)·block + lane][oy][ox + p]
                        int valid = Math.Min(pixels, s.OutWidth - ox);
                        for (int c = 0; c < channels; c++)
                        {
                            float* source = tile + ((c / block) * pixels * block) + (c % block);
                            float* target = outRow + ((nint)c * plane) + ox;
                            for (int p = 0; p < valid; p++)
                            {
                                target[p] = source[p * block];
                            }
                        }
                    }
                }
            }
        }

        /// <summary>One <see cref="Forward"/> being split over threads: its spans (pinned by the caller meanwhile) and the cut.</summary>
        private sealed class Split
        {
            public readonly Action<int> RunPart;

            private DirectConvolution? _conv;
            private float* _input, _scale, _shift, _output;
            private int _inputLength, _scaleLength, _shiftLength, _outputLength, _pairs, _parts;
            private Activation _activation;

            public Split()
            {
                RunPart = Part;
            }

            public void Start(DirectConvolution conv, float* input, int inputLength, float* scale, int scaleLength, float* shift, int shiftLength,
                Activation activation, float* output, int outputLength, int pairs, int parts)
            {
                _conv = conv;
                _input = input;
                _inputLength = inputLength;
                _scale = scale;
                _scaleLength = scaleLength;
                _shift = shift;
                _shiftLength = shiftLength;
                _activation = activation;
                _output = output;
                _outputLength = outputLength;
                _pairs = pairs;
                _parts = parts;
            }

            /// <summary>Forgets the spans: the pointers are valid only while the caller keeps them pinned.</summary>
            public void Finish()
            {
                _conv = null;
                _input = _scale = _shift = _output = null;
            }

            private void Part(int part)
            {
                var conv = _conv!;
                var (first, end) = Partition.Range(_pairs, part, _parts);
                conv.Compute(new ReadOnlySpan<float>(_input, _inputLength), new ReadOnlySpan<float>(_scale, _scaleLength), new ReadOnlySpan<float>(_shift, _shiftLength),
                    _activation, new Span<float>(_output, _outputLength), 2 * first, Math.Min(2 * end, conv._layout.OutBlocks));
            }
        }

        private static void CheckLength(int actual, int expected, string parameter, string what)
        {
            if (actual != expected)
            {
                throw new ArgumentException($"The {what} span holds {actual} floats; this convolution needs {expected}.", parameter);
            }
        }

        /// <summary>The micro-kernel of one instruction set, as a struct type argument so each path compiles on its own.</summary>
        private interface ITiles
        {
            static abstract void Tile<TBlocks>(float* input, float* weights, nint outBlockWeights, in BlockedLayout layout,
                int kernelHeight, int kernelWidth, nint step, float* scale, float* shift, bool relu, float* tile)
                where TBlocks : struct, IBlockPair;
        }

        private readonly struct Avx2Tiles : ITiles
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static void Tile<TBlocks>(float* input, float* weights, nint outBlockWeights, in BlockedLayout layout,
                int kernelHeight, int kernelWidth, nint step, float* scale, float* shift, bool relu, float* tile)
                where TBlocks : struct, IBlockPair =>
                DirectKernelAvx2.Tile<TBlocks>(input, weights, outBlockWeights, in layout, kernelHeight, kernelWidth, step, scale, shift, relu, tile);
        }

        private readonly struct Avx512Tiles : ITiles
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static void Tile<TBlocks>(float* input, float* weights, nint outBlockWeights, in BlockedLayout layout,
                int kernelHeight, int kernelWidth, nint step, float* scale, float* shift, bool relu, float* tile)
                where TBlocks : struct, IBlockPair =>
                DirectKernelAvx512.Tile<TBlocks>(input, weights, outBlockWeights, in layout, kernelHeight, kernelWidth, step, scale, shift, relu, tile);
        }

        private readonly struct ScalarTiles : ITiles
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static void Tile<TBlocks>(float* input, float* weights, nint outBlockWeights, in BlockedLayout layout,
                int kernelHeight, int kernelWidth, nint step, float* scale, float* shift, bool relu, float* tile)
                where TBlocks : struct, IBlockPair =>
                DirectKernelScalar.Tile<TBlocks>(input, weights, outBlockWeights, in layout, kernelHeight, kernelWidth, scale, shift, relu, tile);
        }
    }
}
