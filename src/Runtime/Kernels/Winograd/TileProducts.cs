using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Winograd
{
    /// <summary>
    /// The 16 products of one chunk: for each position ξ, M[ξ] (output channels × tiles) = U[ξ] (output channels ×
    /// input channels, packed) · V[ξ] (input channels × tiles). Every tile's sum runs over the input channels in order,
    /// whatever its place in the chunk, so a tile's result does not depend on how the tiles were chunked.
    /// </summary>
    internal static unsafe class TileProducts
    {
        /// <summary>
        /// AVX2 + FMA: register tiles of 6 output channels × 16 tiles (12 accumulators), the weight panel (6 floats per
        /// input channel) broadcast from L1, two rows of tiles loaded per input channel. Columns up to the next whole
        /// panel past <paramref name="tiles"/> are computed too (the transformed input is padded to them) and ignored.
        /// Only the row panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>) of output channels.
        /// Also the AVX-512 path's kernel: 256-bit vectors there too.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Avx2(in WinogradTiling tiling, float* packed, float* transformed, float* products, int tiles, int firstPanel, int endPanel)
        {
            int depth = tiling.Shape.InChannels;
            nint stride = tiling.TileStride;
            int panels = (tiles + WinogradTiling.PanelTiles - 1) / WinogradTiling.PanelTiles;
            nint panelWeights = WinogradTiling.PanelRows * depth;
            for (var position = 0; position < WinogradTiling.Positions; position++)
            {
                float* u = packed + (position * tiling.OutPanels * panelWeights);
                float* v = transformed + (position * (nint)tiling.InputMatrixLength);
                float* m = products + (position * (nint)tiling.ProductMatrixLength);
                for (var row = firstPanel; row < endPanel; row++)
                {
                    float* a0 = u + (row * panelWeights);
                    float* c = m + (row * WinogradTiling.PanelRows * stride);
                    for (var panel = 0; panel < panels; panel++)
                    {
                        float* b = v + (panel * WinogradTiling.PanelTiles);
                        float* a = a0;
                        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
                        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
                        for (var d = 0; d < depth; d++)
                        {
                            var b0 = Avx.LoadVector256(b);
                            var b1 = Avx.LoadVector256(b + 8);
                            var x = Vector256.Create(a[0]);
                            c00 = Fma.MultiplyAdd(x, b0, c00);
                            c01 = Fma.MultiplyAdd(x, b1, c01);
                            x = Vector256.Create(a[1]);
                            c10 = Fma.MultiplyAdd(x, b0, c10);
                            c11 = Fma.MultiplyAdd(x, b1, c11);
                            x = Vector256.Create(a[2]);
                            c20 = Fma.MultiplyAdd(x, b0, c20);
                            c21 = Fma.MultiplyAdd(x, b1, c21);
                            x = Vector256.Create(a[3]);
                            c30 = Fma.MultiplyAdd(x, b0, c30);
                            c31 = Fma.MultiplyAdd(x, b1, c31);
                            x = Vector256.Create(a[4]);
                            c40 = Fma.MultiplyAdd(x, b0, c40);
                            c41 = Fma.MultiplyAdd(x, b1, c41);
                            x = Vector256.Create(a[5]);
                            c50 = Fma.MultiplyAdd(x, b0, c50);
                            c51 = Fma.MultiplyAdd(x, b1, c51);
                            a += WinogradTiling.PanelRows;
                            b += stride;
                        }

                        float* t = c + (panel * WinogradTiling.PanelTiles);
                        Avx.Store(t, c00);
                        Avx.Store(t + 8, c01);
                        Avx.Store(t + stride, c10);
                        Avx.Store(t + stride + 8, c11);
                        Avx.Store(t + (2 * stride), c20);
                        Avx.Store(t + (2 * stride) + 8, c21);
                        Avx.Store(t + (3 * stride), c30);
                        Avx.Store(t + (3 * stride) + 8, c31);
                        Avx.Store(t + (4 * stride), c40);
                        Avx.Store(t + (4 * stride) + 8, c41);
                        Avx.Store(t + (5 * stride), c50);
                        Avx.Store(t + (5 * stride) + 8, c51);
                    }
                }
            }
        }

        /// <summary>
        /// The scalar path: the same products, one tile and one output channel at a time, over the first
        /// <paramref name="tiles"/> tiles and the output channels of row panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Scalar(in WinogradTiling tiling, float* packed, float* transformed, float* products, int tiles, int firstPanel, int endPanel)
        {
            int depth = tiling.Shape.InChannels;
            nint stride = tiling.TileStride;
            nint panelWeights = WinogradTiling.PanelRows * depth;
            for (var position = 0; position < WinogradTiling.Positions; position++)
            {
                float* u = packed + (position * tiling.OutPanels * panelWeights);
                float* v = transformed + (position * (nint)tiling.InputMatrixLength);
                float* m = products + (position * (nint)tiling.ProductMatrixLength);
                var endChannel = System.Math.Min(endPanel * WinogradTiling.PanelRows, tiling.Shape.OutChannels);
                for (var k = firstPanel * WinogradTiling.PanelRows; k < endChannel; k++)
                {
                    float* a = u + ((k / WinogradTiling.PanelRows) * panelWeights) + (k % WinogradTiling.PanelRows);
                    for (var t = 0; t < tiles; t++)
                    {
                        var sum = 0f;
                        for (var d = 0; d < depth; d++)
                        {
                            sum += a[d * WinogradTiling.PanelRows] * v[(d * stride) + t];
                        }

                        m[(k * stride) + t] = sum;
                    }
                }
            }
        }
    }
}
