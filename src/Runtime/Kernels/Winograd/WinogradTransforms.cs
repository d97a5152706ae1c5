using System;
using System.Runtime.CompilerServices;

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
        public static void Weights(in WinogradTiling tiling, ReadOnlySpan<float> weights, Span<float> packed)
        {
            var s = tiling.Shape;
            Span<double> gg = stackalloc double[12];
            packed.Clear();
            for (var o = 0; o < s.OutChannels; o++)
            {
                var panel = o / WinogradTiling.PanelRows;
                var row = o % WinogradTiling.PanelRows;
                for (var c = 0; c < s.InChannels; c++)
                {
                    var g = weights.Slice(((o * s.InChannels) + c) * 9, 9);

                    // G·g: 4 rows × 3 columns.
                    for (var x = 0; x < 3; x++)
                    {
                        double g0 = g[x], g1 = g[3 + x], g2 = g[6 + x];
                        gg[x] = g0;
                        gg[3 + x] = (g0 + g1 + g2) / 2;
                        gg[6 + x] = (g0 - g1 + g2) / 2;
                        gg[9 + x] = g2;
                    }

                    // (G·g)·Gᵀ: 4 × 4.
                    for (var i = 0; i < 4; i++)
                    {
                        double h0 = gg[3 * i], h1 = gg[(3 * i) + 1], h2 = gg[(3 * i) + 2];
                        Put(packed, tiling, (4 * i) + 0, panel, c, row, h0);
                        Put(packed, tiling, (4 * i) + 1, panel, c, row, (h0 + h1 + h2) / 2);
                        Put(packed, tiling, (4 * i) + 2, panel, c, row, (h0 - h1 + h2) / 2);
                        Put(packed, tiling, (4 * i) + 3, panel, c, row, h2);
                    }
                }
            }
        }

        private static void Put(Span<float> packed, in WinogradTiling tiling, int position, int panel, int channel, int row, double value)
        {
            var index = ((((position * tiling.OutPanels) + panel) * tiling.Shape.InChannels) + channel) * WinogradTiling.PanelRows;
            packed[index + row] = (float)value;
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
            var phaseStride = tiling.PhaseStride;
            var rows = (2 * (endRow - firstRow)) + 2;
            nint matrix = tiling.InputMatrixLength;
            for (var c = 0; c < s.InChannels; c++)
            {
                float* plane = input + ((nint)c * s.InHeight * s.InWidth);
                for (var r = 0; r < rows; r++)
                {
                    Deinterleave(s, plane, (2 * firstRow) + r - s.PadTop, phases + (2 * r * phaseStride), phases + (((2 * r) + 1) * phaseStride), tiles + 1);
                }

                float* channel = transformed + ((nint)c * tiling.TileStride);
                for (var ty = 0; ty < endRow - firstRow; ty++)
                {
                    float* even0 = phases + (4 * ty * phaseStride);
                    for (var tx = 0; tx < tiles; tx += TLanes.Count)
                    {
                        var count = Math.Min(TLanes.Count, tiles - tx);

                        // d[i][j] for the group: rows 2ty + i, columns 2tx + j (even j at tx + j/2 of the even half, odd j of the odd half).
                        float* e = even0 + tx;
                        var d00 = TLanes.Load(e);
                        var d01 = TLanes.Load(e + phaseStride);
                        var d02 = TLanes.Load(e + 1);
                        var d03 = TLanes.Load(e + phaseStride + 1);
                        e += 2 * phaseStride;
                        var d10 = TLanes.Load(e);
                        var d11 = TLanes.Load(e + phaseStride);
                        var d12 = TLanes.Load(e + 1);
                        var d13 = TLanes.Load(e + phaseStride + 1);
                        e += 2 * phaseStride;
                        var d20 = TLanes.Load(e);
                        var d21 = TLanes.Load(e + phaseStride);
                        var d22 = TLanes.Load(e + 1);
                        var d23 = TLanes.Load(e + phaseStride + 1);
                        e += 2 * phaseStride;
                        var d30 = TLanes.Load(e);
                        var d31 = TLanes.Load(e + phaseStride);
                        var d32 = TLanes.Load(e + 1);
                        var d33 = TLanes.Load(e + phaseStride + 1);

                        // Bᵀ·d, column by column.
                        var b00 = d00 - d20; var b01 = d01 - d21; var b02 = d02 - d22; var b03 = d03 - d23;
                        var b10 = d10 + d20; var b11 = d11 + d21; var b12 = d12 + d22; var b13 = d13 + d23;
                        var b20 = d20 - d10; var b21 = d21 - d11; var b22 = d22 - d12; var b23 = d23 - d13;
                        var b30 = d10 - d30; var b31 = d11 - d31; var b32 = d12 - d32; var b33 = d13 - d33;

                        // (Bᵀ·d)·B, row by row, each element to its position's matrix.
                        float* v = channel + (ty * tiles) + tx;
                        StoreRow(v, matrix, 0, b00, b01, b02, b03, count);
                        StoreRow(v, matrix, 4, b10, b11, b12, b13, count);
                        StoreRow(v, matrix, 8, b20, b21, b22, b23, count);
                        StoreRow(v, matrix, 12, b30, b31, b32, b33, count);
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow<TLanes>(float* v, nint matrix, int position, TLanes x0, TLanes x1, TLanes x2, TLanes x3, int count)
            where TLanes : struct, ITileLanes<TLanes>
        {
            TLanes.Store(v + (position * matrix), x0 - x2, count);
            TLanes.Store(v + ((position + 1) * matrix), x1 + x2, count);
            TLanes.Store(v + ((position + 2) * matrix), x2 - x1, count);
            TLanes.Store(v + ((position + 3) * matrix), x1 - x3, count);
        }

        /// <summary>Input row <paramref name="y"/> of one channel as its even and odd columns of the padded row, <paramref name="pairs"/> of each; zero outside the image.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Deinterleave(Convolution.ConvolutionShape s, float* plane, int y, float* even, float* odd, int pairs)
        {
            if ((uint)y >= (uint)s.InHeight)
            {
                new Span<float>(even, pairs).Clear();
                new Span<float>(odd, pairs).Clear();
                return;
            }

            float* row = plane + ((nint)y * s.InWidth);
            for (var q = 0; q < pairs; q++)
            {
                var x = (2 * q) - s.PadLeft;
                even[q] = (uint)x < (uint)s.InWidth ? row[x] : 0f;
                odd[q] = (uint)(x + 1) < (uint)s.InWidth ? row[x + 1] : 0f;
            }
        }

        /// <summary>
        /// Y = Aᵀ·M·A of every tile of tile rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) and every output
        /// channel, then <c>Y·scale + shift</c> (and ReLU when <paramref name="relu"/>) into the plain output; the parts
        /// of edge tiles past the output's last row or column are dropped.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Output<TLanes>(in WinogradTiling tiling, float* products, float* scale, float* shift, bool relu, float* output, int firstRow, int endRow)
            where TLanes : struct, ITileLanes<TLanes>
        {
            var s = tiling.Shape;
            var tiles = tiling.TileColumns;
            nint matrix = tiling.ProductMatrixLength;
            for (var k = 0; k < s.OutChannels; k++)
            {
                float* channel = products + ((nint)k * tiling.TileStride);
                float* plane = output + ((nint)k * s.OutHeight * s.OutWidth);
                float a = scale[k], b = shift[k];
                for (var ty = firstRow; ty < endRow; ty++)
                {
                    var oy = 2 * ty;
                    float* top = plane + ((nint)oy * s.OutWidth);
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
                        var y00 = TLanes.Epilogue(s00 + s01 + s02, a, b, relu);
                        var y01 = TLanes.Epilogue(s01 - s02 - s03, a, b, relu);
                        TLanes.StoreInterleaved(top + (2 * tx), y00, y01, columns);
                        if (bottom)
                        {
                            var y10 = TLanes.Epilogue(s10 + s11 + s12, a, b, relu);
                            var y11 = TLanes.Epilogue(s11 - s12 - s13, a, b, relu);
                            TLanes.StoreInterleaved(top + s.OutWidth + (2 * tx), y10, y11, columns);
                        }
                    }
                }
            }
        }

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
