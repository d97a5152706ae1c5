using System;
using System.Runtime.CompilerServices;
using ConvGen.Threading;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// Direct (no im2col) convolution of one sample in a channel-blocked layout, for one fixed <see cref="ConvolutionShape"/>.
    /// Input and output stay plain <c>[C, H, W]</c>: <see cref="PackInput"/> converts the input once per call into the
    /// zero-padded blocked layout,
    /// <see cref="Compute(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Activation, Span{float}, int, int)"/>
    /// runs register-tiled micro-kernels over a range of output-channel
    /// blocks (strip by strip of output pixels, the reduction in chunks of input blocks: see <see cref="BlockedLayout"/>)
    /// and writes <c>act(conv·scale + shift)</c> per output channel straight to the plain output, or with a residual
    /// block's Add fused in, <c>act(conv·scale + shift + residual)</c>.
    /// </summary>
    /// <remarks>
    /// <para>The weights are packed into the kernels' order by <see cref="SetWeights"/>, which keeps a copy of the weights it
    /// packed and repacks only when the values (or the kernels: <see cref="Simd.Level"/>, <see cref="Simd.Avx512DoublePumped"/>)
    /// changed, so callers may pass the live weights on every call: an unchanged weight tensor costs one vectorized comparison.</para>
    /// <para>At the AVX-512 level on a CPU that double-pumps 512-bit FMAs the AVX2 kernels (8-channel blocks) run on
    /// most shapes, the input and weights packed for them: the rule and its measurements are in
    /// <see cref="BlockedLayout.KernelLevel"/>. They run with the AVX2 level's layout and packing, so the output is
    /// bit for bit the AVX2 level's there.</para>
    /// <para>Threading: <see cref="SetWeights"/> and <see cref="Forward"/> may run on several threads at once as long as
    /// they pass the same weights (one instance serves all the workers of a layer; the check-and-pack runs under a lock and
    /// <see cref="Forward"/> packs the input into a per-thread buffer). <see cref="PackInput"/> and
    /// <see cref="Compute(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Activation, Span{float}, int, int)"/>
    /// only read the packed weights, so several threads may also compute disjoint block ranges of one packed input.</para>
    /// </remarks>
    public sealed unsafe class DirectConvolution
    {
        private float[] _packedWeights = Array.Empty<float>();
        private readonly WeightSnapshot _packedFrom = new();
        private int[] _termOffsets = Array.Empty<int>();
        private int[] _plainOffsets = Array.Empty<int>();
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

        /// <summary>
        /// Output channels per block in the packed layout: 8 on the scalar and AVX2 kernels, 16 on the AVX-512 ones (which
        /// a double-pumped CPU runs on few shapes, see <see cref="BlockedLayout.KernelLevel"/>). Follows the last <see cref="SetWeights"/>.
        /// </summary>
        public int BlockWidth => Layout.Block;

        /// <summary>
        /// The number of output-channel blocks: the range
        /// <see cref="Compute(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Activation, Span{float}, int, int)"/>
        /// takes is within [0, OutputBlocks).
        /// </summary>
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
        /// Packs <paramref name="weights"/> (<c>[out, in, kh, kw]</c>) for the kernels the current <see cref="Simd.Level"/>
        /// and <see cref="Simd.Avx512DoublePumped"/> choose for this shape, unless they are the values packed last time for
        /// the same kernels. Returns true when it packed.
        /// </summary>
        /// <param name="weights">The weights, <c>[out, in, kh, kw]</c>.</param>
        /// <param name="stamp">
        /// The parameters' version the weights belong to (<see cref="Networks.ParameterWrites.Stamp"/>): a stamp equal to the
        /// last call's promises unchanged weights, which are then not compared. <see cref="Networks.ParameterWrites.Unknown"/>
        /// (the default) promises nothing: the weights are compared bit for bit with the ones packed last.
        /// </param>
        /// <exception cref="ArgumentException">The span does not hold exactly <see cref="ConvolutionShape.WeightLength"/> floats.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool SetWeights(ReadOnlySpan<float> weights, long stamp = Networks.ParameterWrites.Unknown)
        {
            ConvolutionArguments.CheckLength(weights.Length, Shape.WeightLength, nameof(weights), "weights");
            lock (_packing)
            {
                return Pack(weights, stamp, BlockedLayout.KernelLevel(Shape, Simd.Level, Simd.Avx512DoublePumped));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool Pack(ReadOnlySpan<float> weights, long stamp, SimdLevel level)
        {
            if (_packed && _layout.Level == level && _packedFrom.Matches(weights, stamp))
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
                    var lanes = i / layout.Block == layout.InBlocks - 1 ? layout.LastLanes : layout.Block;
                    var target = ((i / layout.Block) * layout.InBlockWeights) + ((i % layout.Block) * layout.Block) + outLane;
                    for (var t = 0; t < taps; t++)
                    {
                        outBlock[target + (t * lanes * layout.Block)] = source[t];
                    }
                }
            }

            _packedFrom.Take(weights, stamp);
            if (!_packed || _layout.Level != level)
            {
                _termOffsets = TermOffsets(in layout);
                _plainOffsets = PlainOffsets(in layout);
            }

            _layout = layout;
            _packed = true;
            return true;
        }

        /// <summary>
        /// Where each term of the reduction (input block, kernel row, kernel column, lane; see <see cref="BlockedLayout"/>)
        /// reads its input, in floats from the tile's first pixel in block 0: the kernels walk this table in one loop
        /// instead of nesting loops over blocks, kernel rows and columns whose short trip counts cost about a fifth of
        /// the FMA rate.
        /// </summary>
        private static int[] TermOffsets(in BlockedLayout layout) =>
            ReductionOffsets(layout, static (blocked, channel, ib, lane, ky, kx) =>
                (ib * blocked.PlaneStride) + (ky * blocked.RowStride) + (kx * blocked.Block) + lane);

        /// <summary>
        /// Where each term of the reduction, in the same order as <see cref="TermOffsets"/>, reads the plain padded copy
        /// of the input the tail kernel works on (<see cref="BlockedLayout.TailFirstBlock"/>), in floats from the tile's
        /// first pixel in channel 0; empty when the layout has no tail.
        /// </summary>
        private static int[] PlainOffsets(in BlockedLayout layout) =>
            !layout.HasTail
                ? Array.Empty<int>()
                : ReductionOffsets(layout, static (blocked, channel, ib, lane, ky, kx) =>
                    (channel * blocked.PlainPlane) + (ky * blocked.PaddedWidth) + kx);

        /// <summary>
        /// One offset per term of the reduction, in its order (input block, kernel row, kernel column, lane; the last block
        /// holds <see cref="BlockedLayout.LastLanes"/> lanes), from <paramref name="offset"/>(layout, input channel, block,
        /// lane, kernel row, kernel column).
        /// </summary>
        private static int[] ReductionOffsets(BlockedLayout layout, Func<BlockedLayout, int, int, int, int, int, int> offset)
        {
            var offsets = new int[layout.Terms];
            var term = 0;
            for (var ib = 0; ib < layout.InBlocks; ib++)
            {
                var lanes = ib == layout.InBlocks - 1 ? layout.LastLanes : layout.Block;
                for (var ky = 0; ky < layout.KernelHeight; ky++)
                for (var kx = 0; kx < layout.KernelWidth; kx++)
                for (var lane = 0; lane < lanes; lane++)
                {
                    offsets[term++] = offset(layout, (ib * layout.Block) + lane, ib, lane, ky, kx);
                }
            }

            return offsets;
        }

        /// <summary>Writes <paramref name="input"/> (<c>[in, h, w]</c>) into <paramref name="packedInput"/> in the blocked, zero-padded layout.</summary>
        /// <exception cref="ArgumentException">A span has the wrong length.</exception>
        /// <exception cref="InvalidOperationException"><see cref="SetWeights"/> has not been called.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void PackInput(ReadOnlySpan<float> input, Span<float> packedInput)
        {
            ref readonly var layout = ref Layout;
            ConvolutionArguments.CheckLength(input.Length, Shape.InputLength, nameof(input), "input");
            ConvolutionArguments.CheckLength(packedInput.Length, layout.PackedInputLength, nameof(packedInput), "packed input");
            fixed (float* pin = input)
            fixed (float* ppacked = packedInput)
            {
                InputPacking.Pack(Shape, in layout, pin, ppacked, 0, layout.InBlocks, 0, Shape.InHeight);
            }
        }

        /// <summary>
        /// Computes output channels <c>[firstBlock·BlockWidth, min(endBlock·BlockWidth, OutChannels))</c> of
        /// <paramref name="output"/> (<c>[out, oh, ow]</c>): <c>act(conv·scale[c] + shift[c])</c>, an empty
        /// <paramref name="scale"/> meaning 1 and an empty <paramref name="shift"/> meaning 0 (a bias is a shift; a folded
        /// BatchNorm is a scale and a shift). Other channels of <paramref name="output"/> are not touched.
        /// </summary>
        /// <exception cref="ArgumentException">A span has the wrong length, or the activation is not None, ReLU, ReLU6, Tanh or Sigmoid.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The block range is not within [0, <see cref="OutputBlocks"/>].</exception>
        /// <exception cref="InvalidOperationException"><see cref="SetWeights"/> has not been called.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Compute(ReadOnlySpan<float> packedInput, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Activation activation,
            Span<float> output, int firstBlock, int endBlock) =>
            Compute(packedInput, scale, shift, ReadOnlySpan<float>.Empty, activation, output, firstBlock, endBlock);

        /// <summary>
        /// As the other overload, with a residual block's Add fused in: channels <c>[firstBlock·BlockWidth,
        /// min(endBlock·BlockWidth, OutChannels))</c> of <paramref name="output"/> become
        /// <c>act(conv·scale[c] + shift[c] + residual)</c>, <paramref name="residual"/> laid out like the output and read
        /// at exactly the positions written (as <see cref="Apply(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Activation, Span{float}, int)"/>
        /// says); an empty <paramref name="residual"/> means none.
        /// </summary>
        /// <exception cref="ArgumentException">
        /// A span has the wrong length (the residual's must be the output's, or 0), the residual overlaps the output without
        /// being it, or the activation is not None, ReLU, ReLU6, Tanh or Sigmoid.
        /// </exception>
        /// <exception cref="ArgumentOutOfRangeException">The block range is not within [0, <see cref="OutputBlocks"/>].</exception>
        /// <exception cref="InvalidOperationException"><see cref="SetWeights"/> has not been called.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Compute(ReadOnlySpan<float> packedInput, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, ReadOnlySpan<float> residual,
            Activation activation, Span<float> output, int firstBlock, int endBlock)
        {
            ref readonly var layout = ref Layout;
            ConvolutionArguments.CheckLength(packedInput.Length, layout.PackedInputLength, nameof(packedInput), "packed input");
            ConvolutionArguments.CheckEpilogue(Shape, scale, shift, activation, output.Length);
            ConvolutionArguments.CheckResidual(Shape, residual, output);
            if (firstBlock < 0 || firstBlock > layout.OutBlocks)
            {
                throw new ArgumentOutOfRangeException(nameof(firstBlock), firstBlock, $"The first block must be within [0, {layout.OutBlocks}].");
            }

            if (endBlock < firstBlock || endBlock > layout.OutBlocks)
            {
                throw new ArgumentOutOfRangeException(nameof(endBlock), endBlock, $"The end block must be within [{firstBlock}, {layout.OutBlocks}].");
            }

            var units = Units(firstBlock, endBlock);
            fixed (float* pin = packedInput)
            fixed (float* presidual = residual)
            fixed (float* pout = output)
            {
                Execute(pin, scale, shift, residual.IsEmpty ? null : presidual, activation, pout, firstBlock, endBlock, 0, units);
            }
        }

        /// <summary>The whole convolution of one sample: <see cref="SetWeights"/>, then <see cref="Apply(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Activation, Span{float}, int)"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        public void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift,
            Activation activation, Span<float> output, int threads = 1)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
            SetWeights(weights);
            Apply(input, scale, shift, activation, output, threads);
        }

        /// <summary>
        /// The whole convolution of one sample with the weights of the last <see cref="SetWeights"/> (a caller running
        /// many samples sets them once): <see cref="PackInput"/> into a per-thread buffer and
        /// <see cref="Compute(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Activation, Span{float}, int, int)"/> of
        /// every output block. <paramref name="threads"/> is how many threads (the caller's
        /// included) may share the work through <see cref="WorkerPool"/>: the packing by input blocks, then the compute by
        /// (pair of output blocks, strip of output pixels) units, cut into runs of about equal work. Every output value is summed in the same order whoever
        /// computes it, so the result is bit-identical for every thread count. One thread is used when the work is too
        /// small to pay for the fork and join, and inside a <see cref="WorkerPool"/> body.
        /// </summary>
        /// <exception cref="ArgumentException">A span has the wrong length, or the activation is not None, ReLU, ReLU6, Tanh or Sigmoid.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        /// <exception cref="InvalidOperationException"><see cref="SetWeights"/> has not been called.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Apply(ReadOnlySpan<float> input, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Activation activation, Span<float> output, int threads = 1) =>
            Apply(input, scale, shift, ReadOnlySpan<float>.Empty, activation, output, threads);

        /// <summary>
        /// The convolution of one sample followed by a residual block's Add and its activation, in one pass:
        /// <c>output = act(conv(input, weights)·scale[c] + shift[c] + residual)</c>, with <paramref name="residual"/> laid
        /// out like the output (<c>[out, oh, ow]</c>); an empty <paramref name="residual"/> means none (the other overload).
        /// The residual is added where the kernels store their results (in registers on the way out of the transpose that
        /// scatters a tile, or into the tile before it is activated), never in a pass of its own; the activation follows
        /// the sum. The result is bit for bit that of the other overload with <see cref="Activation.None"/> followed by
        /// <see cref="VectorOps.AddActivate"/> of its output and the residual, but for the sign of a zero: where the sum is
        /// −0, ReLU and ReLU6 may give −0 in one and +0 in the other, as <see cref="VectorOps.AddActivate"/> itself gives
        /// −0 on its vector lanes and +0 on its scalar tail. The residual may be the output itself (each element is read
        /// by the one tile that writes its position, before it writes it); any other overlap with the output is an error.
        /// Threads, defaults and the other checks as in the other overload.
        /// </summary>
        /// <exception cref="ArgumentException">
        /// A span has the wrong length (the residual's must be the output's, or 0), the residual overlaps the output without
        /// being it, or the activation is not None, ReLU, ReLU6, Tanh or Sigmoid.
        /// </exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        /// <exception cref="InvalidOperationException"><see cref="SetWeights"/> has not been called.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Apply(ReadOnlySpan<float> input, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, ReadOnlySpan<float> residual, Activation activation,
            Span<float> output, int threads = 1)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
            var length = Layout.PackedInputLength;
            var buffer = t_input;
            if (buffer == null || buffer.Length < length)
            {
                buffer = GC.AllocateUninitializedArray<float>(length, pinned: true);
                t_input = buffer;
            }

            var packed = buffer.AsSpan(0, length);
            var units = Units(0, _layout.OutBlocks);
            var parts = Partition.Parts(threads, units, multiplyAdds: (long)(Shape.Flops / 2));
            if (parts <= 1)
            {
                PackInput(input, packed);
                Compute(packed, scale, shift, residual, activation, output, 0, _layout.OutBlocks);
                return;
            }

            ConvolutionArguments.CheckLength(input.Length, Shape.InputLength, nameof(input), "input");
            ConvolutionArguments.CheckEpilogue(Shape, scale, shift, activation, output.Length);
            ConvolutionArguments.CheckResidual(Shape, residual, output);
            fixed (float* pin = input)
            fixed (float* ppacked = packed)
            fixed (float* pscale = scale)
            fixed (float* pshift = shift)
            fixed (float* presidual = residual)
            fixed (float* pout = output)
            {
                var split = t_split ??= new Split();
                split.Start(this, pin, ppacked, pscale, scale.Length, pshift, shift.Length, residual.IsEmpty ? null : presidual, activation, pout, units, parts);
                try
                {
                    WorkerPool.For(parts, parts, split.PackPart);
                    WorkerPool.For(parts, parts, split.ComputePart);
                }
                finally
                {
                    split.Finish();
                }
            }
        }

        /// <summary>Work units of a block range: pairs of output blocks × strips of tiles.</summary>
        private int Units(int firstBlock, int endBlock) => (endBlock - firstBlock + 1) / 2 * _layout.Strips;

        /// <summary>
        /// What unit <paramref name="unit"/> of all the output blocks costs, in lanes × pixels computed, for cutting the
        /// units into parts of equal work: a pair of blocks costs twice a block's lanes, a lone block 3/4 of that (its 6
        /// accumulators wait on the FMA latency), tail channels their count rounded up to even (a lone channel costs a call of its own) times the
        /// strip's rows of whole vectors; the last strip may be shorter.
        /// </summary>
        private long UnitWork(int unit)
        {
            ref readonly var layout = ref _layout;
            int ob = 2 * (unit / layout.Strips);
            int strip = unit % layout.Strips;
            bool two = ob + 1 < layout.OutBlocks;
            if (ob >= layout.TailFirstBlock)
            {
                int channels = Math.Min((two ? ob + 2 : ob + 1) * layout.Block, Shape.OutChannels) - (ob * layout.Block);
                int rows = ((strip + 1) * Shape.OutHeight / layout.Strips) - (strip * Shape.OutHeight / layout.Strips);
                return (long)(channels + 1) / 2 * 2 * rows * layout.TailRowVectors * 8;
            }

            int tiles = Math.Min(layout.StripTiles, layout.Tiles - (strip * layout.StripTiles));
            return (long)(two ? 2 * layout.Block : 3 * layout.Block / 2) * tiles * layout.Tile;
        }

        /// <summary>
        /// Units [<paramref name="firstUnit"/>, <paramref name="endUnit"/>) of the block range, on checked arguments;
        /// <paramref name="residual"/> is null or laid out like the output.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Execute(float* packedInput, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, float* residual, Activation activation, float* output,
            int firstBlock, int endBlock, int firstUnit, int endUnit)
        {
            ref readonly var layout = ref _layout;
            if (firstUnit == endUnit)
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

            fixed (float* pw = _packedWeights)
            fixed (int* poffsets = _termOffsets)
            fixed (int* pplain = _plainOffsets)
            fixed (float* pscale = scales)
            fixed (float* pshift = shifts)
            {
                var range = new UnitRange(firstBlock, endBlock, firstUnit, endUnit);
                switch (layout.Level)
                {
                    case SimdLevel.Avx512:
                        Run<Avx512Tiles>(in layout, packedInput, pw, poffsets, pplain, output, pscale, pshift, residual, activation, range);
                        break;
                    case SimdLevel.Avx2:
                        Run<Avx2Tiles>(in layout, packedInput, pw, poffsets, pplain, output, pscale, pshift, residual, activation, range);
                        break;
                    default:
                        Run<ScalarTiles>(in layout, packedInput, pw, poffsets, pplain, output, pscale, pshift, residual, activation, range);
                        break;
                }
            }
        }

        /// <summary>
        /// Runs the units of <paramref name="range"/>: per (pair of output blocks, strip of tiles), the reduction chunk by
        /// chunk over every tile of the strip, then the strip's finished tiles scattered into the plain output; or, from
        /// <see cref="BlockedLayout.TailFirstBlock"/> on, the pair's channels over the strip's rows by <see cref="RunTail"/>.
        /// With a <paramref name="residual"/> the kernels stop at <c>conv·scale + shift</c>: the activation follows the sum.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Run<TTiles>(in BlockedLayout layout, float* input, float* weights, int* termOffsets, int* plainOffsets, float* output, float* scale, float* shift,
            float* residual, Activation activation, UnitRange range)
            where TTiles : struct, ITiles
        {
            int block = layout.Block;
            int tileFloats = 2 * layout.Tile * block;
            bool relu = activation == Activation.ReLU && residual == null;
            float* sums = stackalloc float[layout.StripTiles * tileFloats];
            nint* offsets = stackalloc nint[layout.StripTiles * layout.Tile];
            for (int unit = range.FirstUnit; unit < range.EndUnit; unit++)
            {
                int ob = range.FirstBlock + (2 * (unit / layout.Strips));
                bool two = ob + 1 < range.EndBlock;
                if (ob >= layout.TailFirstBlock)
                {
                    int endChannel = Math.Min((two ? ob + 2 : ob + 1) * block, Shape.OutChannels);
                    RunTail(in layout, input + layout.PlainStart, weights, plainOffsets, output, scale, shift, residual, activation, ob * block, endChannel,
                        unit % layout.Strips);
                    continue;
                }

                int firstTile = unit % layout.Strips * layout.StripTiles;
                int tiles = Math.Min(layout.StripTiles, layout.Tiles - firstTile);
                layout.PixelOffsets(firstTile * layout.Tile, tiles * layout.Tile, offsets);

                float* blockScale = scale + (ob * block);
                float* blockShift = shift + (ob * block);
                for (int ib = 0; ib < layout.InBlocks; ib += layout.ChunkBlocks)
                {
                    int firstTerm = ib * layout.BlockTerms;
                    int terms = Math.Min(firstTerm + (layout.ChunkBlocks * layout.BlockTerms), layout.Terms) - firstTerm;
                    bool finish = firstTerm + terms == layout.Terms;
                    float* w = weights + ((nint)ob * layout.OutBlockWeights) + ((nint)firstTerm * block);
                    for (int t = 0; t < tiles; t++)
                    {
                        float* tile = sums + (t * tileFloats);
                        if (two)
                        {
                            TTiles.Tile<TwoBlocks>(input, offsets + (t * layout.Tile), w, layout.OutBlockWeights, termOffsets + firstTerm, terms, layout.PixelStep,
                                tile, resume: ib > 0, finish, blockScale, blockShift, relu);
                        }
                        else
                        {
                            TTiles.Tile<OneBlock>(input, offsets + (t * layout.Tile), w, layout.OutBlockWeights, termOffsets + firstTerm, terms, layout.PixelStep,
                                tile, resume: ib > 0, finish, blockScale, blockShift, relu);
                        }
                    }
                }

                for (int t = 0; t < tiles; t++)
                {
                    Scatter<TTiles>(in layout, sums + (t * tileFloats), firstTile + t, ob, two, residual, activation, output);
                }
            }
        }

        /// <summary>
        /// Channels [<paramref name="firstChannel"/>, <paramref name="endChannel"/>) of strip <paramref name="strip"/> by <see cref="TailKernelAvx2"/>: output rows
        /// [strip·OutHeight / Strips, (strip + 1)·OutHeight / Strips), each as <see cref="BlockedLayout.TailRowVectors"/>
        /// vectors of 8 pixels, up to 6 vectors and <see cref="TailKernelAvx2.MaxChannels"/> channels at a time, stored straight into the plain output (a row's last
        /// vector through a mask); a strip's last call computes the vectors left.
        /// A <paramref name="residual"/> (or null) is added to the stored vectors before the activation, read through the
        /// same mask.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunTail(in BlockedLayout layout, float* plain, float* weights, int* plainOffsets, float* output, float* scale, float* shift,
            float* residual, Activation activation, int firstChannel, int endChannel, int strip)
        {
            var s = Shape;
            int firstRow = strip * s.OutHeight / layout.Strips;
            int endRow = (strip + 1) * s.OutHeight / layout.Strips;
            const int tile = TailKernelAvx2.Vectors;
            int rowVectors = layout.TailRowVectors;
            int count = (endRow - firstRow) * rowVectors;
            int plane = s.OutHeight * s.OutWidth;
            int lastLanes = s.OutWidth - (8 * (rowVectors - 1));
            var mask = TailKernelAvx2.FirstLanes(lastLanes);
            bool relu = activation == Activation.ReLU && residual == null;
            bool activate = activation is Activation.ReLU6 or Activation.Tanh or Activation.Sigmoid || (activation == Activation.ReLU && residual != null);
            float* sums = stackalloc float[4 * tile * 8];
            nint* reads = stackalloc nint[tile];
            int* writes = stackalloc int[tile];
            int* lanes = stackalloc int[tile];
            int row = firstRow, column = 0;
            for (int first = 0; first < count; first += tile)
            {
                // Where the tile's vectors read and write, walking the rows (no division per vector).
                int real = Math.Min(tile, count - first);
                for (int v = 0; v < real; v++)
                {
                    reads[v] = ((nint)row * layout.PaddedWidth) + (8 * column);
                    writes[v] = (row * s.OutWidth) + (8 * column);
                    lanes[v] = 8;
                    if (++column == rowVectors)
                    {
                        lanes[v] = lastLanes;
                        column = 0;
                        row++;
                    }
                }

                int channels;
                for (int c = firstChannel; c < endChannel; c += channels)
                {
                    // Channel c's weights are lane c mod Block of its output block; c is a multiple of the channels per call
                    // from the block's first on (4s, then a 2, then a 1), so the call's channels are the next lanes of one block.
                    int left = endChannel - c;
                    channels = left >= TailKernelAvx2.MaxChannels ? TailKernelAvx2.MaxChannels : left >= 2 ? 2 : 1;
                    float* w = weights + ((nint)(c / layout.Block) * layout.OutBlockWeights) + (c % layout.Block);
                    TailKernelAvx2.Tile(channels, real, plain, reads, w, plainOffsets, layout.Terms, sums, scale + c, shift + c, relu);

                    if (residual != null)
                    {
                        for (int k = 0; k < channels; k++)
                        {
                            float* added = residual + ((nint)(c + k) * plane);
                            for (int v = 0; v < real; v++)
                            {
                                TailKernelAvx2.AddVector(sums + (((k * tile) + v) * 8), added + writes[v], lanes[v], mask);
                            }
                        }
                    }

                    if (activate)
                    {
                        var values = new Span<float>(sums, channels * tile * 8);
                        VectorOps.Activate(values, values, activation);
                    }

                    for (int k = 0; k < channels; k++)
                    {
                        float* target = output + ((nint)(c + k) * plane);
                        for (int v = 0; v < real; v++)
                        {
                            TailKernelAvx2.StoreVector(sums + (((k * tile) + v) * 8), target + writes[v], lanes[v], mask);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// A finished tile's sums <c>[block][pixel][lane]</c> → output <c>[(ob + block)·Block + lane][y][x]</c> for its real
        /// pixels: through the kernel's register transpose when they lie side by side in one row, else one by one. With a
        /// <paramref name="residual"/> (else null) each value gets the residual's element at its place added before it is
        /// activated: with a clamp (None, ReLU, ReLU6) in registers between the transpose and the store; with Tanh or
        /// Sigmoid, or on a tile whose pixels do not lie side by side, into the tile before it is activated and scattered.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Scatter<TTiles>(in BlockedLayout layout, float* tile, int t, int ob, bool two, float* residual, Activation activation, float* output)
            where TTiles : struct, ITiles
        {
            var s = Shape;
            int block = layout.Block;
            int pixels = layout.Tile;
            int channels = Math.Min((two ? 2 : 1) * block, s.OutChannels - (ob * block));
            int plane = s.OutHeight * s.OutWidth;
            nint blockStart = (nint)ob * block * plane;
            int y = t * pixels / layout.TileRowWidth;
            int x = t * pixels % layout.TileRowWidth;
            nint first = blockStart + (y * s.OutWidth) + x;

            // Side by side in the output: within one row, or anywhere in a flat run but its last tile (the rows of a
            // plane lie end to end, so a tile running on into the next row still writes 6 consecutive floats).
            bool run = layout.Flat ? (t + 1) * pixels <= plane : x + pixels <= s.OutWidth;
            if (run && residual != null && activation is Activation.None or Activation.ReLU or Activation.ReLU6)
            {
                TTiles.ScatterRun(tile, channels, output + first, plane, residual + first, activation);
                return;
            }

            if (residual != null)
            {
                PixelByPixel(in layout, tile, t, channels, residual + blockStart, addToTile: true);
            }

            if (activation is Activation.ReLU6 or Activation.Tanh or Activation.Sigmoid || (activation == Activation.ReLU && residual != null))
            {
                var values = new Span<float>(tile, (two ? 2 : 1) * pixels * block);
                VectorOps.Activate(values, values, activation);
            }

            if (run)
            {
                TTiles.ScatterRun(tile, channels, output + first, plane, null, Activation.None);
            }
            else
            {
                PixelByPixel(in layout, tile, t, channels, output + blockStart, addToTile: false);
            }
        }

        /// <summary>
        /// Tile <paramref name="t"/>'s first <paramref name="channels"/> channels at its real pixels, one by one, against
        /// <paramref name="plain"/> (laid out like the output, from the tile's first channel on): added into the tile from
        /// the residual when <paramref name="addToTile"/>, else stored from the tile to the output. The dropped pixels'
        /// elements are neither read nor written.
        /// </summary>
        private void PixelByPixel(in BlockedLayout layout, float* tile, int t, int channels, float* plain, bool addToTile)
        {
            var s = Shape;
            int plane = s.OutHeight * s.OutWidth;
            int y = t * layout.Tile / layout.TileRowWidth;
            int x = t * layout.Tile % layout.TileRowWidth;
            for (int p = 0; p < layout.Tile && y < s.OutHeight; p++)
            {
                if (x < s.OutWidth)
                {
                    float* element = plain + (y * s.OutWidth) + x;
                    for (int c = 0; c < channels; c++)
                    {
                        // Channel c is lane c mod Block of block c / Block: the second block's lanes follow the first's pixels.
                        float* value = tile + (p * layout.Block) + (c < layout.Block ? c : (layout.Tile * layout.Block) + c - layout.Block);
                        if (addToTile)
                        {
                            *value += element[(nint)c * plane];
                        }
                        else
                        {
                            element[(nint)c * plane] = *value;
                        }
                    }
                }

                if (++x == layout.TileRowWidth)
                {
                    x = 0;
                    y++;
                }
            }
        }

        /// <summary>Units [FirstUnit, EndUnit) of the pairs of output blocks that start at FirstBlock and end before EndBlock.</summary>
        private readonly record struct UnitRange(int FirstBlock, int EndBlock, int FirstUnit, int EndUnit);

        /// <summary>One <see cref="Forward"/> being split over threads: its spans (pinned by the caller meanwhile) and the cut.</summary>
        private sealed class Split
        {
            public readonly Action<int> PackPart;
            public readonly Action<int> ComputePart;

            private DirectConvolution? _conv;
            private float* _input, _packed, _scale, _shift, _residual, _output;
            private int _scaleLength, _shiftLength, _parts;
            private Activation _activation;

            // Part p computes units [_cuts[p], _cuts[p + 1]).
            private int[] _cuts = Array.Empty<int>();

            public Split()
            {
                PackPart = Pack;
                ComputePart = Compute;
            }

            public void Start(DirectConvolution conv, float* input, float* packed, float* scale, int scaleLength, float* shift, int shiftLength,
                float* residual, Activation activation, float* output, int units, int parts)
            {
                _conv = conv;
                _input = input;
                _packed = packed;
                _scale = scale;
                _scaleLength = scaleLength;
                _shift = shift;
                _shiftLength = shiftLength;
                _residual = residual;
                _activation = activation;
                _output = output;
                _parts = parts;
                Cut(conv, units, parts);
            }

            /// <summary>Cuts the units into <paramref name="parts"/> runs of about equal <see cref="UnitWork"/>: the same cut for the same shape and parts.</summary>
            private void Cut(DirectConvolution conv, int units, int parts)
            {
                if (_cuts.Length < parts + 1)
                {
                    _cuts = new int[parts + 1];
                }

                long total = 0;
                for (int unit = 0; unit < units; unit++)
                {
                    total += conv.UnitWork(unit);
                }

                // Part p starts at the first unit whose work before it reaches p/parts of the total.
                long before = 0;
                int part = 1;
                _cuts[0] = 0;
                for (int unit = 0; unit < units && part < parts; unit++)
                {
                    while (part < parts && before * parts >= part * total)
                    {
                        _cuts[part++] = unit;
                    }

                    before += conv.UnitWork(unit);
                }

                while (part <= parts)
                {
                    _cuts[part++] = units;
                }
            }

            /// <summary>Forgets the spans: the pointers are valid only while the caller keeps them pinned.</summary>
            public void Finish()
            {
                _conv = null;
                _input = _packed = _scale = _shift = _residual = _output = null;
            }

            /// <summary>This part's input blocks, or with fewer blocks than parts (a stem's 3 channels in one) its input rows of every block.</summary>
            private void Pack(int part)
            {
                var conv = _conv!;
                int blocks = conv._layout.InBlocks;
                if (blocks >= _parts)
                {
                    var (first, end) = Partition.Range(blocks, part, _parts);
                    InputPacking.Pack(conv.Shape, in conv._layout, _input, _packed, first, end, 0, conv.Shape.InHeight);
                }
                else
                {
                    var (first, end) = Partition.Range(conv.Shape.InHeight, part, _parts);
                    InputPacking.Pack(conv.Shape, in conv._layout, _input, _packed, 0, blocks, first, end);
                }
            }

            private void Compute(int part)
            {
                var conv = _conv!;
                int first = _cuts[part], end = _cuts[part + 1];
                conv.Execute(_packed, new ReadOnlySpan<float>(_scale, _scaleLength), new ReadOnlySpan<float>(_shift, _shiftLength), _residual, _activation, _output,
                    0, conv._layout.OutBlocks, first, end);
            }
        }

        /// <summary>The micro-kernel of one instruction set, as a struct type argument so each path compiles on its own.</summary>
        private interface ITiles
        {
            /// <summary>
            /// One micro-kernel call: pixel p of the tile reads from <paramref name="input"/> + <paramref name="pixels"/>[p];
            /// the kernels that step evenly from pixel to pixel read only the first and go on <paramref name="step"/> floats at a time.
            /// </summary>
            static abstract void Tile<TBlocks>(float* input, nint* pixels, float* weights, nint outBlockWeights, int* termOffsets, int terms, nint step,
                float* sums, bool resume, bool finish, float* scale, float* shift, bool relu)
                where TBlocks : struct, IBlockPair;

            /// <summary>
            /// Writes a finished tile whose pixels lie side by side in one output row: channel c (c &lt; <paramref name="channels"/>)
            /// as a run of the tile's pixels at <paramref name="target"/> + c·<paramref name="plane"/>. With a
            /// <paramref name="residual"/> (else null) each run is stored as <c>clamp(run + residual's run at the same
            /// place)</c>, <paramref name="clamp"/> being None, ReLU or ReLU6 (ignored without a residual).
            /// </summary>
            static abstract void ScatterRun(float* sums, int channels, float* target, nint plane, float* residual, Activation clamp);
        }

        private readonly struct Avx2Tiles : ITiles
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static void Tile<TBlocks>(float* input, nint* pixels, float* weights, nint outBlockWeights, int* termOffsets, int terms, nint step,
                float* sums, bool resume, bool finish, float* scale, float* shift, bool relu)
                where TBlocks : struct, IBlockPair =>
                DirectKernelAvx2.Tile<TBlocks>(input, pixels, weights, outBlockWeights, termOffsets, terms, sums, resume, finish, scale, shift, relu);

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static void ScatterRun(float* sums, int channels, float* target, nint plane, float* residual, Activation clamp) =>
                DirectKernelAvx2.ScatterRun(sums, channels, target, plane, residual, clamp);
        }

        private readonly struct Avx512Tiles : ITiles
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static void Tile<TBlocks>(float* input, nint* pixels, float* weights, nint outBlockWeights, int* termOffsets, int terms, nint step,
                float* sums, bool resume, bool finish, float* scale, float* shift, bool relu)
                where TBlocks : struct, IBlockPair =>
                DirectKernelAvx512.Tile<TBlocks>(input + pixels[0], weights, outBlockWeights, termOffsets, terms, step, sums, resume, finish, scale, shift, relu);

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static void ScatterRun(float* sums, int channels, float* target, nint plane, float* residual, Activation clamp) =>
                DirectKernelAvx512.ScatterRun(sums, channels, target, plane, residual, clamp);
        }

        private readonly struct ScalarTiles : ITiles
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static void Tile<TBlocks>(float* input, nint* pixels, float* weights, nint outBlockWeights, int* termOffsets, int terms, nint step,
                float* sums, bool resume, bool finish, float* scale, float* shift, bool relu)
                where TBlocks : struct, IBlockPair =>
                DirectKernelScalar.Tile<TBlocks>(input + pixels[0], weights, outBlockWeights, termOffsets, terms, sums, resume, finish, scale, shift, relu);

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static void ScatterRun(float* sums, int channels, float* target, nint plane, float* residual, Activation clamp) =>
                DirectKernelScalar.ScatterRun(sums, channels, target, plane, residual, clamp);
        }
    }
}
