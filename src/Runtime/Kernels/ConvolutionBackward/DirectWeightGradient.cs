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
    /// taps to a multiple of 3 with repeats whose sums are dropped, so one tile shape covers every conv.</para>
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
        /// <summary>Output channels per register tile.</summary>
        private const int TileOut = 4;

        /// <summary>Taps (input channel, ky, kx) per register tile.</summary>
        private const int TileTaps = 3;

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
            _outRows = RoundUp(shape.OutChannels, TileOut);
            var taps = shape.InChannels * shape.KernelHeight * shape.KernelWidth;
            _tapCount = RoundUp(taps, TileTaps);
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

                    var tiles = _outRows / TileOut;
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
            var sums = stackalloc float[TileOut * TileTaps];
            var level = Simd.Level == SimdLevel.Avx512 && Simd.Avx512DoublePumped ? SimdLevel.Avx2 : Simd.Level;
            nint inSample = s.InChannels * _inPlane;
            nint outSample = _outRows * _outPlane;
            var blocks = samples > 1 ? 1 : (_outPlane + BlockFloats - 1) / BlockFloats;
            for (var block = 0; block < blocks; block++)
            {
                // One sample's pixels in near-equal blocks, each a multiple of 16 (every plane's length is).
                var q0 = RoundUp((int)((long)_outPlane * block / blocks), PlaneMultiple);
                var q1 = block == blocks - 1 ? _outPlane : RoundUp((int)((long)_outPlane * (block + 1) / blocks), PlaneMultiple);
                for (var tile = firstTile; tile < endTile; tile++)
                {
                    var o0 = tile * TileOut;
                    var rows = z + (o0 * (nint)_outPlane);
                    for (var t0 = 0; t0 < _tapCount; t0 += TileTaps)
                    {
                        var taps0 = x + _tapOffsets[t0];
                        nint offset1 = _tapOffsets[t0 + 1] - _tapOffsets[t0];
                        nint offset2 = _tapOffsets[t0 + 2] - _tapOffsets[t0];
                        switch (level)
                        {
                            case SimdLevel.Avx512:
                                TileAvx512(rows, _outPlane, taps0, offset1, offset2, samples, outSample, inSample, q0, q1, sums);
                                break;
                            case SimdLevel.Avx2:
                                TileAvx2(rows, _outPlane, taps0, offset1, offset2, samples, outSample, inSample, q0, q1, sums);
                                break;
                            default:
                                TileScalar(rows, _outPlane, taps0, offset1, offset2, samples, outSample, inSample, q0, q1, sums);
                                break;
                        }

                        // Keep the sums of real output channels and taps; the padding's are dropped.
                        for (var o = 0; o < TileOut && o0 + o < s.OutChannels; o++)
                        {
                            var target = dw + ((o0 + o) * (nint)taps);
                            for (var t = 0; t < TileTaps && t0 + t < taps; t++)
                            {
                                target[t0 + t] += sums[(o * TileTaps) + t];
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

        /// <summary><see cref="TileAvx2"/>'s sums one float at a time.</summary>
        private static void TileScalar(float* z, nint rowLength, float* x, nint offset1, nint offset2, int samples, nint outSample, nint inSample, nint q0, nint q1, float* sums)
        {
            new Span<float>(sums, TileOut * TileTaps).Clear();
            for (var n = 0; n < samples; n++)
            {
                var rows = z + (n * outSample);
                var taps = x + (n * inSample);
                for (var o = 0; o < TileOut; o++)
                {
                    var row = rows + (o * rowLength);
                    float a0 = 0, a1 = 0, a2 = 0;
                    for (var q = q0; q < q1; q++)
                    {
                        a0 += row[q] * taps[q];
                        a1 += row[q] * taps[offset1 + q];
                        a2 += row[q] * taps[offset2 + q];
                    }

                    sums[o * TileTaps] += a0;
                    sums[(o * TileTaps) + 1] += a1;
                    sums[(o * TileTaps) + 2] += a2;
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
