using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// AVX-512F micro-kernel of the direct convolution: 8 output pixels of one output row × 2 blocks of 16 output
    /// channels, 16 zmm accumulators; otherwise as <see cref="DirectKernelAvx2"/>.
    /// </summary>
    internal static unsafe class DirectKernelAvx512
    {
        public const int Pixels = 8;

        /// <summary>As <see cref="DirectKernelAvx2.Tile{TBlocks}"/>, with 16-channel blocks: the tile is <c>[block][pixel][16 channels]</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Tile<TBlocks>(float* input, float* weights, nint outBlockWeights, in BlockedLayout layout,
            int kernelHeight, int kernelWidth, nint step, float* scale, float* shift, bool relu, float* tile)
            where TBlocks : struct, IBlockPair
        {
            if (step == 16)
            {
                Run<TBlocks, UnitStride>(input, weights, outBlockWeights, in layout, kernelHeight, kernelWidth, step, scale, shift, relu, tile);
            }
            else
            {
                Run<TBlocks, AnyStride>(input, weights, outBlockWeights, in layout, kernelHeight, kernelWidth, step, scale, shift, relu, tile);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Run<TBlocks, TStep>(float* input, float* weights, nint outBlockWeights, in BlockedLayout layout,
            int kernelHeight, int kernelWidth, nint step, float* scale, float* shift, bool relu, float* tile)
            where TBlocks : struct, IBlockPair
            where TStep : struct, IPixelStep
        {
            if (TStep.Unit)
            {
                step = 16;
            }

            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
            nint rowStride = layout.RowStride;
            nint planeStride = layout.PlaneStride;
            int inBlocks = layout.InBlocks;
            float* w = weights;
            for (int ib = 0; ib < inBlocks; ib++)
            {
                int lanes = ib == inBlocks - 1 ? layout.LastLanes : 16;
                int run = lanes == 16 ? kernelWidth * 16 : lanes;
                int taps = lanes == 16 ? 1 : kernelWidth;
                float* row = input + (ib * planeStride);
                for (int ky = 0; ky < kernelHeight; ky++)
                {
                    for (int t = 0; t < taps; t++)
                    {
                        float* a0 = row + (t * 16);
                        float* wt = w + (t * 256);
                        for (nint q = 0; q < run; q++)
                        {
                            var w0 = Avx512F.LoadVector512(wt);
                            var w1 = TBlocks.Two ? Avx512F.LoadVector512(wt + outBlockWeights) : default;
                            var av = Vector512.Create(a0[q]);
                            c00 = Avx512F.FusedMultiplyAdd(av, w0, c00);
                            if (TBlocks.Two) c01 = Avx512F.FusedMultiplyAdd(av, w1, c01);
                            av = Vector512.Create(a0[q + (1 * step)]);
                            c10 = Avx512F.FusedMultiplyAdd(av, w0, c10);
                            if (TBlocks.Two) c11 = Avx512F.FusedMultiplyAdd(av, w1, c11);
                            av = Vector512.Create(a0[q + (2 * step)]);
                            c20 = Avx512F.FusedMultiplyAdd(av, w0, c20);
                            if (TBlocks.Two) c21 = Avx512F.FusedMultiplyAdd(av, w1, c21);
                            av = Vector512.Create(a0[q + (3 * step)]);
                            c30 = Avx512F.FusedMultiplyAdd(av, w0, c30);
                            if (TBlocks.Two) c31 = Avx512F.FusedMultiplyAdd(av, w1, c31);
                            av = Vector512.Create(a0[q + (4 * step)]);
                            c40 = Avx512F.FusedMultiplyAdd(av, w0, c40);
                            if (TBlocks.Two) c41 = Avx512F.FusedMultiplyAdd(av, w1, c41);
                            av = Vector512.Create(a0[q + (5 * step)]);
                            c50 = Avx512F.FusedMultiplyAdd(av, w0, c50);
                            if (TBlocks.Two) c51 = Avx512F.FusedMultiplyAdd(av, w1, c51);
                            av = Vector512.Create(a0[q + (6 * step)]);
                            c60 = Avx512F.FusedMultiplyAdd(av, w0, c60);
                            if (TBlocks.Two) c61 = Avx512F.FusedMultiplyAdd(av, w1, c61);
                            av = Vector512.Create(a0[q + (7 * step)]);
                            c70 = Avx512F.FusedMultiplyAdd(av, w0, c70);
                            if (TBlocks.Two) c71 = Avx512F.FusedMultiplyAdd(av, w1, c71);
                            wt += 16;
                        }
                    }

                    row += rowStride;
                    w += kernelWidth * 256;
                }
            }

            var s0 = Avx512F.LoadVector512(scale);
            var h0 = Avx512F.LoadVector512(shift);
            Store(tile, c00, s0, h0, relu);
            Store(tile + 16, c10, s0, h0, relu);
            Store(tile + 32, c20, s0, h0, relu);
            Store(tile + 48, c30, s0, h0, relu);
            Store(tile + 64, c40, s0, h0, relu);
            Store(tile + 80, c50, s0, h0, relu);
            Store(tile + 96, c60, s0, h0, relu);
            Store(tile + 112, c70, s0, h0, relu);
            if (TBlocks.Two)
            {
                var s1 = Avx512F.LoadVector512(scale + 16);
                var h1 = Avx512F.LoadVector512(shift + 16);
                Store(tile + 128, c01, s1, h1, relu);
                Store(tile + 144, c11, s1, h1, relu);
                Store(tile + 160, c21, s1, h1, relu);
                Store(tile + 176, c31, s1, h1, relu);
                Store(tile + 192, c41, s1, h1, relu);
                Store(tile + 208, c51, s1, h1, relu);
                Store(tile + 224, c61, s1, h1, relu);
                Store(tile + 240, c71, s1, h1, relu);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* tile, Vector512<float> acc, Vector512<float> scale, Vector512<float> shift, bool relu)
        {
            var v = Avx512F.FusedMultiplyAdd(acc, scale, shift);
            Avx512F.Store(tile, relu ? Avx512F.Max(v, Vector512<float>.Zero) : v);
        }
    }
}
