using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// AVX-512F micro-kernel of the direct convolution: 8 output pixels × 2 blocks of 16 output channels, 16 zmm
    /// accumulators, over one chunk of input blocks; otherwise as <see cref="DirectKernelAvx2"/>.
    /// </summary>
    internal static unsafe class DirectKernelAvx512
    {
        public const int Pixels = 8;

        /// <summary>As <see cref="DirectKernelAvx2.Tile{TBlocks}"/>, with 16-channel blocks: the sums are <c>[block][pixel][16 channels]</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Tile<TBlocks>(float* input, float* weights, nint outBlockWeights, int* termOffsets, int terms,
            nint step, float* sums, bool resume, bool finish, float* scale, float* shift, bool relu)
            where TBlocks : struct, IBlockPair
        {
            if (step == 16)
            {
                Run<TBlocks, UnitStride>(input, weights, outBlockWeights, termOffsets, terms, step, sums, resume, finish, scale, shift, relu);
            }
            else
            {
                Run<TBlocks, AnyStride>(input, weights, outBlockWeights, termOffsets, terms, step, sums, resume, finish, scale, shift, relu);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Run<TBlocks, TStep>(float* input, float* weights, nint outBlockWeights, int* termOffsets, int terms,
            nint step, float* sums, bool resume, bool finish, float* scale, float* shift, bool relu)
            where TBlocks : struct, IBlockPair
            where TStep : struct, IPixelStep
        {
            if (TStep.Unit)
            {
                step = 16;
            }

            Vector512<float> c00, c01 = default, c10, c11 = default, c20, c21 = default;
            Vector512<float> c30, c31 = default, c40, c41 = default, c50, c51 = default;
            Vector512<float> c60, c61 = default, c70, c71 = default;
            if (resume)
            {
                c00 = Avx512F.LoadVector512(sums);
                c10 = Avx512F.LoadVector512(sums + 16);
                c20 = Avx512F.LoadVector512(sums + 32);
                c30 = Avx512F.LoadVector512(sums + 48);
                c40 = Avx512F.LoadVector512(sums + 64);
                c50 = Avx512F.LoadVector512(sums + 80);
                c60 = Avx512F.LoadVector512(sums + 96);
                c70 = Avx512F.LoadVector512(sums + 112);
                if (TBlocks.Two)
                {
                    c01 = Avx512F.LoadVector512(sums + 128);
                    c11 = Avx512F.LoadVector512(sums + 144);
                    c21 = Avx512F.LoadVector512(sums + 160);
                    c31 = Avx512F.LoadVector512(sums + 176);
                    c41 = Avx512F.LoadVector512(sums + 192);
                    c51 = Avx512F.LoadVector512(sums + 208);
                    c61 = Avx512F.LoadVector512(sums + 224);
                    c71 = Avx512F.LoadVector512(sums + 240);
                }
            }
            else
            {
                c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = Vector512<float>.Zero;
            }

            // One flat loop over the chunk's terms: the weights lie in term order, the inputs where the table says.
            float* w = weights;
            for (nint q = 0; q < terms; q++)
            {
                float* a = input + termOffsets[q];
                var w0 = Avx512F.LoadVector512(w);
                var w1 = TBlocks.Two ? Avx512F.LoadVector512(w + outBlockWeights) : default;
                var av = Vector512.Create(a[0]);
                c00 = Avx512F.FusedMultiplyAdd(av, w0, c00);
                if (TBlocks.Two) c01 = Avx512F.FusedMultiplyAdd(av, w1, c01);
                av = Vector512.Create(a[1 * step]);
                c10 = Avx512F.FusedMultiplyAdd(av, w0, c10);
                if (TBlocks.Two) c11 = Avx512F.FusedMultiplyAdd(av, w1, c11);
                av = Vector512.Create(a[2 * step]);
                c20 = Avx512F.FusedMultiplyAdd(av, w0, c20);
                if (TBlocks.Two) c21 = Avx512F.FusedMultiplyAdd(av, w1, c21);
                av = Vector512.Create(a[3 * step]);
                c30 = Avx512F.FusedMultiplyAdd(av, w0, c30);
                if (TBlocks.Two) c31 = Avx512F.FusedMultiplyAdd(av, w1, c31);
                av = Vector512.Create(a[4 * step]);
                c40 = Avx512F.FusedMultiplyAdd(av, w0, c40);
                if (TBlocks.Two) c41 = Avx512F.FusedMultiplyAdd(av, w1, c41);
                av = Vector512.Create(a[5 * step]);
                c50 = Avx512F.FusedMultiplyAdd(av, w0, c50);
                if (TBlocks.Two) c51 = Avx512F.FusedMultiplyAdd(av, w1, c51);
                av = Vector512.Create(a[6 * step]);
                c60 = Avx512F.FusedMultiplyAdd(av, w0, c60);
                if (TBlocks.Two) c61 = Avx512F.FusedMultiplyAdd(av, w1, c61);
                av = Vector512.Create(a[7 * step]);
                c70 = Avx512F.FusedMultiplyAdd(av, w0, c70);
                if (TBlocks.Two) c71 = Avx512F.FusedMultiplyAdd(av, w1, c71);
                w += 16;
            }

            var s0 = Vector512<float>.One;
            var h0 = Vector512<float>.Zero;
            if (finish)
            {
                s0 = Avx512F.LoadVector512(scale);
                h0 = Avx512F.LoadVector512(shift);
            }

            Store(sums, c00, finish, s0, h0, relu);
            Store(sums + 16, c10, finish, s0, h0, relu);
            Store(sums + 32, c20, finish, s0, h0, relu);
            Store(sums + 48, c30, finish, s0, h0, relu);
            Store(sums + 64, c40, finish, s0, h0, relu);
            Store(sums + 80, c50, finish, s0, h0, relu);
            Store(sums + 96, c60, finish, s0, h0, relu);
            Store(sums + 112, c70, finish, s0, h0, relu);
            if (TBlocks.Two)
            {
                var s1 = s0;
                var h1 = h0;
                if (finish)
                {
                    s1 = Avx512F.LoadVector512(scale + 16);
                    h1 = Avx512F.LoadVector512(shift + 16);
                }

                Store(sums + 128, c01, finish, s1, h1, relu);
                Store(sums + 144, c11, finish, s1, h1, relu);
                Store(sums + 160, c21, finish, s1, h1, relu);
                Store(sums + 176, c31, finish, s1, h1, relu);
                Store(sums + 192, c41, finish, s1, h1, relu);
                Store(sums + 208, c51, finish, s1, h1, relu);
                Store(sums + 224, c61, finish, s1, h1, relu);
                Store(sums + 240, c71, finish, s1, h1, relu);
            }
        }

        /// <summary>
        /// Writes a finished tile whose 8 pixels lie side by side in one output row: channel c (c &lt; <paramref name="channels"/>)
        /// as 8 floats at <paramref name="target"/> + c·<paramref name="plane"/>, each half block through an 8×8 register transpose.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void ScatterRun(float* sums, int channels, float* target, nint plane, float* residual, Activation clamp)
        {
            for (int h = 0; h * 8 < channels; h++)
            {
                // Half block h: lanes 8·(h mod 2) … +7 of block h / 2, a row of 8 floats per pixel, 16 floats apart.
                float* tile = sums + ((h / 2) * Pixels * 16) + ((h % 2) * 8);
                var r0 = Avx.LoadVector256(tile);
                var r1 = Avx.LoadVector256(tile + 16);
                var r2 = Avx.LoadVector256(tile + 32);
                var r3 = Avx.LoadVector256(tile + 48);
                var r4 = Avx.LoadVector256(tile + 64);
                var r5 = Avx.LoadVector256(tile + 80);
                var r6 = Avx.LoadVector256(tile + 96);
                var r7 = Avx.LoadVector256(tile + 112);
                RegisterTranspose.Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                int lanes = System.Math.Min(8, channels - (h * 8));
                nint at = h * 8 * plane;
                StoreEight(target, residual, at, r0, clamp);
                if (lanes > 1) StoreEight(target, residual, at + plane, r1, clamp);
                if (lanes > 2) StoreEight(target, residual, at + (2 * plane), r2, clamp);
                if (lanes > 3) StoreEight(target, residual, at + (3 * plane), r3, clamp);
                if (lanes > 4) StoreEight(target, residual, at + (4 * plane), r4, clamp);
                if (lanes > 5) StoreEight(target, residual, at + (5 * plane), r5, clamp);
                if (lanes > 6) StoreEight(target, residual, at + (6 * plane), r6, clamp);
                if (lanes > 7) StoreEight(target, residual, at + (7 * plane), r7, clamp);
            }
        }

        /// <summary>
        /// Stores <paramref name="v"/> at <paramref name="target"/> + <paramref name="at"/>, with a <paramref name="residual"/>
        /// (else null) as <see cref="DirectKernelAvx2.AddClamped"/> of it and the residual's 8 floats at the same place.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreEight(float* target, float* residual, nint at, Vector256<float> v, Activation clamp)
        {
            if (residual != null)
            {
                v = DirectKernelAvx2.AddClamped(v, Avx.LoadVector256(residual + at), clamp);
            }

            Avx.Store(target + at, v);
        }

        /// <summary>Stores a partial sum as it is, or a finished one as <c>act(acc·scale + shift)</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* sums, Vector512<float> acc, bool finish, Vector512<float> scale, Vector512<float> shift, bool relu)
        {
            if (finish)
            {
                var v = Avx512F.FusedMultiplyAdd(acc, scale, shift);
                acc = relu ? Avx512F.Max(v, Vector512<float>.Zero) : v;
            }

            Avx512F.Store(sums, acc);
        }
    }
}
