using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// AVX2 + FMA micro-kernel of the direct convolution: 6 output pixels of one output row × 2 blocks of 8 output
    /// channels, 12 ymm accumulators. For each input channel of each kernel tap it loads the 8-channel weight vector of
    /// each block and broadcasts the input value under each of the 6 pixels.
    /// </summary>
    internal static unsafe class DirectKernelAvx2
    {
        public const int Pixels = 6;

        /// <summary>
        /// Computes one tile and writes it, after <c>y = act(acc·scale + shift)</c>, to <paramref name="tile"/> as
        /// <c>[block][pixel][8 channels]</c>. <paramref name="input"/> points at input block 0 under the tile's first pixel
        /// (first kernel row and column), <paramref name="weights"/> at the first output block's packed weights (the second
        /// block's lie <paramref name="outBlockWeights"/> floats further), <paramref name="step"/> is the distance in floats
        /// between the inputs of neighbouring output pixels (stride × 8); <paramref name="scale"/> and <paramref name="shift"/>
        /// hold the tile's channels.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Tile<TBlocks>(float* input, float* weights, nint outBlockWeights, in BlockedLayout layout,
            int kernelHeight, int kernelWidth, nint step, float* scale, float* shift, bool relu, float* tile)
            where TBlocks : struct, IBlockPair
        {
            if (step == 8)
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
                step = 8;
            }

            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            nint rowStride = layout.RowStride;
            nint planeStride = layout.PlaneStride;
            int inBlocks = layout.InBlocks;
            float* w = weights;
            for (int ib = 0; ib < inBlocks; ib++)
            {
                // A full block runs one flat loop over a kernel row's (kx, lane) pairs, which lie contiguous in both the
                // input row and the weights; the last, partial block skips its zero lanes tap by tap.
                int lanes = ib == inBlocks - 1 ? layout.LastLanes : 8;
                int run = lanes == 8 ? kernelWidth * 8 : lanes;
                int taps = lanes == 8 ? 1 : kernelWidth;
                float* row = input + (ib * planeStride);
                for (int ky = 0; ky < kernelHeight; ky++)
                {
                    for (int t = 0; t < taps; t++)
                    {
                        float* a0 = row + (t * 8);
                        float* wt = w + (t * 64);
                        for (nint q = 0; q < run; q++)
                        {
                            var w0 = Avx.LoadVector256(wt);
                            var w1 = TBlocks.Two ? Avx.LoadVector256(wt + outBlockWeights) : default;
                            var av = Vector256.Create(a0[q]);
                            c00 = Fma.MultiplyAdd(av, w0, c00);
                            if (TBlocks.Two) c01 = Fma.MultiplyAdd(av, w1, c01);
                            av = Vector256.Create(a0[q + (1 * step)]);
                            c10 = Fma.MultiplyAdd(av, w0, c10);
                            if (TBlocks.Two) c11 = Fma.MultiplyAdd(av, w1, c11);
                            av = Vector256.Create(a0[q + (2 * step)]);
                            c20 = Fma.MultiplyAdd(av, w0, c20);
                            if (TBlocks.Two) c21 = Fma.MultiplyAdd(av, w1, c21);
                            av = Vector256.Create(a0[q + (3 * step)]);
                            c30 = Fma.MultiplyAdd(av, w0, c30);
                            if (TBlocks.Two) c31 = Fma.MultiplyAdd(av, w1, c31);
                            av = Vector256.Create(a0[q + (4 * step)]);
                            c40 = Fma.MultiplyAdd(av, w0, c40);
                            if (TBlocks.Two) c41 = Fma.MultiplyAdd(av, w1, c41);
                            av = Vector256.Create(a0[q + (5 * step)]);
                            c50 = Fma.MultiplyAdd(av, w0, c50);
                            if (TBlocks.Two) c51 = Fma.MultiplyAdd(av, w1, c51);
                            wt += 8;
                        }
                    }

                    row += rowStride;
                    w += kernelWidth * 64;
                }
            }

            var s0 = Avx.LoadVector256(scale);
            var h0 = Avx.LoadVector256(shift);
            Store(tile, c00, s0, h0, relu);
            Store(tile + 8, c10, s0, h0, relu);
            Store(tile + 16, c20, s0, h0, relu);
            Store(tile + 24, c30, s0, h0, relu);
            Store(tile + 32, c40, s0, h0, relu);
            Store(tile + 40, c50, s0, h0, relu);
            if (TBlocks.Two)
            {
                var s1 = Avx.LoadVector256(scale + 8);
                var h1 = Avx.LoadVector256(shift + 8);
                Store(tile + 48, c01, s1, h1, relu);
                Store(tile + 56, c11, s1, h1, relu);
                Store(tile + 64, c21, s1, h1, relu);
                Store(tile + 72, c31, s1, h1, relu);
                Store(tile + 80, c41, s1, h1, relu);
                Store(tile + 88, c51, s1, h1, relu);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* tile, Vector256<float> acc, Vector256<float> scale, Vector256<float> shift, bool relu)
        {
            var v = Fma.MultiplyAdd(acc, scale, shift);
            Avx.Store(tile, relu ? Avx.Max(v, Vector256<float>.Zero) : v);
        }
    }
}
