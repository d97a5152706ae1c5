using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Winograd
{
    /// <summary>
    /// The three transforms of F(2×2, 3×3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016):
    /// a 3×3 kernel g becomes U = G·g·Gᵀ, a 4×4 input tile d becomes V = Bᵀ·d·B, and the 4×4 elementwise product
    /// M = Σ over input channels of U ⊙ V becomes the 2×2 output tile Aᵀ·M·A, with
    /// <code>
    ///      ⎡1  0 −1  0⎤        ⎡1    0    0 ⎤        ⎡1  1  1  0⎤
    /// Bᵀ = ⎢0  1  1  0⎥    G = ⎢½    ½    ½ ⎥   Aᵀ = ⎣0  1 −1 −1⎦
    ///      ⎢0 −1  1  0⎥        ⎢½   −½    ½ ⎥
    ///      ⎣0  1  0 −1⎦        ⎣0    0    1 ⎦
    /// </code>
    /// Position ξ = 4·i + j of a tile is element (i, j) of U, V and M.
    /// </summary>
    internal static unsafe class WinogradTransforms
    {
        /// <summary>
        /// U = G·g·Gᵀ of every (output, input) channel pair, computed in double and rounded once, written into
        /// <paramref name="packed"/> as <c>[ξ][row panel][input channel][6 output channels]</c> (rows past the last
        /// output channel are zero), the order the product kernel reads.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Weights(in WinogradTiling tiling, ReadOnlySpan<float> weights, Span<float> packed)
        {
            var s = tiling.Shape;
            var inChannels = s.InChannels;
            var outChannels = s.OutChannels;
            var panelRows = WinogradTiling.PanelRows;
            var rows = tiling.OutPanels * panelRows;
            nint positionStride = (nint)rows * inChannels; // floats between one position's block and the next
            if (weights.Length < outChannels * inChannels * 9 || packed.Length < WinogradTiling.Positions * positionStride)
            {
                throw new ArgumentException("The weights or the packed buffer are shorter than the shape needs.");
            }

            Span<double> gg = stackalloc double[12];
            fixed (float* pweights = weights)
            fixed (float* ppacked = packed)
            {
                for (var o = 0; o < rows; o++)
                {
                    // Output channel o's element of each (position, input channel): [ξ][o / 6][c][o % 6].
                    float* target = ppacked + ((nint)(o / panelRows) * inChannels * panelRows) + (o % panelRows);
                    for (var c = 0; c < inChannels; c++, target += panelRows)
                    {
                        if (o >= outChannels)
                        {
                            for (var position = 0; position < WinogradTiling.Positions; position++)
                            {
                                target[position * positionStride] = 0f;
                            }

                            continue;
                        }

                        // G·g: 4 rows × 3 columns (halving is exact: ·0.5 rounds as /2 does).
                        float* g = pweights + (((nint)o * inChannels) + c) * 9;
                        for (var x = 0; x < 3; x++)
                        {
                            double g0 = g[x], g1 = g[3 + x], g2 = g[6 + x];
                            gg[x] = g0;
                            gg[3 + x] = (g0 + g1 + g2) * 0.5;
                            gg[6 + x] = (g0 - g1 + g2) * 0.5;
                            gg[9 + x] = g2;
                        }

                        // (G·g)·Gᵀ: row i of U is positions 4i … 4i + 3.
                        for (var i = 0; i < 4; i++)
                        {
                            double h0 = gg[3 * i], h1 = gg[(3 * i) + 1], h2 = gg[(3 * i) + 2];
                            float* u = target + (4 * i * positionStride);
                            u[0] = (float)h0;
                            u[positionStride] = (float)((h0 + h1 + h2) * 0.5);
                            u[2 * positionStride] = (float)((h0 - h1 + h2) * 0.5);
                            u[3 * positionStride] = (float)h2;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// V = Bᵀ·d·B of every tile of tile rows [<paramref name="firstRow"/>, <paramref name="endRow"/>), into
        /// <paramref name="transformed"/> as <c>[ξ][input channel][tile of the chunk]</c>. Each input channel is first
        /// de-interleaved into even and odd columns (zero outside the image), so that a group of tiles — two columns apart
        /// — reads each of its 16 elements with one contiguous load.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Input<TLanes>(in WinogradTiling tiling, float* input, float* phases, float* transformed, int firstRow, int endRow)
            where TLanes : struct, ITileLanes<TLanes>
        {
            var s = tiling.Shape;
            var tiles = tiling.TileColumns;
            var rows = (2 * (endRow - firstRow)) + 2;
            nint phaseStride = tiling.PhaseStride;
            nint matrix = tiling.InputMatrixLength;
            for (var c = 0; c < s.InChannels; c++)
            {
                float* plane = input + ((nint)c * s.InHeight * s.InWidth);
                for (var r = 0; r < rows; r++)
                {
                    Deinterleave<TLanes>(s, plane, (2 * firstRow) + r - s.PadTop, phases + (2 * r * phaseStride), phases + (((2 * r) + 1) * phaseStride), tiles + 1);
                }

                float* channel = transformed + ((nint)c * tiling.TileStride);
                for (var ty = 0; ty < endRow - firstRow; ty++)
                {
                    float* even0 = phases + (4 * ty * phaseStride);
                    for (var tx = 0; tx < tiles; tx += TLanes.Count)
                    {
                        // d[i][j] for the group: rows 2ty + i, columns 2tx + j. A full group is written even past the
                        // row's last tile: those lanes land on tiles written later, on padding columns or on the slack.
                        float* d = even0 + tx;
                        float* v = channel + (ty * tiles) + tx;
                        var (d00, d01, d02, d03) = LoadRow<TLanes>(d, phaseStride);
                        var (d20, d21, d22, d23) = LoadRow<TLanes>(d + (4 * phaseStride), phaseStride);

                        // Row i of Bᵀ·d, then that row times B, each element to its position's matrix.
                        StoreRow(v, matrix, 0, d00 - d20, d01 - d21, d02 - d22, d03 - d23);
                        var (d10, d11, d12, d13) = LoadRow<TLanes>(d + (2 * phaseStride), phaseStride);
                        StoreRow(v, matrix, 4, d10 + d20, d11 + d21, d12 + d22, d13 + d23);
                        StoreRow(v, matrix, 8, d20 - d10, d21 - d11, d22 - d12, d23 - d13);
                        var (d30, d31, d32, d33) = LoadRow<TLanes>(d + (6 * phaseStride), phaseStride);
                        StoreRow(v, matrix, 12, d10 - d30, d11 - d31, d12 - d32, d13 - d33);
                    }
                }
            }
        }

        /// <summary>Row i of a group's input tiles from its de-interleaved halves: columns 0 and 2 from the even half, 1 and 3 from the odd.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (TLanes, TLanes, TLanes, TLanes) LoadRow<TLanes>(float* even, nint phaseStride)
            where TLanes : struct, ITileLanes<TLanes> =>
            (TLanes.Load(even), TLanes.Load(even + phaseStride), TLanes.Load(even + 1), TLanes.Load(even + phaseStride + 1));

        /// <summary>One row x of Bᵀ·d times B — x0 − x2, x1 + x2, x2 − x1, x1 − x3 — to positions <paramref name="position"/> to +3.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow<TLanes>(float* v, nint matrix, int position, TLanes x0, TLanes x1, TLanes x2, TLanes x3)
            where TLanes : struct, ITileLanes<TLanes>
        {
            TLanes.Store(v + (position * matrix), x0 - x2);
            TLanes.Store(v + ((position + 1) * matrix), x1 + x2);
            TLanes.Store(v + ((position + 2) * matrix), x2 - x1);
            TLanes.Store(v + ((position + 3) * matrix), x1 - x3);
        }

        /// <summary>
        /// Input row <paramref name="y"/> of one channel as the even and odd columns of the padded row, <paramref name="pairs"/>
        /// of each (pair q is padded columns 2q and 2q + 1, input columns 2q − PadLeft and the next); zero outside the image.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Deinterleave<TLanes>(Convolution.ConvolutionShape s, float* plane, int y, float* even, float* odd, int pairs)
            where TLanes : struct, ITileLanes<TLanes>
        {
            if ((uint)y >= (uint)s.InHeight)
            {
                new Span<float>(even, pairs).Clear();
                new Span<float>(odd, pairs).Clear();
                return;
            }

            // Pairs [inside, end) lie wholly in the image; those before and after touch the padding.
            float* row = plane + ((nint)y * s.InWidth) - s.PadLeft;
            var inside = Math.Min((s.PadLeft + 1) / 2, pairs);
            var end = Math.Clamp((s.InWidth + s.PadLeft) / 2, inside, pairs);
            var q = 0;
            for (; q < inside; q++)
            {
                EdgePair(s, row, q, even, odd);
            }

            for (; q <= end - TLanes.Count; q += TLanes.Count)
            {
                TLanes.Deinterleave(row + (2 * q), out var e, out var o);
                TLanes.Store(even + q, e);
                TLanes.Store(odd + q, o);
            }

            for (; q < pairs; q++)
            {
                EdgePair(s, row, q, even, odd);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void EdgePair(Convolution.ConvolutionShape s, float* row, int q, float* even, float* odd)
        {
            var x = (2 * q) - s.PadLeft;
            even[q] = (uint)x < (uint)s.InWidth ? row[2 * q] : 0f;
            odd[q] = (uint)(x + 1) < (uint)s.InWidth ? row[(2 * q) + 1] : 0f;
        }

        /// <summary>
        /// Y = Aᵀ·M·A of every tile of tile rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) and output
        /// channels [<paramref name="firstChannel"/>, <paramref name="endChannel"/>), then <c>Y·scale + shift</c>, plus
        /// the <paramref name="residual"/> element at the same position unless it is null, then ReLU when
        /// <paramref name="relu"/>, into the plain output; the parts of edge tiles past the output's last row or column are
        /// dropped (and their residual elements not read).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Output<TLanes>(in WinogradTiling tiling, float* products, float* scale, float* shift, float* residual, bool relu, float* output,
            int firstRow, int endRow, int firstChannel, int endChannel)
            where TLanes : struct, ITileLanes<TLanes>
        {
            var s = tiling.Shape;
            var tiles = tiling.TileColumns;
            nint matrix = tiling.ProductMatrixLength;
            var rowsWritten = (nint)(Math.Min(2 * endRow, s.OutHeight) - (2 * firstRow)) * s.OutWidth;
            for (var k = firstChannel; k < endChannel; k++)
            {
                if (residual != null && k + 1 < endChannel)
                {
                    // The next channel's residual rows, a few scattered lines per channel that the hardware prefetcher
                    // does not foresee: without this the fused Add was slower than a separate pass over the output.
                    // Non-temporal: each is read once, and should not push the transformed weights out of the L2.
                    Prefetch(residual + ((((nint)(k + 1) * s.OutHeight) + (2 * firstRow)) * s.OutWidth), rowsWritten);
                }

                float* channel = products + ((nint)k * tiling.TileStride);
                float a = scale[k], b = shift[k];
                for (var ty = firstRow; ty < endRow; ty++)
                {
                    var oy = 2 * ty;
                    nint top = (((nint)k * s.OutHeight) + oy) * s.OutWidth; // the tile row's first output element
                    var bottom = oy + 1 < s.OutHeight;
                    float* m = channel + ((ty - firstRow) * tiles);
                    for (var tx = 0; tx < tiles; tx += TLanes.Count)
                    {
                        // Aᵀ·M, column by column: two rows.
                        var (s00, s10) = Column<TLanes>(m, matrix, 0);
                        var (s01, s11) = Column<TLanes>(m, matrix, 1);
                        var (s02, s12) = Column<TLanes>(m, matrix, 2);
                        var (s03, s13) = Column<TLanes>(m, matrix, 3);
                        m += TLanes.Count;

                        // (Aᵀ·M)·A: the 2×2 tile, as even and odd output columns.
                        var columns = Math.Min(2 * TLanes.Count, s.OutWidth - (2 * tx));
                        var at = top + (2 * tx);
                        var y00 = TLanes.Epilogue(s00 + s01 + s02, a, b);
                        var y01 = TLanes.Epilogue(s01 - s02 - s03, a, b);
                        TLanes.StoreInterleaved(output + at, y00, y01, columns, Offset(residual, at), relu);
                        if (bottom)
                        {
                            at += s.OutWidth;
                            var y10 = TLanes.Epilogue(s10 + s11 + s12, a, b);
                            var y11 = TLanes.Epilogue(s11 - s12 - s13, a, b);
                            TLanes.StoreInterleaved(output + at, y10, y11, columns, Offset(residual, at), relu);
                        }
                    }
                }
            }
        }

        /// <summary>Asks for the cache lines that hold the <paramref name="length"/> floats from <paramref name="start"/>, to be read once (where x86 can).</summary>
        private static void Prefetch(float* start, nint length)
        {
            if (!Sse.IsSupported)
            {
                return;
            }

            for (var line = (nint)start & ~(nint)63; line < (nint)(start + length); line += 64)
            {
                Sse.PrefetchNonTemporal((void*)line);
            }
        }

        /// <summary>Element <paramref name="at"/> of <paramref name="residual"/>, or null when there is no residual.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float* Offset(float* residual, nint at) => residual == null ? null : residual + at;

        /// <summary>Column j of Aᵀ·M: M[0][j] + M[1][j] + M[2][j] and M[1][j] − M[2][j] − M[3][j].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (TLanes Top, TLanes Bottom) Column<TLanes>(float* m, nint matrix, int j)
            where TLanes : struct, ITileLanes<TLanes>
        {
            var m0 = TLanes.Load(m + (j * matrix));
            var m1 = TLanes.Load(m + ((4 + j) * matrix));
            var m2 = TLanes.Load(m + ((8 + j) * matrix));
            var m3 = TLanes.Load(m + ((12 + j) * matrix));
            return (m0 + m1 + m2, m1 - m2 - m3);
        }
    }
}
