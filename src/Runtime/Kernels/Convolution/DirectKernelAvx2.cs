using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// AVX2 + FMA micro-kernel of the direct convolution: 6 output pixels × 2 blocks of 8 output channels, 12 ymm
    /// accumulators, over one chunk of the reduction. For each term (input channel and kernel tap) it loads the 8-channel
    /// weight vector of each block and broadcasts the input value under each of the 6 pixels.
    /// </summary>
    internal static unsafe class DirectKernelAvx2
    {
        public const int Pixels = 6;

        /// <summary>
        /// Adds one chunk of the reduction to one tile. The tile's sums live in <paramref name="sums"/> as
        /// <c>[block][pixel][8 channels]</c>: they start there when <paramref name="resume"/> (else at zero) and go back
        /// there, as they are or, when <paramref name="finish"/>, as <c>y = act(acc·scale + shift)</c>.
        /// Pixel p reads its input from <paramref name="input"/> + <paramref name="pixels"/>[p] (input block 0, first kernel
        /// row and column), so the 6 pixels need not be evenly spaced: a tile of a narrow plane runs on from the end of one
        /// output row into the next (see <see cref="BlockedLayout"/>). The chunk is <paramref name="terms"/> terms, term q
        /// reading its input <paramref name="termOffsets"/>[q] floats from each pixel's start and its weights at
        /// <paramref name="weights"/> + 8q for the first output block (the second block's lie <paramref name="outBlockWeights"/>
        /// floats further). <paramref name="scale"/> and <paramref name="shift"/> hold the tile's channels.
        /// </summary>
        /// <remarks>
        /// Six base pointers cost nothing measurable over one base and a constant step: the JIT keeps all six in
        /// registers and each broadcast is one load from base + offset·4 either way (3×3 64→64 on 56×56, where the
        /// stepped kernel wasted no pixels, ran within noise of it with <c>--conv</c>: see <see cref="BlockedLayout"/>).
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Tile<TBlocks>(float* input, nint* pixels, float* weights, nint outBlockWeights, int* termOffsets, int terms,
            float* sums, bool resume, bool finish, float* scale, float* shift, bool relu)
            where TBlocks : struct, IBlockPair
        {
            float* a0 = input + pixels[0];
            float* a1 = input + pixels[1];
            float* a2 = input + pixels[2];
            float* a3 = input + pixels[3];
            float* a4 = input + pixels[4];
            float* a5 = input + pixels[5];
            Vector256<float> c00, c01 = default, c10, c11 = default, c20, c21 = default;
            Vector256<float> c30, c31 = default, c40, c41 = default, c50, c51 = default;
            if (resume)
            {
                c00 = Avx.LoadVector256(sums);
                c10 = Avx.LoadVector256(sums + 8);
                c20 = Avx.LoadVector256(sums + 16);
                c30 = Avx.LoadVector256(sums + 24);
                c40 = Avx.LoadVector256(sums + 32);
                c50 = Avx.LoadVector256(sums + 40);
                if (TBlocks.Two)
                {
                    c01 = Avx.LoadVector256(sums + 48);
                    c11 = Avx.LoadVector256(sums + 56);
                    c21 = Avx.LoadVector256(sums + 64);
                    c31 = Avx.LoadVector256(sums + 72);
                    c41 = Avx.LoadVector256(sums + 80);
                    c51 = Avx.LoadVector256(sums + 88);
                }
            }
            else
            {
                c00 = c10 = c20 = c30 = c40 = c50 = Vector256<float>.Zero;
            }

            // One flat loop over the chunk's terms: the weights lie in term order, the inputs where the table says.
            float* w = weights;
            for (nint q = 0; q < terms; q++)
            {
                nint at = termOffsets[q];
                var w0 = Avx.LoadVector256(w);
                var w1 = TBlocks.Two ? Avx.LoadVector256(w + outBlockWeights) : default;
                var av = Vector256.Create(a0[at]);
                c00 = Fma.MultiplyAdd(av, w0, c00);
                if (TBlocks.Two) c01 = Fma.MultiplyAdd(av, w1, c01);
                av = Vector256.Create(a1[at]);
                c10 = Fma.MultiplyAdd(av, w0, c10);
                if (TBlocks.Two) c11 = Fma.MultiplyAdd(av, w1, c11);
                av = Vector256.Create(a2[at]);
                c20 = Fma.MultiplyAdd(av, w0, c20);
                if (TBlocks.Two) c21 = Fma.MultiplyAdd(av, w1, c21);
                av = Vector256.Create(a3[at]);
                c30 = Fma.MultiplyAdd(av, w0, c30);
                if (TBlocks.Two) c31 = Fma.MultiplyAdd(av, w1, c31);
                av = Vector256.Create(a4[at]);
                c40 = Fma.MultiplyAdd(av, w0, c40);
                if (TBlocks.Two) c41 = Fma.MultiplyAdd(av, w1, c41);
                av = Vector256.Create(a5[at]);
                c50 = Fma.MultiplyAdd(av, w0, c50);
                if (TBlocks.Two) c51 = Fma.MultiplyAdd(av, w1, c51);
                w += 8;
            }

            var s0 = Vector256<float>.One;
            var h0 = Vector256<float>.Zero;
            if (finish)
            {
                s0 = Avx.LoadVector256(scale);
                h0 = Avx.LoadVector256(shift);
            }

            Store(sums, c00, finish, s0, h0, relu);
            Store(sums + 8, c10, finish, s0, h0, relu);
            Store(sums + 16, c20, finish, s0, h0, relu);
            Store(sums + 24, c30, finish, s0, h0, relu);
            Store(sums + 32, c40, finish, s0, h0, relu);
            Store(sums + 40, c50, finish, s0, h0, relu);
            if (TBlocks.Two)
            {
                var s1 = s0;
                var h1 = h0;
                if (finish)
                {
                    s1 = Avx.LoadVector256(scale + 8);
                    h1 = Avx.LoadVector256(shift + 8);
                }

                Store(sums + 48, c01, finish, s1, h1, relu);
                Store(sums + 56, c11, finish, s1, h1, relu);
                Store(sums + 64, c21, finish, s1, h1, relu);
                Store(sums + 72, c31, finish, s1, h1, relu);
                Store(sums + 80, c41, finish, s1, h1, relu);
                Store(sums + 88, c51, finish, s1, h1, relu);
            }
        }

        /// <summary>
        /// Writes a finished tile whose 6 pixels lie side by side in one output row: channel c (c &lt; <paramref name="channels"/>)
        /// as 6 floats at <paramref name="target"/> + c·<paramref name="plane"/>, each block through an 8×8 register transpose.
        /// With a <paramref name="residual"/> (laid out like the target; else null) each channel's 6 floats are stored as
        /// <see cref="AddClamped"/> of them and the residual's 6 at the same place, read just before they are written.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void ScatterRun(float* sums, int channels, float* target, nint plane, float* residual, Activation clamp)
        {
            for (int b = 0; b * 8 < channels; b++)
            {
                float* tile = sums + (b * Pixels * 8);
                var r0 = Avx.LoadVector256(tile);
                var r1 = Avx.LoadVector256(tile + 8);
                var r2 = Avx.LoadVector256(tile + 16);
                var r3 = Avx.LoadVector256(tile + 24);
                var r4 = Avx.LoadVector256(tile + 32);
                var r5 = Avx.LoadVector256(tile + 40);
                var r6 = Vector256<float>.Zero;
                var r7 = Vector256<float>.Zero;
                RegisterTranspose.Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                int lanes = System.Math.Min(8, channels - (b * 8));
                nint at = b * 8 * plane;
                StoreSix(target, residual, at, r0, clamp);
                if (lanes > 1) StoreSix(target, residual, at + plane, r1, clamp);
                if (lanes > 2) StoreSix(target, residual, at + (2 * plane), r2, clamp);
                if (lanes > 3) StoreSix(target, residual, at + (3 * plane), r3, clamp);
                if (lanes > 4) StoreSix(target, residual, at + (4 * plane), r4, clamp);
                if (lanes > 5) StoreSix(target, residual, at + (5 * plane), r5, clamp);
                if (lanes > 6) StoreSix(target, residual, at + (6 * plane), r6, clamp);
                if (lanes > 7) StoreSix(target, residual, at + (7 * plane), r7, clamp);
            }
        }

        /// <summary>
        /// <c>clamp(sum + residual)</c> for the clamps None, ReLU (max(0, ·)) and ReLU6 (min(6, max(0, ·))), as
        /// <see cref="VectorOps.AddActivate"/>'s vector lanes compute them: a NaN stays NaN, and a −0 sum stays −0.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> AddClamped(Vector256<float> sum, Vector256<float> residual, Activation clamp)
        {
            var v = Avx.Add(sum, residual);
            return clamp switch
            {
                Activation.ReLU => Avx.Max(Vector256<float>.Zero, v),
                Activation.ReLU6 => Avx.Min(Vector256.Create(6f), Avx.Max(Vector256<float>.Zero, v)),
                _ => v,
            };
        }

        /// <summary>
        /// Stores the first 6 floats of <paramref name="v"/> at <paramref name="target"/> + <paramref name="at"/>, with a
        /// <paramref name="residual"/> (else null) as <see cref="AddClamped"/> of them and the residual's 6 at the same place.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreSix(float* target, float* residual, nint at, Vector256<float> v, Activation clamp)
        {
            if (residual != null)
            {
                float* added = residual + at;
                var six = Vector256.Create(Sse.LoadVector128(added), Sse2.LoadScalarVector128((double*)(added + 4)).AsSingle());
                v = AddClamped(v, six, clamp);
            }

            Sse.Store(target + at, v.GetLower());
            Sse.StoreLow(target + at + 4, v.GetUpper());
        }

        /// <summary>Stores a partial sum as it is, or a finished one as <c>act(acc·scale + shift)</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* sums, Vector256<float> acc, bool finish, Vector256<float> scale, Vector256<float> shift, bool relu)
        {
            if (finish)
            {
                var v = Fma.MultiplyAdd(acc, scale, shift);
                acc = relu ? Avx.Max(v, Vector256<float>.Zero) : v;
            }

            Avx.Store(sums, acc);
        }
    }
}
