using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvGen.Kernels.Convolution;
using ConvGen.Threading;

namespace ConvGen.Kernels.ConvolutionBackward
{
    /// <summary>
    /// The weight gradient ∂L/∂W of a 3×3, stride-1 convolution summed over samples, by Winograd's F(2×2, 3×3): 16
    /// multiply-adds per 2×2 output tile and channel pair instead of 36. The forward of a tile is
    /// <c>Y = Aᵀ [Σ_c (G g G<sup>T</sup>) ⊙ (Bᵀ d B)] A</c>; its adjoint in the weights is
    /// <c>∂L/∂g[k, c] = Gᵀ [Σ_tiles (A ∂L/∂Y A<sup>T</sup>)[k] ⊙ (Bᵀ d B)[c]] G</c>, so for each of the 16 positions of the
    /// 4×4 transformed tile the sums over tiles are one product of the transformed gradients (<c>[out, tiles]</c>) with the
    /// transposed transformed inputs (<c>[in, tiles]</c>), run on <see cref="Gemm"/>; the 4×4 sums of every channel pair
    /// are turned back into 3×3 once per call.
    /// </summary>
    /// <remarks>
    /// <para>Each sample's input is copied into zero-padded planes and its ∂L/∂y into planes cut to whole tiles (zeros
    /// past the output), so no tile needs a bounds test; the tiles are taken a chunk of tile rows at a time, transformed
    /// eight neighbouring tiles per AVX2 vector (a row's tiles read as the even and odd floats of 16), and each chunk's
    /// 16 products are added into the 16 sums.</para>
    /// <para>Threads: per chunk, the transforms split by channels and then the 16 products by positions, each position's
    /// sums computed on one thread as on one, so the result is bit-identical for every thread count (two forks per chunk;
    /// splitting each of the 16 products instead cost a fork each and scaled poorly). An instance holds only the shape's
    /// numbers; any number of threads may call <see cref="Accumulate"/> at once (each with its own ∂L/∂W).</para>
    /// </remarks>
    public sealed unsafe class WinogradWeightGradient
    {
        /// <summary>Positions of the 4×4 transformed tile.</summary>
        private const int Positions = 16;

        /// <summary>Tiles per chunk: whole tile rows, as many as fit in this many (at least one row).</summary>
        private const int ChunkTiles = 128;

        /// <summary>Tiles one vector transforms.</summary>
        private const int Lanes = 8;

        private readonly int _tileRows;
        private readonly int _tileColumns;
        private readonly int _inputWidth;
        private readonly int _inputPlane;
        private readonly int _gradientWidth;
        private readonly int _gradientPlane;
        private readonly int _chunkRows;
        private readonly int _leading;

        // Per-thread buffers, grown on demand and shared by every instance on the thread.
        [ThreadStatic] private static float[]? t_input;
        [ThreadStatic] private static float[]? t_gradient;
        [ThreadStatic] private static float[]? t_transformedInput;
        [ThreadStatic] private static float[]? t_transformedGradient;
        [ThreadStatic] private static float[]? t_sums;

        // Each calling thread reuses its own split: a thread runs one Accumulate at a time.
        [ThreadStatic] private static Split? t_split;

        /// <param name="shape">The convolution's shape: a 3×3 kernel, stride 1, any padding.</param>
        /// <exception cref="ArgumentNullException"><paramref name="shape"/> is null.</exception>
        /// <exception cref="ArgumentException">The kernel is not 3×3 or the stride is not 1.</exception>
        public WinogradWeightGradient(ConvolutionShape shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (!Supports(shape))
            {
                throw new ArgumentException(
                    $"The Winograd weight gradient needs a 3×3 kernel with stride 1; this convolution has a {shape.KernelHeight}×{shape.KernelWidth} kernel with stride {shape.StrideHeight}×{shape.StrideWidth}.",
                    nameof(shape));
            }

            Shape = shape;
            _tileRows = (shape.OutHeight + 1) / 2;
            _tileColumns = (shape.OutWidth + 1) / 2;
            var vectorColumns = (_tileColumns + Lanes - 1) / Lanes * Lanes;

            // Tile (ty, tx) reads padded input rows 2ty … 2ty + 3 and columns 2tx … 2tx + 3; a vector of tiles reads 16
            // floats from 2tx and from 2tx + 2, so a row holds 2·vectorColumns + 2 floats.
            _inputWidth = (2 * vectorColumns) + 2;
            _inputPlane = ((2 * _tileRows) + 2) * _inputWidth;
            _gradientWidth = 2 * vectorColumns;
            _gradientPlane = 2 * _tileRows * _gradientWidth;
            _chunkRows = Math.Clamp(ChunkTiles / _tileColumns, 1, _tileRows);

            // A vector's 8 tiles are stored whole: past a row's last tile they run into the next row's first (written
            // after them) or into this slack.
            _leading = (_chunkRows * _tileColumns) + Lanes;
        }

        /// <summary>The convolution's shape.</summary>
        public ConvolutionShape Shape { get; }

        /// <summary>Whether the weight gradient of <paramref name="shape"/> runs here: a 3×3 kernel, stride 1.</summary>
        public static bool Supports(ConvolutionShape shape) =>
            shape.KernelHeight == 3 && shape.KernelWidth == 3 && shape.StrideHeight == 1 && shape.StrideWidth == 1;

        /// <summary>
        /// Adds the weight gradient of <paramref name="samples"/> samples to <paramref name="weightGradient"/>
        /// (<c>[out, in, 3, 3]</c>). Sample s's input starts at <c>s·inputStride</c> of <paramref name="inputs"/>, its
        /// ∂L/∂y (<c>[out, oh, ow]</c>) at <c>s·gradientStride</c> of <paramref name="outputGradients"/>.
        /// <paramref name="threads"/> is how many threads may share the products; the result is the same for every count.
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

            var input = SampleBatch.Buffer(ref t_input, s.InChannels * _inputPlane);
            var gradient = SampleBatch.Buffer(ref t_gradient, s.OutChannels * _gradientPlane);
            var transformedInput = SampleBatch.Buffer(ref t_transformedInput, Positions * s.InChannels * _leading);
            var transformedGradient = SampleBatch.Buffer(ref t_transformedGradient, Positions * s.OutChannels * _leading);
            var sumLength = s.OutChannels * s.InChannels;
            var sums = SampleBatch.Buffer(ref t_sums, Positions * sumLength);
            sums.Clear();
            fixed (float* x = input)
            fixed (float* z = gradient)
            fixed (float* v = transformedInput)
            fixed (float* u = transformedGradient)
            fixed (float* m = sums)
            {
                for (var n = 0; n < samples; n++)
                {
                    SampleBatch.PackPadded(s, inputs.Slice(n * inputStride, s.InputLength), input, _inputWidth, _inputPlane);
                    SampleBatch.PackGradientRows(s, outputGradients.Slice(n * gradientStride, s.OutputLength), gradient, _gradientWidth, _gradientPlane);
                    for (var first = 0; first < _tileRows; first += _chunkRows)
                    {
                        var end = Math.Min(first + _chunkRows, _tileRows);
                        var tiles = (end - first) * _tileColumns;
                        var parts = Partition.Parts(threads, units: Positions, multiplyAdds: (long)Positions * sumLength * tiles);
                        if (parts == 1)
                        {
                            Transform(x, z, v, u, first, end, 0, 1);
                            Multiply(u, v, m, tiles, 0, Positions);
                            continue;
                        }

                        // Two forks per chunk: the transforms split by channels, then the products by positions (each
                        // position's sums on one thread, in the same order as on one: bit-identical for every count).
                        var split = t_split ??= new Split();
                        split.Start(this, x, z, v, u, m, first, end, parts);
                        try
                        {
                            WorkerPool.For(parts, parts, split.TransformPart);
                            WorkerPool.For(parts, parts, split.MultiplyPart);
                        }
                        finally
                        {
                            split.Finish();
                        }
                    }
                }
            }

            TransformSums(sums, sumLength, weightGradient);
        }

        /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of the channels' transforms of tile rows [first, end).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Transform(float* x, float* z, float* v, float* u, int first, int end, int part, int parts)
        {
            var s = Shape;
            var (inFirst, inEnd) = Partition.Range(s.InChannels, part, parts);
            var (outFirst, outEnd) = Partition.Range(s.OutChannels, part, parts);
            if (Simd.IsVectorized)
            {
                TransformInputVector(x, v, s.InChannels, inFirst, inEnd, first, end);
                TransformGradientVector(z, u, s.OutChannels, outFirst, outEnd, first, end);
            }
            else
            {
                TransformInputScalar(x, v, s.InChannels, inFirst, inEnd, first, end);
                TransformGradientScalar(z, u, s.OutChannels, outFirst, outEnd, first, end);
            }
        }

        /// <summary>sums[p] (out × in) += U_p (out × tiles) · V_pᵀ (tiles × in) for positions [firstPosition, endPosition), on this thread.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Multiply(float* u, float* v, float* m, int tiles, int firstPosition, int endPosition)
        {
            var s = Shape;
            var sumLength = s.OutChannels * s.InChannels;
            for (var p = firstPosition; p < endPosition; p++)
            {
                Gemm.Multiply(transA: false, transB: true, m: s.OutChannels, n: s.InChannels, k: tiles,
                    new ReadOnlySpan<float>(u + ((nint)p * s.OutChannels * _leading), s.OutChannels * _leading), _leading,
                    new ReadOnlySpan<float>(v + ((nint)p * s.InChannels * _leading), s.InChannels * _leading), _leading,
                    new Span<float>(m + ((nint)p * sumLength), sumLength), s.InChannels, accumulate: true);
            }
        }

        /// <summary>Where tile (ty, tx) of a chunk starting at tile row <paramref name="first"/> lies in a transformed row.</summary>
        private int TileIndex(int ty, int tx, int first) => ((ty - first) * _tileColumns) + tx;

        /// <summary>Bᵀ d B of every tile of tile rows [first, end) of every input channel: v[(p·channels + c)·leading + tile].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void TransformInputScalar(float* x, float* v, int channels, int channelFirst, int channelEnd, int first, int end)
        {
            var d = stackalloc float[16];
            for (var c = channelFirst; c < channelEnd; c++)
            {
                for (var ty = first; ty < end; ty++)
                {
                    for (var tx = 0; tx < _tileColumns; tx++)
                    {
                        var patch = x + ((nint)c * _inputPlane) + (2 * ty * _inputWidth) + (2 * tx);
                        for (var r = 0; r < 4; r++)
                        {
                            var row = patch + (r * _inputWidth);
                            d[(4 * r) + 0] = row[0] - row[2];
                            d[(4 * r) + 1] = row[1] + row[2];
                            d[(4 * r) + 2] = row[2] - row[1];
                            d[(4 * r) + 3] = row[1] - row[3];
                        }

                        var target = v + ((nint)c * _leading) + TileIndex(ty, tx, first);
                        nint position = (nint)channels * _leading;
                        for (var j = 0; j < 4; j++)
                        {
                            target[(0 + j) * position] = d[j] - d[8 + j];
                            target[(4 + j) * position] = d[4 + j] + d[8 + j];
                            target[(8 + j) * position] = d[8 + j] - d[4 + j];
                            target[(12 + j) * position] = d[4 + j] - d[12 + j];
                        }
                    }
                }
            }
        }

        /// <summary>A ∂y A<sup>T</sup> of every tile of tile rows [first, end) of every output channel: u[(p·channels + k)·leading + tile].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void TransformGradientScalar(float* z, float* u, int channels, int channelFirst, int channelEnd, int first, int end)
        {
            var h = stackalloc float[8];
            for (var k = channelFirst; k < channelEnd; k++)
            {
                for (var ty = first; ty < end; ty++)
                {
                    for (var tx = 0; tx < _tileColumns; tx++)
                    {
                        var patch = z + ((nint)k * _gradientPlane) + (2 * ty * _gradientWidth) + (2 * tx);
                        for (var r = 0; r < 2; r++)
                        {
                            var row = patch + (r * _gradientWidth);
                            h[(4 * r) + 0] = row[0];
                            h[(4 * r) + 1] = row[0] + row[1];
                            h[(4 * r) + 2] = row[0] - row[1];
                            h[(4 * r) + 3] = -row[1];
                        }

                        var target = u + ((nint)k * _leading) + TileIndex(ty, tx, first);
                        nint position = (nint)channels * _leading;
                        for (var j = 0; j < 4; j++)
                        {
                            target[(0 + j) * position] = h[j];
                            target[(4 + j) * position] = h[j] + h[4 + j];
                            target[(8 + j) * position] = h[j] - h[4 + j];
                            target[(12 + j) * position] = -h[4 + j];
                        }
                    }
                }
            }
        }

        /// <summary><see cref="TransformInputScalar"/>, 8 neighbouring tiles of a row per vector.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void TransformInputVector(float* x, float* v, int channels, int channelFirst, int channelEnd, int first, int end)
        {
            nint position = (nint)channels * _leading;
            for (var c = channelFirst; c < channelEnd; c++)
            {
                for (var ty = first; ty < end; ty++)
                {
                    for (var tx = 0; tx < _tileColumns; tx += Lanes)
                    {
                        var patch = x + ((nint)c * _inputPlane) + (2 * ty * _inputWidth) + (2 * tx);
                        var (d00, d01, d02, d03) = InputRow(patch);
                        var (d10, d11, d12, d13) = InputRow(patch + _inputWidth);
                        var (d20, d21, d22, d23) = InputRow(patch + (2 * _inputWidth));
                        var (d30, d31, d32, d33) = InputRow(patch + (3 * _inputWidth));
                        var target = v + ((nint)c * _leading) + TileIndex(ty, tx, first);
                        Store(target, position, 0, d00 - d20, d01 - d21, d02 - d22, d03 - d23);
                        Store(target, position, 4, d10 + d20, d11 + d21, d12 + d22, d13 + d23);
                        Store(target, position, 8, d20 - d10, d21 - d11, d22 - d12, d23 - d13);
                        Store(target, position, 12, d10 - d30, d11 - d31, d12 - d32, d13 - d33);
                    }
                }
            }
        }

        /// <summary><see cref="TransformGradientScalar"/>, 8 neighbouring tiles of a row per vector.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void TransformGradientVector(float* z, float* u, int channels, int channelFirst, int channelEnd, int first, int end)
        {
            nint position = (nint)channels * _leading;
            for (var k = channelFirst; k < channelEnd; k++)
            {
                for (var ty = first; ty < end; ty++)
                {
                    for (var tx = 0; tx < _tileColumns; tx += Lanes)
                    {
                        var patch = z + ((nint)k * _gradientPlane) + (2 * ty * _gradientWidth) + (2 * tx);
                        var (g00, g01) = EvenOdd(patch);
                        var (g10, g11) = EvenOdd(patch + _gradientWidth);
                        Vector256<float> h00 = g00, h01 = g00 + g01, h02 = g00 - g01, h03 = -g01;
                        Vector256<float> h10 = g10, h11 = g10 + g11, h12 = g10 - g11, h13 = -g11;
                        var target = u + ((nint)k * _leading) + TileIndex(ty, tx, first);
                        Store(target, position, 0, h00, h01, h02, h03);
                        Store(target, position, 4, h00 + h10, h01 + h11, h02 + h12, h03 + h13);
                        Store(target, position, 8, h00 - h10, h01 - h11, h02 - h12, h03 - h13);
                        Store(target, position, 12, -h10, -h11, -h12, -h13);
                    }
                }
            }
        }

        /// <summary>One padded input row of 8 tiles, times B along it: (d0 − d2, d1 + d2, d2 − d1, d1 − d3) per tile.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) InputRow(float* row)
        {
            var (d0, d1) = EvenOdd(row);
            var (d2, d3) = EvenOdd(row + 2);
            return (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
        }

        /// <summary>The even and the odd floats of the 16 at <paramref name="at"/>, each in order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector256<float> Even, Vector256<float> Odd) EvenOdd(float* at)
        {
            var low = Avx.LoadVector256(at);
            var high = Avx.LoadVector256(at + Lanes);

            // The shuffle works per 128-bit half (lane order 0 1 4 5 2 3 6 7); the permute puts the halves' pairs in order.
            var even = Avx2.Permute4x64(Avx.Shuffle(low, high, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
            var odd = Avx2.Permute4x64(Avx.Shuffle(low, high, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
            return (even, odd);
        }

        /// <summary>Positions row·4 … row·4 + 3 of 8 tiles.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* target, nint position, int first, Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
        {
            Avx.Store(target + (first * position), a);
            Avx.Store(target + ((first + 1) * position), b);
            Avx.Store(target + ((first + 2) * position), c);
            Avx.Store(target + ((first + 3) * position), d);
        }

        /// <summary>One chunk being split over threads: its buffers (pinned by the caller meanwhile), its tile rows and the cut.</summary>
        private sealed class Split
        {
            public readonly Action<int> TransformPart;
            public readonly Action<int> MultiplyPart;

            private WinogradWeightGradient? _owner;
            private float* _x, _z, _v, _u, _m;
            private int _first, _end, _parts;

            public Split()
            {
                TransformPart = part => _owner!.Transform(_x, _z, _v, _u, _first, _end, part, _parts);
                MultiplyPart = part =>
                {
                    var (firstPosition, endPosition) = Partition.Range(Positions, part, _parts);
                    _owner!.Multiply(_u, _v, _m, (_end - _first) * _owner._tileColumns, firstPosition, endPosition);
                };
            }

            public void Start(WinogradWeightGradient owner, float* x, float* z, float* v, float* u, float* m, int first, int end, int parts)
            {
                _owner = owner;
                _x = x;
                _z = z;
                _v = v;
                _u = u;
                _m = m;
                _first = first;
                _end = end;
                _parts = parts;
            }

            /// <summary>Forgets the buffers: the pointers are valid only while the caller keeps them pinned.</summary>
            public void Finish()
            {
                _owner = null;
                _x = _z = _v = _u = _m = null;
            }
        }

        /// <summary>∂L/∂W[k, c] += Gᵀ M G for the 4×4 sums M of every channel pair (in double).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TransformSums(ReadOnlySpan<float> sums, int pairs, Span<float> weightGradient)
        {
            Span<double> t = stackalloc double[12];
            for (var pair = 0; pair < pairs; pair++)
            {
                // t = M G (4×3), row by row.
                for (var i = 0; i < 4; i++)
                {
                    double m0 = sums[(((4 * i) + 0) * pairs) + pair], m1 = sums[(((4 * i) + 1) * pairs) + pair];
                    double m2 = sums[(((4 * i) + 2) * pairs) + pair], m3 = sums[(((4 * i) + 3) * pairs) + pair];
                    t[(3 * i) + 0] = m0 + (0.5 * (m1 + m2));
                    t[(3 * i) + 1] = 0.5 * (m1 - m2);
                    t[(3 * i) + 2] = (0.5 * (m1 + m2)) + m3;
                }

                // Gᵀ t (3×3).
                var target = weightGradient.Slice(pair * 9, 9);
                for (var j = 0; j < 3; j++)
                {
                    double t0 = t[j], t1 = t[3 + j], t2 = t[6 + j], t3 = t[9 + j];
                    target[j] += (float)(t0 + (0.5 * (t1 + t2)));
                    target[3 + j] += (float)(0.5 * (t1 - t2));
                    target[6 + j] += (float)((0.5 * (t1 + t2)) + t3);
                }
            }
        }
    }
}
