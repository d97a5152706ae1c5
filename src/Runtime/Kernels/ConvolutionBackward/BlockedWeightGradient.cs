using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvGen.Kernels.Convolution;
using ConvGen.Threading;

namespace ConvGen.Kernels.ConvolutionBackward
{
    /// <summary>
    /// The weight gradient ∂L/∂W of a stride-1 convolution summed over samples, with the output channels in vector lanes
    /// and the output pixels one after another: <c>∂L/∂W[o, i, ky, kx] += Σ over samples and output pixels of
    /// ∂L/∂y[o, oy, ox] · x[i, oy + ky − padTop, ox + kx − padLeft]</c>, for planes too narrow for
    /// <see cref="DirectWeightGradient"/>'s padded rows.
    /// </summary>
    /// <remarks>
    /// <para>Each sample's input planes are copied into zero-padded planes <c>Wp = padLeft + width + padRight</c> floats
    /// wide, and its ∂L/∂y into blocks of 8 output channels (16 on AVX-512) stored pixel by pixel
    /// (<c>[block, oh·ow, lane]</c>, the lanes past the last channel zero). Output pixel p reads tap (i, ky, kx) of the input
    /// at <c>pixel[p] + tap</c>, both from tables (<c>pixel[p] = oy·Wp + ox</c>, <c>tap = i·plane + ky·Wp + kx</c>), so the
    /// pixels run as one flat list over the whole plane and only real output pixels are computed, however narrow the rows
    /// (<see cref="DirectWeightGradient"/>'s dot products also run over the padding columns: 18 for 14 on LeNet-5's conv2).
    /// A register tile is 2 channel blocks × 6 taps (12 vector sums): per pixel it loads the 2 ∂L/∂y vectors and multiplies
    /// them by each tap's input, broadcast. The vector sums hold ∂L/∂W of 8 (16) channels at a tap directly, so there are no
    /// horizontal sums; the taps are padded to a multiple of 6 with repeats whose sums are dropped, and an odd last block
    /// runs alone. Channels past the last full block that fill at most half a block go to <see cref="DirectWeightGradient"/>
    /// instead (see <see cref="Remainder"/>).</para>
    /// <para>The reduction runs in blocks — whole samples, about <see cref="ChunkPixels"/> pixels together, or that many
    /// pixels of one large sample — and each block's sums are added to ∂L/∂W. The blocks depend only on the shape and the
    /// sample count, and threads split the channel-block pairs, so the result is bit-identical for every thread count.</para>
    /// <para>The tiles run on 8-float vectors (AVX2), 16-float vectors (AVX-512) or one float at a time (scalar, on the AVX2
    /// layout). The 16-float tiles run on a CPU that double-pumps AVX-512 too (<see cref="Simd.Avx512DoublePumped"/>; only
    /// the remainder channels, on <see cref="DirectWeightGradient"/>, follow that choice): measured on a Zen 4
    /// (<c>CONVGEN_AVX512_WIDTH=full taskset -c 0 dotnet bench/ConvGen.Benchmarks/bin/Release/net10.0/ConvGen.Benchmarks.dll
    /// --backward 3</c>, µs per sample of 32, AVX2 against AVX-512, load average 3–7) they are as fast or faster on the
    /// planes narrower than <see cref="DirectWeightGradient"/>'s that the generated code gives this kernel: LeNet-5's conv2
    /// 101.6 against 101.1, unpadded 56.0 against 54.1, 3×3 32→32 14² 38.7 against 38.5, 64→64 7² 40.5 against 36.1.</para>
    /// <para>Threading: an instance holds only the shape's numbers, so any number of threads may call <see cref="Accumulate"/>
    /// at once (each with its own ∂L/∂W); the packed planes live in per-thread buffers.</para>
    /// </remarks>
    public sealed unsafe class BlockedWeightGradient
    {
        /// <summary>Taps (input channel, ky, kx) per register tile.</summary>
        private const int TileTaps = 6;

        /// <summary>Channel blocks per register tile.</summary>
        private const int TileBlocks = 2;

        /// <summary>
        /// Pixels (of one or more samples) whose sums are taken together before they are added to ∂L/∂W: a tile's 2 blocks
        /// of ∂L/∂y for that many pixels, 128 KB on AVX2, stream from L2 in order while the taps' inputs stay close.
        /// </summary>
        /// <remarks>
        /// Measured with <c>ConvGen.Benchmarks --backward</c> (AVX2, one thread, thread CPU time, 32 samples, load average
        /// 10–13 on the shared 2-core machine, two alternating runs each, µs per sample): LeNet-5's conv2 with padding 2 in
        /// chunks of 256, 512, 1024 and 2048 pixels 153–162, 147–193, 141–151 and 139–142; without padding 80–90, 75–78,
        /// 71–93 and 72–74. Adding a chunk's sums to ∂L/∂W costs each tile a store and up to 96 scalar additions per 6 taps.
        /// </remarks>
        private const int ChunkPixels = 2048;

        private readonly int _paddedWidth;
        private readonly int _inPlane;
        private readonly int _pixels;
        private readonly int _taps;
        private readonly int[] _tapOffsets;
        private readonly nint[] _pixelOffsets;

        // The last few output channels, when they fill at most half a block of 8 (AVX2, scalar) or 16 (AVX-512) after at
        // least one full block: their ∂L/∂W runs on DirectWeightGradient instead of a mostly empty block.
        private readonly DirectWeightGradient? _remainder8;
        private readonly DirectWeightGradient? _remainder16;

        // Per-thread buffers, grown on demand and shared by every instance on the thread: a chunk of samples' padded
        // input planes and blocked ∂L/∂y.
        [ThreadStatic] private static float[]? t_inputs;
        [ThreadStatic] private static float[]? t_gradients;
        [ThreadStatic] private static Chunk? t_chunk;

        /// <param name="shape">The forward convolution's shape: stride 1.</param>
        /// <exception cref="ArgumentException">The shape has a stride above 1.</exception>
        public BlockedWeightGradient(ConvolutionShape shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (!Supports(shape))
            {
                throw new ArgumentException(
                    $"The weight gradient runs on channel blocks only for stride 1; this convolution has stride {shape.StrideHeight}×{shape.StrideWidth}.", nameof(shape));
            }

            Shape = shape;
            _paddedWidth = shape.PadLeft + shape.InWidth + shape.PadRight;
            _inPlane = (shape.PadTop + shape.InHeight + shape.PadBottom) * _paddedWidth;
            _pixels = shape.OutHeight * shape.OutWidth;
            _pixelOffsets = new nint[_pixels];
            for (var p = 0; p < _pixels; p++)
            {
                _pixelOffsets[p] = (p / shape.OutWidth * _paddedWidth) + (p % shape.OutWidth);
            }

            // Tap t reads the input at pixel + _tapOffsets[t]; the last real pixel's last tap, (oh − 1 + kh − 1)·Wp + ow − 1
            // + kw − 1, is the padded plane's last float, so no read leaves the planes.
            _taps = shape.InChannels * shape.KernelHeight * shape.KernelWidth;
            _tapOffsets = new int[(_taps + TileTaps - 1) / TileTaps * TileTaps];
            for (var t = 0; t < _tapOffsets.Length; t++)
            {
                var tap = Math.Min(t, _taps - 1);
                var i = tap / (shape.KernelHeight * shape.KernelWidth);
                var ky = tap / shape.KernelWidth % shape.KernelHeight;
                var kx = tap % shape.KernelWidth;
                _tapOffsets[t] = (i * _inPlane) + (ky * _paddedWidth) + kx;
            }

            _remainder8 = Remainder(shape, 8);
            _remainder16 = Remainder(shape, 16);
        }

        /// <summary>The forward convolution's shape.</summary>
        public ConvolutionShape Shape { get; }

        /// <summary>Whether the weight gradient of <paramref name="shape"/> runs here: stride 1.</summary>
        public static bool Supports(ConvolutionShape shape) => shape.StrideHeight == 1 && shape.StrideWidth == 1;

        /// <summary>
        /// Adds the weight gradient of <paramref name="samples"/> samples to <paramref name="weightGradient"/>
        /// (<c>[out, in, kh, kw]</c>). Sample s's input starts at <c>s·inputStride</c> of <paramref name="inputs"/>, its
        /// ∂L/∂y (<c>[out, oh, ow]</c>) at <c>s·gradientStride</c> of <paramref name="outputGradients"/>.
        /// <paramref name="threads"/> is how many threads may share the output channels; the result is the same for every count.
        /// </summary>
        /// <exception cref="ArgumentException">A span is too short, or a stride is shorter than its sample.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is negative or <paramref name="threads"/> is less than 1.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Accumulate(ReadOnlySpan<float> inputs, int inputStride, ReadOnlySpan<float> outputGradients, int gradientStride,
            int samples, Span<float> weightGradient, int threads = 1)
        {
            var s = Shape;
            SampleBatch.CheckAccumulate(s, inputs.Length, inputStride, outputGradients.Length, gradientStride, samples, weightGradient.Length, threads);
            if (samples == 0)
            {
                return;
            }

            var level = Simd.Level;
            var remainder = level == SimdLevel.Avx512 ? _remainder16 : _remainder8;
            var channels = s.OutChannels - (remainder?.Shape.OutChannels ?? 0);
            var chunk = t_chunk ??= new Chunk();
            chunk.Start(this, level, channels, Math.Clamp(ChunkPixels / _pixels, 1, samples));
            var packedInputs = SampleBatch.Buffer(ref t_inputs, chunk.Samples * chunk.InSample);
            var packedGradients = SampleBatch.Buffer(ref t_gradients, chunk.Samples * chunk.OutSample);
            fixed (float* x = packedInputs)
            fixed (float* z = packedGradients)
            fixed (float* dw = weightGradient)
            fixed (int* taps = _tapOffsets)
            fixed (nint* pixels = _pixelOffsets)
            {
                chunk.Pin(x, z, dw, taps, pixels);
                try
                {
                    for (var first = 0; first < samples; first += chunk.Samples)
                    {
                        var count = Math.Min(chunk.Samples, samples - first);
                        for (var n = 0; n < count; n++)
                        {
                            SampleBatch.PackPadded(s, inputs.Slice((first + n) * inputStride, s.InputLength), packedInputs.Slice(n * chunk.InSample, chunk.InSample), _paddedWidth, _inPlane);
                            PackGradient(outputGradients.Slice((first + n) * gradientStride, s.OutputLength), packedGradients.Slice(n * chunk.OutSample, chunk.OutSample), channels, chunk.Block, level != SimdLevel.Scalar);
                        }

                        chunk.Count = count;
                        chunk.Parts = Partition.Parts(threads, chunk.Tiles, multiplyAdds: (long)count * chunk.Blocks * chunk.Block * _tapOffsets.Length * _pixels);
                        if (chunk.Parts == 1)
                        {
                            chunk.Reduce(0, chunk.Tiles);
                        }
                        else
                        {
                            WorkerPool.For(chunk.Parts, chunk.Parts, chunk.RunPart);
                        }
                    }
                }
                finally
                {
                    chunk.Finish();
                }
            }

            if (remainder is not null)
            {
                remainder.Accumulate(inputs, inputStride, outputGradients.Slice(channels * _pixels), gradientStride, samples, weightGradient.Slice(channels * _taps), threads);
            }
        }

        /// <summary>
        /// The kernel for the last <c>out mod block</c> channels when they fill at most half a block after at least one full
        /// block, else null (the channels run in the blocks). On LeNet-5's conv2 (50 = 6·8 + 2 channels), a block holding 2
        /// channels costs as much as half a pair's; DirectWeightGradient's tile of 4 channels × 3 taps costs about half as
        /// much for them (its pixels in lanes run over the padded rows, 18 for 14).
        /// </summary>
        private static DirectWeightGradient? Remainder(ConvolutionShape s, int block)
        {
            var rest = s.OutChannels % block;
            return s.OutChannels > block && rest > 0 && rest <= block / 2
                ? new DirectWeightGradient(new ConvolutionShape(
                    inChannels: s.InChannels, inHeight: s.InHeight, inWidth: s.InWidth, outChannels: rest, kernelHeight: s.KernelHeight, kernelWidth: s.KernelWidth,
                    padTop: s.PadTop, padLeft: s.PadLeft, padBottom: s.PadBottom, padRight: s.PadRight))
                : null;
        }

        /// <summary>
        /// One sample's ∂L/∂y (<c>[out, oh·ow]</c>) of its first <paramref name="channels"/> channels into blocks of
        /// <paramref name="block"/> channels, <c>[block, pixel, lane]</c>, zero past the last channel: on the vector levels
        /// 8 channels × 8 pixels at a time through a register transpose (a plane's last 8 pixels overlapping the 8 before
        /// when its size is not a multiple of 8); one float at a time on the scalar level. The float-at-a-time loop took
        /// 3.06 µs per sample of LeNet-5's conv2 (48 channels in blocks of 8) of the ≈ 104 of <see cref="Accumulate"/>;
        /// with the transpose and <see cref="DirectWeightGradient"/>'s 2-channel tiles the whole Accumulate went from
        /// 107.8–111.0 (main at cfe8152) to 95.5–96.5 µs per sample of 32 (the harness and alternation of
        /// <see cref="DirectWeightGradient"/>'s remarks, AVX-512 level, load average 7.3–7.5), against 101.0 with the
        /// 2-channel tiles alone.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackGradient(ReadOnlySpan<float> gradient, Span<float> packed, int channels, int block, bool vector)
        {
            if (!vector || _pixels < 8)
            {
                packed.Clear();
                for (var o = 0; o < channels; o++)
                {
                    var source = gradient.Slice(o * _pixels, _pixels);
                    var target = packed.Slice((o / block * _pixels * block) + (o % block));
                    for (var p = 0; p < _pixels; p++)
                    {
                        target[p * block] = source[p];
                    }
                }

                return;
            }

            var blocks = (channels + block - 1) / block;
            fixed (float* z = gradient)
            fixed (float* target = packed)
            {
                for (var b = 0; b < blocks; b++)
                {
                    for (var lane = 0; lane < block; lane += 8)
                    {
                        var first = (b * block) + lane;
                        for (var p = 0; p < _pixels; p += 8)
                        {
                            p = Math.Min(p, _pixels - 8);
                            InputPacking.Transpose8(z + ((nint)first * _pixels) + p, _pixels, channels - first, target + ((((nint)b * _pixels) + p) * block) + lane, block);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// A packed chunk of samples and how its reduction is cut: channel blocks in pairs (the tiles, which threads split),
        /// taps in sixes, and the pixels of a lone large sample in near-equal runs. Its pointers are valid only while
        /// <see cref="Accumulate"/> keeps the buffers pinned; one per calling thread, reused.
        /// </summary>
        private sealed class Chunk
        {
            public readonly Action<int> RunPart;

            private BlockedWeightGradient? _owner;
            private SimdLevel _level;
            private float* _x, _z, _dw;
            private int* _taps;
            private nint* _pixels;

            public Chunk()
            {
                RunPart = Part;
            }

            /// <summary>Sets the chunk up for <paramref name="channels"/> output channels in blocks and chunks of <paramref name="samples"/> samples.</summary>
            public void Start(BlockedWeightGradient owner, SimdLevel level, int channels, int samples)
            {
                _owner = owner;
                _level = level;
                Samples = samples;
                Block = level == SimdLevel.Avx512 ? 16 : 8;
                Blocks = (channels + Block - 1) / Block;
                Tiles = (Blocks + TileBlocks - 1) / TileBlocks;
                InSample = owner.Shape.InChannels * owner._inPlane;
                OutSample = Blocks * owner._pixels * Block;
            }

            /// <summary>Samples per chunk (the last may hold fewer).</summary>
            public int Samples { get; private set; }

            /// <summary>Samples in the chunk being reduced.</summary>
            public int Count { get; set; }

            /// <summary>Threads sharing the chunk's tiles.</summary>
            public int Parts { get; set; }

            /// <summary>Channels per block: the vector width in floats.</summary>
            public int Block { get; private set; }

            public int Blocks { get; private set; }

            /// <summary>Pairs of channel blocks (the last may be one block).</summary>
            public int Tiles { get; private set; }

            /// <summary>Floats of one sample's padded input planes.</summary>
            public int InSample { get; private set; }

            /// <summary>Floats of one sample's blocked ∂L/∂y.</summary>
            public int OutSample { get; private set; }

            public void Pin(float* x, float* z, float* dw, int* taps, nint* pixels)
            {
                _x = x;
                _z = z;
                _dw = dw;
                _taps = taps;
                _pixels = pixels;
            }

            /// <summary>Forgets the buffers and the instance.</summary>
            public void Finish()
            {
                _owner = null;
                _x = _z = _dw = null;
                _taps = null;
                _pixels = null;
            }

            /// <summary>Tiles [firstTile, endTile) of the packed chunk, pixel run by pixel run.</summary>
            public void Reduce(int firstTile, int endTile)
            {
                var owner = _owner!;
                var s = owner.Shape;
                var taps = owner._taps;
                var pixels = owner._pixels;
                var sums = stackalloc float[TileTaps * TileBlocks * 16];
                nint blockStride = (nint)pixels * Block;
                var runs = Count > 1 ? 1 : (pixels + ChunkPixels - 1) / ChunkPixels;
                for (var run = 0; run < runs; run++)
                {
                    var p0 = (int)((long)pixels * run / runs);
                    var p1 = (int)((long)pixels * (run + 1) / runs);
                    for (var tile = firstTile; tile < endTile; tile++)
                    {
                        var b0 = tile * TileBlocks;
                        var two = b0 + 1 < Blocks;
                        var z = _z + (b0 * blockStride) + ((nint)p0 * Block);
                        for (var t0 = 0; t0 < owner._tapOffsets.Length; t0 += TileTaps)
                        {
                            Tile(z, blockStride, two, _taps + t0, p0, p1, sums);

                            // Keep the sums of real output channels and taps; the padding's are dropped.
                            var tapEnd = Math.Min(TileTaps, taps - t0);
                            for (var b = 0; b < (two ? 2 : 1); b++)
                            {
                                var lanes = Math.Min(Block, s.OutChannels - ((b0 + b) * Block));
                                for (var lane = 0; lane < lanes; lane++)
                                {
                                    var target = _dw + ((((b0 + b) * Block) + lane) * (nint)taps) + t0;
                                    for (var t = 0; t < tapEnd; t++)
                                    {
                                        target[t] += sums[(((t * TileBlocks) + b) * Block) + lane];
                                    }
                                }
                            }
                        }
                    }
                }
            }

            private void Tile(float* z, nint blockStride, bool two, int* taps, int p0, int p1, float* sums)
            {
                var pixels = _pixels + p0;
                nint count = p1 - p0;
                switch (_level)
                {
                    case SimdLevel.Avx512 when two:
                        TileAvx512<TwoBlocks>(_x, InSample, taps, pixels, count, z, blockStride, OutSample, Count, sums);
                        break;
                    case SimdLevel.Avx512:
                        TileAvx512<OneBlock>(_x, InSample, taps, pixels, count, z, blockStride, OutSample, Count, sums);
                        break;
                    case SimdLevel.Avx2 when two:
                        TileAvx2<TwoBlocks>(_x, InSample, taps, pixels, count, z, blockStride, OutSample, Count, sums);
                        break;
                    case SimdLevel.Avx2:
                        TileAvx2<OneBlock>(_x, InSample, taps, pixels, count, z, blockStride, OutSample, Count, sums);
                        break;
                    default:
                        TileScalar(_x, InSample, taps, pixels, count, z, blockStride, OutSample, Count, two ? 2 : 1, sums);
                        break;
                }
            }

            private void Part(int part)
            {
                var (first, end) = Partition.Range(Tiles, part, Parts);
                Reduce(first, end);
            }
        }

        /// <summary>
        /// The sums Σ z[b][p][lane] · x[taps[t] + pixels[p]] of 6 taps and 1 or 2 channel blocks (<paramref name="blockStride"/>
        /// apart) over <paramref name="count"/> pixels of each sample, into <paramref name="sums"/> as <c>[tap, block, 8 lanes]</c>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TileAvx2<TBlocks>(float* x, nint inSample, int* taps, nint* pixels, nint count, float* z, nint blockStride, nint outSample, int samples, float* sums)
            where TBlocks : struct, IBlockPair
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (var n = 0; n < samples; n++)
            {
                // Each tap's first input, so a broadcast is one register plus the pixel's offset.
                var xs = x + (n * inSample);
                var a0 = xs + taps[0];
                var a1 = xs + taps[1];
                var a2 = xs + taps[2];
                var a3 = xs + taps[3];
                var a4 = xs + taps[4];
                var a5 = xs + taps[5];
                var g = z + (n * outSample);
                for (nint p = 0; p < count; p++)
                {
                    var at = pixels[p];
                    var d0 = Avx.LoadVector256(g);
                    var d1 = TBlocks.Two ? Avx.LoadVector256(g + blockStride) : default;
                    var v = Vector256.Create(a0[at]);
                    c00 = Fma.MultiplyAdd(v, d0, c00);
                    if (TBlocks.Two) c01 = Fma.MultiplyAdd(v, d1, c01);
                    v = Vector256.Create(a1[at]);
                    c10 = Fma.MultiplyAdd(v, d0, c10);
                    if (TBlocks.Two) c11 = Fma.MultiplyAdd(v, d1, c11);
                    v = Vector256.Create(a2[at]);
                    c20 = Fma.MultiplyAdd(v, d0, c20);
                    if (TBlocks.Two) c21 = Fma.MultiplyAdd(v, d1, c21);
                    v = Vector256.Create(a3[at]);
                    c30 = Fma.MultiplyAdd(v, d0, c30);
                    if (TBlocks.Two) c31 = Fma.MultiplyAdd(v, d1, c31);
                    v = Vector256.Create(a4[at]);
                    c40 = Fma.MultiplyAdd(v, d0, c40);
                    if (TBlocks.Two) c41 = Fma.MultiplyAdd(v, d1, c41);
                    v = Vector256.Create(a5[at]);
                    c50 = Fma.MultiplyAdd(v, d0, c50);
                    if (TBlocks.Two) c51 = Fma.MultiplyAdd(v, d1, c51);
                    g += 8;
                }
            }

            Avx.Store(sums, c00);
            Avx.Store(sums + 8, c01);
            Avx.Store(sums + 16, c10);
            Avx.Store(sums + 24, c11);
            Avx.Store(sums + 32, c20);
            Avx.Store(sums + 40, c21);
            Avx.Store(sums + 48, c30);
            Avx.Store(sums + 56, c31);
            Avx.Store(sums + 64, c40);
            Avx.Store(sums + 72, c41);
            Avx.Store(sums + 80, c50);
            Avx.Store(sums + 88, c51);
        }

        /// <summary><see cref="TileAvx2{TBlocks}"/>'s sums on blocks of 16 channels, as <c>[tap, block, 16 lanes]</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TileAvx512<TBlocks>(float* x, nint inSample, int* taps, nint* pixels, nint count, float* z, nint blockStride, nint outSample, int samples, float* sums)
            where TBlocks : struct, IBlockPair
        {
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (var n = 0; n < samples; n++)
            {
                var xs = x + (n * inSample);
                var a0 = xs + taps[0];
                var a1 = xs + taps[1];
                var a2 = xs + taps[2];
                var a3 = xs + taps[3];
                var a4 = xs + taps[4];
                var a5 = xs + taps[5];
                var g = z + (n * outSample);
                for (nint p = 0; p < count; p++)
                {
                    var at = pixels[p];
                    var d0 = Avx512F.LoadVector512(g);
                    var d1 = TBlocks.Two ? Avx512F.LoadVector512(g + blockStride) : default;
                    var v = Vector512.Create(a0[at]);
                    c00 = Avx512F.FusedMultiplyAdd(v, d0, c00);
                    if (TBlocks.Two) c01 = Avx512F.FusedMultiplyAdd(v, d1, c01);
                    v = Vector512.Create(a1[at]);
                    c10 = Avx512F.FusedMultiplyAdd(v, d0, c10);
                    if (TBlocks.Two) c11 = Avx512F.FusedMultiplyAdd(v, d1, c11);
                    v = Vector512.Create(a2[at]);
                    c20 = Avx512F.FusedMultiplyAdd(v, d0, c20);
                    if (TBlocks.Two) c21 = Avx512F.FusedMultiplyAdd(v, d1, c21);
                    v = Vector512.Create(a3[at]);
                    c30 = Avx512F.FusedMultiplyAdd(v, d0, c30);
                    if (TBlocks.Two) c31 = Avx512F.FusedMultiplyAdd(v, d1, c31);
                    v = Vector512.Create(a4[at]);
                    c40 = Avx512F.FusedMultiplyAdd(v, d0, c40);
                    if (TBlocks.Two) c41 = Avx512F.FusedMultiplyAdd(v, d1, c41);
                    v = Vector512.Create(a5[at]);
                    c50 = Avx512F.FusedMultiplyAdd(v, d0, c50);
                    if (TBlocks.Two) c51 = Avx512F.FusedMultiplyAdd(v, d1, c51);
                    g += 16;
                }
            }

            Avx512F.Store(sums, c00);
            Avx512F.Store(sums + 16, c01);
            Avx512F.Store(sums + 32, c10);
            Avx512F.Store(sums + 48, c11);
            Avx512F.Store(sums + 64, c20);
            Avx512F.Store(sums + 80, c21);
            Avx512F.Store(sums + 96, c30);
            Avx512F.Store(sums + 112, c31);
            Avx512F.Store(sums + 128, c40);
            Avx512F.Store(sums + 144, c41);
            Avx512F.Store(sums + 160, c50);
            Avx512F.Store(sums + 176, c51);
        }

        /// <summary><see cref="TileAvx2{TBlocks}"/>'s sums one float at a time, for <paramref name="blocks"/> (1 or 2) blocks of 8 channels.</summary>
        private static void TileScalar(float* x, nint inSample, int* taps, nint* pixels, nint count, float* z, nint blockStride, nint outSample, int samples, int blocks, float* sums)
        {
            const int block = 8;
            new Span<float>(sums, TileTaps * TileBlocks * block).Clear();
            for (var n = 0; n < samples; n++)
            {
                for (var t = 0; t < TileTaps; t++)
                {
                    var a = x + (n * inSample) + taps[t];
                    for (var b = 0; b < blocks; b++)
                    {
                        var g = z + (n * outSample) + (b * blockStride);
                        var target = sums + (((t * TileBlocks) + b) * block);
                        for (var lane = 0; lane < block; lane++)
                        {
                            float sum = 0;
                            for (nint p = 0; p < count; p++)
                            {
                                sum += g[(p * block) + lane] * a[pixels[p]];
                            }

                            target[lane] += sum;
                        }
                    }
                }
            }
        }
    }
}
