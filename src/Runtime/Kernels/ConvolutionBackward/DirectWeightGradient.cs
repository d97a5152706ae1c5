using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvGen.Kernels.Convolution;
using ConvGen.Threading;

namespace ConvGen.Kernels.ConvolutionBackward
{
    /// <summary>
    /// The weight gradient ∂L/∂W of a stride-1 convolution summed over samples, computed without an im2col matrix:
    /// <c>∂L/∂W[o, i, ky, kx] += Σ over samples and output pixels of ∂L/∂y[o, oy, ox] · x[i, oy + ky − padTop, ox + kx − padLeft]</c>.
    /// </summary>
    /// <remarks>
    /// <para>Each sample's input planes are copied into zero-padded planes <c>Wp = padLeft + width + padRight</c> floats
    /// wide, and its ∂L/∂y rows into planes of the same width (the columns past the output's width zero). Output pixel
    /// <c>q = oy·Wp + ox</c> then reads the input at <c>q + ky·Wp + kx</c>: every weight's sum is one long dot product of a
    /// ∂L/∂y plane with a shifted input plane, with no gather and no padding tests. Register tiles of 4 output channels ×
    /// 3 taps (12 vector sums) run over the pixels; output channels are padded to a multiple of 4 with zero planes and the
    /// taps to a multiple of 3 with reads of the first tap whose sums are dropped. A conv of 1 or 2 output channels
    /// (<see cref="BlockedWeightGradient"/>'s remainder channels: LeNet-5's conv2 has 50 = 6·8 + 2) runs tiles of 2
    /// channels × 6 taps instead, which compute no zero planes; each sum adds the same products in the same order in
    /// either tile. Measured on a double-pumped Zen 4 against the 4 × 3 tiles (main at cfe8152), the two builds
    /// alternated, best thread CPU time, <c>taskset -c 1</c>, load average 5.2–5.4 (a throwaway harness timing
    /// <see cref="Accumulate"/> over 32 samples at the AVX-512 level, µs per sample): LeNet-5's conv2 remainder (5×5
    /// 20→2 on 14×14, pad 2) 10.74 → 6.49–6.58, and <see cref="BlockedWeightGradient"/> of the whole conv2 104.1 →
    /// 101.0; the same at the AVX2 level 10.88 → 6.55 and 108.3 → 105.5. The sums were bit-identical.</para>
    /// <para>The reduction runs in blocks — chunks of <see cref="ChunkFloats"/> pixels of several small samples, or at most
    /// <see cref="BlockFloats"/> pixels of one large one — and each block's sums are added to ∂L/∂W. The blocks depend only
    /// on the shape and the sample count, and threads split the output channels, so the result is bit-identical for every
    /// thread count.</para>
    /// <para>The tiles run on 8-float vectors (AVX2), 16-float vectors (AVX-512) or one float at a time (scalar); every
    /// plane's length is a multiple of 16 so each level's vectors tile it. On a CPU that double-pumps AVX-512
    /// (<see cref="Simd.Avx512DoublePumped"/>) the AVX-512 level runs the 8-float tiles, bit for bit the AVX2 level's
    /// result. Measured on a Zen 4 (<c>CONVGEN_AVX512_WIDTH=full taskset -c 0 dotnet
    /// bench/ConvGen.Benchmarks/bin/Release/net10.0/ConvGen.Benchmarks.dll --backward 3</c>: the AVX2 level, then the
    /// AVX-512 level with its 16-float tiles, in one process, best thread CPU time, load average 3–7), µs per
    /// sample of 32 (one sample alone): 3×3 128→128 28² 2499 against 2750–2858 (2474 against 2726–2736), 64→64 56² 2249 against
    /// 2372 (2261 against 2359), LeNet-5's conv1 5.0 against 5.3–5.6, 5×5 20→50 14² 133 against 147, 3×3 32→32 14² 45
    /// against 51; only 3×3 64→64 7² 65 against 62 (but 120 against 180 for one sample), where the generated code runs
    /// <see cref="BlockedWeightGradient"/> anyway.</para>
    /// <para>Threading: an instance holds only the shape's numbers, so any number of threads may call <see cref="Accumulate"/>
    /// at once (each with its own ∂L/∂W); the padded planes live in per-thread buffers.</para>
    /// </remarks>
    public sealed unsafe class DirectWeightGradient
    {
        /// <summary>Vector sums per register tile: 4 output channels × 3 taps, or 2 × 6 (see <see cref="_tileRows"/>).</summary>
        private const int TileSums = 12;

        /// <summary>Every plane's length, and every block's start, is a multiple of this: the widest vector's floats.</summary>
        private const int PlaneMultiple = 16;

        /// <summary>
        /// Pixels (of one or more samples) whose sums are taken together when the samples are small: a tile's 4 ∂L/∂y rows
        /// of a chunk fill 16 KB, half an L1 cache, while every tap streams past.
        /// </summary>
        /// <remarks>
        /// Measured with <c>ConvGen.Benchmarks --backward</c> (AVX2, one thread), LeNet-5's conv2 (256 padded pixels) over
        /// 32 samples: 162 µs per sample in chunks of 1024 pixels, 176 in chunks of 2048, 197 in chunks of 4096.
        /// </remarks>
        private const int ChunkFloats = 1024;

        /// <summary>The most pixels of one large sample whose sums are taken together before they are added to ∂L/∂W.</summary>
        /// <remarks>
        /// Fewer, longer blocks pay less for the horizontal sums and the tile's set-up than they lose to ∂L/∂y rows that
        /// leave the L1 cache (the hardware prefetcher streams them from L2): 3×3 64→64 on 56×56 (3248 padded pixels) takes
        /// 3.21 ms in 4 blocks of ≈ 812 pixels, 2.88–3.00 ms in 2, 2.84 ms in 1 (same measurement).
        /// </remarks>
        private const int BlockFloats = 4096;

        private readonly int _paddedWidth;
        private readonly int _inPlane;
        private readonly int _outPlane;
        private readonly int _outRows;
        private readonly int _tapCount;
        private readonly int[] _tapOffsets;

        // Output channels (∂L/∂y rows) per register tile: 2 when there are at most 2 (the tile then holds 6 taps), else 4
        // (3 taps). See the remarks.
        private readonly int _tileRows;
        private readonly int _tileTaps;

        // Per-thread buffers, grown on demand and shared by every instance on the thread: a chunk of samples' padded
        // input planes and ∂L/∂y planes.
        [ThreadStatic] private static float[]? t_inputs;
        [ThreadStatic] private static float[]? t_gradients;
        [ThreadStatic] private static Split? t_split;

        /// <param name="shape">The forward convolution's shape: stride 1.</param>
        /// <exception cref="ArgumentException">The shape has a stride above 1.</exception>
        public DirectWeightGradient(ConvolutionShape shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (!Supports(shape))
            {
                throw new ArgumentException(
                    $"The weight gradient runs directly only for stride 1; this convolution has stride {shape.StrideHeight}×{shape.StrideWidth}.", nameof(shape));
            }

            Shape = shape;
            _paddedWidth = shape.PadLeft + shape.InWidth + shape.PadRight;
            var paddedHeight = shape.PadTop + shape.InHeight + shape.PadBottom;

            // The last vector of a ∂L/∂y plane (its length rounded up to 16) reads up to kernelWidth + 14 floats past the
            // padded input plane: the input plane gets that much zeroed slack.
            _outPlane = RoundUp(shape.OutHeight * _paddedWidth, PlaneMultiple);
            _inPlane = RoundUp((paddedHeight * _paddedWidth) + shape.KernelWidth + PlaneMultiple - 1, PlaneMultiple);
            _tileRows = shape.OutChannels <= 2 ? 2 : 4;
            _tileTaps = TileSums / _tileRows;
            _outRows = RoundUp(shape.OutChannels, _tileRows);
            var taps = shape.InChannels * shape.KernelHeight * shape.KernelWidth;
            _tapCount = RoundUp(taps, _tileTaps);
            _tapOffsets = new int[_tapCount];
            for (var t = 0; t < taps; t++)
            {
                var i = t / (shape.KernelHeight * shape.KernelWidth);
                var ky = t / shape.KernelWidth % shape.KernelHeight;
                var kx = t % shape.KernelWidth;
                _tapOffsets[t] = (i * _inPlane) + (ky * _paddedWidth) + kx;
            }
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

            // Whole samples per chunk while they fit a block, else one sample at a time in blocks of pixels.
            var chunk = Math.Clamp(ChunkFloats / _outPlane, 1, samples);
            var packedInputs = SampleBatch.Buffer(ref t_inputs, chunk * s.InChannels * _inPlane);
            var packedGradients = SampleBatch.Buffer(ref t_gradients, chunk * _outRows * _outPlane);
            fixed (float* x = packedInputs)
            fixed (float* z = packedGradients)
            fixed (float* dw = weightGradient)
            {
                for (var first = 0; first < samples; first += chunk)
                {
                    var count = Math.Min(chunk, samples - first);
                    for (var n = 0; n < count; n++)
                    {
                        SampleBatch.PackPadded(s, inputs.Slice((first + n) * inputStride, s.InputLength), packedInputs.Slice(n * s.InChannels * _inPlane, s.InChannels * _inPlane), _paddedWidth, _inPlane);
                        SampleBatch.PackGradientRows(s, outputGradients.Slice((first + n) * gradientStride, s.OutputLength), packedGradients.Slice(n * _outRows * _outPlane, _outRows * _outPlane), _paddedWidth, _outPlane);
                    }

                    var tiles = _outRows / _tileRows;
                    var parts = Partition.Parts(threads, tiles, multiplyAdds: (long)count * _outRows * _tapCount * _outPlane);
                    if (parts == 1)
                    {
                        Reduce(x, z, count, dw, 0, tiles);
                    }
                    else
                    {
                        var split = t_split ??= new Split();
                        split.Start(this, x, z, count, dw, tiles, parts);
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
            }
        }

        /// <summary>Output-channel tiles [firstTile, endTile) of a packed chunk of <paramref name="samples"/> samples, block by block.</summary>
        private void Reduce(float* x, float* z, int samples, float* dw, int firstTile, int endTile)
        {
            var s = Shape;
            var taps = s.InChannels * s.KernelHeight * s.KernelWidth;
            var sums = stackalloc float[TileSums];

            // Locals, not fields, in the loops, so the stores through ∂L/∂W's pointer cannot make the JIT reload them: read
            // from the fields, one sample of LeNet-5's conv2 (4 × 3 tiles, 32 pixels a call) took 182 µs instead of 172–177.
            var tileRows = _tileRows;
            var tileTaps = _tileTaps;
            var tapCount = _tapCount;
            var outPlane = _outPlane;
            var outChannels = s.OutChannels;
            fixed (int* allTaps = _tapOffsets)
            {
                var level = Simd.Level == SimdLevel.Avx512 && Simd.Avx512DoublePumped ? SimdLevel.Avx2 : Simd.Level;
                nint inSample = s.InChannels * _inPlane;
                nint outSample = _outRows * outPlane;
                var blocks = samples > 1 ? 1 : (outPlane + BlockFloats - 1) / BlockFloats;
                for (var block = 0; block < blocks; block++)
                {
                    // One sample's pixels in near-equal blocks, each a multiple of 16 (every plane's length is).
                    var q0 = RoundUp((int)((long)outPlane * block / blocks), PlaneMultiple);
                    var q1 = block == blocks - 1 ? outPlane : RoundUp((int)((long)outPlane * (block + 1) / blocks), PlaneMultiple);
                    for (var tile = firstTile; tile < endTile; tile++)
                    {
                        var o0 = tile * tileRows;
                        var rows = z + (o0 * (nint)outPlane);
                        for (var t0 = 0; t0 < tapCount; t0 += tileTaps)
                        {
                            var taps0 = x + allTaps[t0];
                            var tapOffsets = allTaps + t0;
                            switch (level)
                            {
                                case SimdLevel.Avx512 when tileRows == 2:
                                    TwoRowsAvx512(rows, outPlane, taps0, tapOffsets, samples, outSample, inSample, q0, q1, sums);
                                    break;
                                case SimdLevel.Avx512:
                                    TileAvx512(rows, outPlane, taps0, tapOffsets[1] - tapOffsets[0], tapOffsets[2] - tapOffsets[0], samples, outSample, inSample, q0, q1, sums);
                                    break;
                                case SimdLevel.Avx2 when tileRows == 2:
                                    TwoRowsAvx2(rows, outPlane, taps0, tapOffsets, samples, outSample, inSample, q0, q1, sums);
                                    break;
                                case SimdLevel.Avx2:
                                    TileAvx2(rows, outPlane, taps0, tapOffsets[1] - tapOffsets[0], tapOffsets[2] - tapOffsets[0], samples, outSample, inSample, q0, q1, sums);
                                    break;
                                default:
                                    TileScalar(rows, outPlane, taps0, tapOffsets, tileRows, tileTaps, samples, outSample, inSample, q0, q1, sums);
                                    break;
                            }

                            // Keep the sums of real output channels and taps; the padding's are dropped.
                            for (var o = 0; o < tileRows && o0 + o < outChannels; o++)
                            {
                                var target = dw + ((o0 + o) * (nint)taps);
                                for (var t = 0; t < tileTaps && t0 + t < taps; t++)
                                {
                                    target[t0 + t] += sums[(o * tileTaps) + t];
                                }
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The 12 sums Σ z[o][q] · x[tap + q] of 4 ∂L/∂y rows (<paramref name="rowLength"/> apart) and 3 taps (at
        /// <paramref name="x"/>, +<paramref name="offset1"/>, +<paramref name="offset2"/>) over pixels [q0, q1) of each sample.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TileAvx2(float* z, nint rowLength, float* x, nint offset1, nint offset2, int samples, nint outSample, nint inSample, nint q0, nint q1, float* sums)
        {
            Vector256<float> s00 = default, s01 = default, s02 = default, s10 = default, s11 = default, s12 = default;
            Vector256<float> s20 = default, s21 = default, s22 = default, s30 = default, s31 = default, s32 = default;
            for (var n = 0; n < samples; n++)
            {
                // Pointers to each row's and each tap's first pixel, so the loop's addresses are one register plus the index.
                var r0 = z + (n * outSample) + q0;
                var r1 = r0 + rowLength;
                var r2 = r1 + rowLength;
                var r3 = r2 + rowLength;
                var t0 = x + (n * inSample) + q0;
                var t1 = t0 + offset1;
                var t2 = t0 + offset2;
                var count = q1 - q0;
                for (nint q = 0; q < count; q += 8)
                {
                    var x0 = Avx.LoadVector256(t0 + q);
                    var x1 = Avx.LoadVector256(t1 + q);
                    var x2 = Avx.LoadVector256(t2 + q);
                    var r = Avx.LoadVector256(r0 + q);
                    s00 = Fma.MultiplyAdd(r, x0, s00);
                    s01 = Fma.MultiplyAdd(r, x1, s01);
                    s02 = Fma.MultiplyAdd(r, x2, s02);
                    r = Avx.LoadVector256(r1 + q);
                    s10 = Fma.MultiplyAdd(r, x0, s10);
                    s11 = Fma.MultiplyAdd(r, x1, s11);
                    s12 = Fma.MultiplyAdd(r, x2, s12);
                    r = Avx.LoadVector256(r2 + q);
                    s20 = Fma.MultiplyAdd(r, x0, s20);
                    s21 = Fma.MultiplyAdd(r, x1, s21);
                    s22 = Fma.MultiplyAdd(r, x2, s22);
                    r = Avx.LoadVector256(r3 + q);
                    s30 = Fma.MultiplyAdd(r, x0, s30);
                    s31 = Fma.MultiplyAdd(r, x1, s31);
                    s32 = Fma.MultiplyAdd(r, x2, s32);
                }
            }

            sums[0] = Vector256.Sum(s00);
            sums[1] = Vector256.Sum(s01);
            sums[2] = Vector256.Sum(s02);
            sums[3] = Vector256.Sum(s10);
            sums[4] = Vector256.Sum(s11);
            sums[5] = Vector256.Sum(s12);
            sums[6] = Vector256.Sum(s20);
            sums[7] = Vector256.Sum(s21);
            sums[8] = Vector256.Sum(s22);
            sums[9] = Vector256.Sum(s30);
            sums[10] = Vector256.Sum(s31);
            sums[11] = Vector256.Sum(s32);
        }

        /// <summary><see cref="TileAvx2"/>'s sums on 16-float vectors.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TileAvx512(float* z, nint rowLength, float* x, nint offset1, nint offset2, int samples, nint outSample, nint inSample, nint q0, nint q1, float* sums)
        {
            Vector512<float> s00 = default, s01 = default, s02 = default, s10 = default, s11 = default, s12 = default;
            Vector512<float> s20 = default, s21 = default, s22 = default, s30 = default, s31 = default, s32 = default;
            for (var n = 0; n < samples; n++)
            {
                // Pointers to each row's and each tap's first pixel, so the loop's addresses are one register plus the index.
                var r0 = z + (n * outSample) + q0;
                var r1 = r0 + rowLength;
                var r2 = r1 + rowLength;
                var r3 = r2 + rowLength;
                var t0 = x + (n * inSample) + q0;
                var t1 = t0 + offset1;
                var t2 = t0 + offset2;
                var count = q1 - q0;
                for (nint q = 0; q < count; q += 16)
                {
                    var x0 = Avx512F.LoadVector512(t0 + q);
                    var x1 = Avx512F.LoadVector512(t1 + q);
                    var x2 = Avx512F.LoadVector512(t2 + q);
                    var r = Avx512F.LoadVector512(r0 + q);
                    s00 = Avx512F.FusedMultiplyAdd(r, x0, s00);
                    s01 = Avx512F.FusedMultiplyAdd(r, x1, s01);
                    s02 = Avx512F.FusedMultiplyAdd(r, x2, s02);
                    r = Avx512F.LoadVector512(r1 + q);
                    s10 = Avx512F.FusedMultiplyAdd(r, x0, s10);
                    s11 = Avx512F.FusedMultiplyAdd(r, x1, s11);
                    s12 = Avx512F.FusedMultiplyAdd(r, x2, s12);
                    r = Avx512F.LoadVector512(r2 + q);
                    s20 = Avx512F.FusedMultiplyAdd(r, x0, s20);
                    s21 = Avx512F.FusedMultiplyAdd(r, x1, s21);
                    s22 = Avx512F.FusedMultiplyAdd(r, x2, s22);
                    r = Avx512F.LoadVector512(r3 + q);
                    s30 = Avx512F.FusedMultiplyAdd(r, x0, s30);
                    s31 = Avx512F.FusedMultiplyAdd(r, x1, s31);
                    s32 = Avx512F.FusedMultiplyAdd(r, x2, s32);
                }
            }

            sums[0] = Vector512.Sum(s00);
            sums[1] = Vector512.Sum(s01);
            sums[2] = Vector512.Sum(s02);
            sums[3] = Vector512.Sum(s10);
            sums[4] = Vector512.Sum(s11);
            sums[5] = Vector512.Sum(s12);
            sums[6] = Vector512.Sum(s20);
            sums[7] = Vector512.Sum(s21);
            sums[8] = Vector512.Sum(s22);
            sums[9] = Vector512.Sum(s30);
            sums[10] = Vector512.Sum(s31);
            sums[11] = Vector512.Sum(s32);
        }

        /// <summary>
        /// The 12 sums Σ z[o][q] · x[tap + q] of 2 ∂L/∂y rows (<paramref name="rowLength"/> apart) and 6 taps (at
        /// <paramref name="x"/> + <paramref name="taps"/>[t] − <paramref name="taps"/>[0]) over pixels [q0, q1) of each
        /// sample, into <paramref name="sums"/> as <c>[row, tap]</c>: the tile of <see cref="TileAvx2"/> turned for 1 or
        /// 2 output channels, each tap loaded in turn against the 2 rows held (15 registers).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TwoRowsAvx2(float* z, nint rowLength, float* x, int* taps, int samples, nint outSample, nint inSample, nint q0, nint q1, float* sums)
        {
            Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default, s05 = default;
            Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
            for (var n = 0; n < samples; n++)
            {
                // Pointers to each row's and each tap's first pixel, so the loop's addresses are one register plus the index.
                var r0 = z + (n * outSample) + q0;
                var r1 = r0 + rowLength;
                var t0 = x + (n * inSample) + q0;
                var t1 = t0 + (taps[1] - taps[0]);
                var t2 = t0 + (taps[2] - taps[0]);
                var t3 = t0 + (taps[3] - taps[0]);
                var t4 = t0 + (taps[4] - taps[0]);
                var t5 = t0 + (taps[5] - taps[0]);
                var count = q1 - q0;
                for (nint q = 0; q < count; q += 8)
                {
                    var z0 = Avx.LoadVector256(r0 + q);
                    var z1 = Avx.LoadVector256(r1 + q);
                    var v = Avx.LoadVector256(t0 + q);
                    s00 = Fma.MultiplyAdd(z0, v, s00);
                    s10 = Fma.MultiplyAdd(z1, v, s10);
                    v = Avx.LoadVector256(t1 + q);
                    s01 = Fma.MultiplyAdd(z0, v, s01);
                    s11 = Fma.MultiplyAdd(z1, v, s11);
                    v = Avx.LoadVector256(t2 + q);
                    s02 = Fma.MultiplyAdd(z0, v, s02);
                    s12 = Fma.MultiplyAdd(z1, v, s12);
                    v = Avx.LoadVector256(t3 + q);
                    s03 = Fma.MultiplyAdd(z0, v, s03);
                    s13 = Fma.MultiplyAdd(z1, v, s13);
                    v = Avx.LoadVector256(t4 + q);
                    s04 = Fma.MultiplyAdd(z0, v, s04);
                    s14 = Fma.MultiplyAdd(z1, v, s14);
                    v = Avx.LoadVector256(t5 + q);
                    s05 = Fma.MultiplyAdd(z0, v, s05);
                    s15 = Fma.MultiplyAdd(z1, v, s15);
                }
            }

            sums[0] = Vector256.Sum(s00);
            sums[1] = Vector256.Sum(s01);
            sums[2] = Vector256.Sum(s02);
            sums[3] = Vector256.Sum(s03);
            sums[4] = Vector256.Sum(s04);
            sums[5] = Vector256.Sum(s05);
            sums[6] = Vector256.Sum(s10);
            sums[7] = Vector256.Sum(s11);
            sums[8] = Vector256.Sum(s12);
            sums[9] = Vector256.Sum(s13);
            sums[10] = Vector256.Sum(s14);
            sums[11] = Vector256.Sum(s15);
        }

        /// <summary><see cref="TwoRowsAvx2"/>'s sums on 16-float vectors.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TwoRowsAvx512(float* z, nint rowLength, float* x, int* taps, int samples, nint outSample, nint inSample, nint q0, nint q1, float* sums)
        {
            Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default, s05 = default;
            Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
            for (var n = 0; n < samples; n++)
            {
                // Pointers to each row's and each tap's first pixel, so the loop's addresses are one register plus the index.
                var r0 = z + (n * outSample) + q0;
                var r1 = r0 + rowLength;
                var t0 = x + (n * inSample) + q0;
                var t1 = t0 + (taps[1] - taps[0]);
                var t2 = t0 + (taps[2] - taps[0]);
                var t3 = t0 + (taps[3] - taps[0]);
                var t4 = t0 + (taps[4] - taps[0]);
                var t5 = t0 + (taps[5] - taps[0]);
                var count = q1 - q0;
                for (nint q = 0; q < count; q += 16)
                {
                    var z0 = Avx512F.LoadVector512(r0 + q);
                    var z1 = Avx512F.LoadVector512(r1 + q);
                    var v = Avx512F.LoadVector512(t0 + q);
                    s00 = Avx512F.FusedMultiplyAdd(z0, v, s00);
                    s10 = Avx512F.FusedMultiplyAdd(z1, v, s10);
                    v = Avx512F.LoadVector512(t1 + q);
                    s01 = Avx512F.FusedMultiplyAdd(z0, v, s01);
                    s11 = Avx512F.FusedMultiplyAdd(z1, v, s11);
                    v = Avx512F.LoadVector512(t2 + q);
                    s02 = Avx512F.FusedMultiplyAdd(z0, v, s02);
                    s12 = Avx512F.FusedMultiplyAdd(z1, v, s12);
                    v = Avx512F.LoadVector512(t3 + q);
                    s03 = Avx512F.FusedMultiplyAdd(z0, v, s03);
                    s13 = Avx512F.FusedMultiplyAdd(z1, v, s13);
                    v = Avx512F.LoadVector512(t4 + q);
                    s04 = Avx512F.FusedMultiplyAdd(z0, v, s04);
                    s14 = Avx512F.FusedMultiplyAdd(z1, v, s14);
                    v = Avx512F.LoadVector512(t5 + q);
                    s05 = Avx512F.FusedMultiplyAdd(z0, v, s05);
                    s15 = Avx512F.FusedMultiplyAdd(z1, v, s15);
                }
            }

            sums[0] = Vector512.Sum(s00);
            sums[1] = Vector512.Sum(s01);
            sums[2] = Vector512.Sum(s02);
            sums[3] = Vector512.Sum(s03);
            sums[4] = Vector512.Sum(s04);
            sums[5] = Vector512.Sum(s05);
            sums[6] = Vector512.Sum(s10);
            sums[7] = Vector512.Sum(s11);
            sums[8] = Vector512.Sum(s12);
            sums[9] = Vector512.Sum(s13);
            sums[10] = Vector512.Sum(s14);
            sums[11] = Vector512.Sum(s15);
        }

        /// <summary>
        /// <see cref="TileAvx2"/>'s or <see cref="TwoRowsAvx2"/>'s sums one float at a time: <paramref name="rows"/> rows ×
        /// <paramref name="tileTaps"/> taps, into <paramref name="sums"/> as <c>[row, tap]</c>.
        /// </summary>
        private static void TileScalar(float* z, nint rowLength, float* x, int* taps, int rows, int tileTaps, int samples, nint outSample, nint inSample, nint q0, nint q1, float* sums)
        {
            new Span<float>(sums, rows * tileTaps).Clear();
            for (var n = 0; n < samples; n++)
            {
                for (var o = 0; o < rows; o++)
                {
                    var row = z + (n * outSample) + (o * rowLength);
                    for (var t = 0; t < tileTaps; t++)
                    {
                        var tap = x + (n * inSample) + (taps[t] - taps[0]);
                        float a = 0;
                        for (var q = q0; q < q1; q++)
                        {
                            a += row[q] * tap[q];
                        }

                        sums[(o * tileTaps) + t] += a;
                    }
                }
            }
        }

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

        /// <summary>One packed chunk being split over threads by output-channel tiles: its buffers (pinned by the caller meanwhile) and the cut.</summary>
        private sealed class Split
        {
            public readonly Action<int> RunPart;

            private DirectWeightGradient? _owner;
            private float* _x, _z, _dw;
            private int _samples, _tiles, _parts;

            public Split()
            {
                RunPart = Part;
            }

            public void Start(DirectWeightGradient owner, float* x, float* z, int samples, float* dw, int tiles, int parts)
            {
                _owner = owner;
                _x = x;
                _z = z;
                _samples = samples;
                _dw = dw;
                _tiles = tiles;
                _parts = parts;
            }

            /// <summary>Forgets the buffers: the pointers are valid only while the caller keeps them pinned.</summary>
            public void Finish()
            {
                _owner = null;
                _x = _z = _dw = null;
            }

            private void Part(int part)
            {
                var (first, end) = Partition.Range(_tiles, part, _parts);
                _owner!.Reduce(_x, _z, _samples, _dw, first, end);
            }
        }
    }
}
