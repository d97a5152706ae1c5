using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// AVX2 + FMA micro-kernel for the output blocks from <see cref="BlockedLayout.TailFirstBlock"/> on (a lone last block
    /// with only a few real channels, or every block when there is one input channel):
    /// 6 vectors of 8 output pixels × 1 or 2 output channels, 12 ymm accumulators, vectorized over pixels instead of
    /// channels, so a block of 2 real channels costs 2 channels' work rather than 8 lanes' (the blocked kernel pays for
    /// every lane of a block, and alone, with 6 accumulators, waits on the FMA latency).
    /// </summary>
    /// <remarks>
    /// It reads the plain zero-padded copy of the input (<c>[in, PaddedHeight, PaddedWidth]</c>, see
    /// <see cref="BlockedLayout.PlainStart"/>) at stride 1, so a vector's 8 pixels, side by side in one output row, read
    /// 8 consecutive floats at every tap; a row's last vector may run past the output width, and its extra lanes are
    /// computed and not stored. Its terms run in the blocked kernels' order (input block, kernel row, kernel column, lane)
    /// and it reads the same packed weights, a broadcast per channel and term, so each sum adds the same products in the
    /// same order as the blocked AVX2 kernel would.
    /// </remarks>
    internal static unsafe class TailKernelAvx2
    {
        /// <summary>Vectors of 8 pixels one call computes per channel.</summary>
        public const int Vectors = 6;

        /// <summary>
        /// Computes 6 vectors for one channel, or two when <typeparamref name="TChannels"/> is <see cref="TwoBlocks"/>
        /// (here: two channels): vector v reads from <paramref name="input"/> + <paramref name="vectors"/>[v] (the plain
        /// copy, at its first pixel's first tap), term q <paramref name="termOffsets"/>[q] floats on, with its weight at
        /// <paramref name="weights"/>[8q] (the second channel's at <paramref name="weights"/>[8q + 1]). Writes
        /// <c>y = act(acc·scale + shift)</c> (ReLU applied here, other activations left to the caller) to
        /// <paramref name="sums"/> as <c>[channel][vector][8 pixels]</c>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Tile<TChannels>(float* input, nint* vectors, float* weights, int* termOffsets, int terms, float* sums, float* scale, float* shift, bool relu)
            where TChannels : struct, IBlockPair
        {
            float* a0 = input + vectors[0];
            float* a1 = input + vectors[1];
            float* a2 = input + vectors[2];
            float* a3 = input + vectors[3];
            float* a4 = input + vectors[4];
            float* a5 = input + vectors[5];
            var c00 = Vector256<float>.Zero;
            var c01 = Vector256<float>.Zero;
            var c02 = Vector256<float>.Zero;
            var c03 = Vector256<float>.Zero;
            var c04 = Vector256<float>.Zero;
            var c05 = Vector256<float>.Zero;
            Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
            float* w = weights;
            for (nint q = 0; q < terms; q++)
            {
                nint at = termOffsets[q];
                var w0 = Vector256.Create(w[0]);
                var w1 = TChannels.Two ? Vector256.Create(w[1]) : default;
                var x = Avx.LoadVector256(a0 + at);
                c00 = Fma.MultiplyAdd(x, w0, c00);
                if (TChannels.Two) c10 = Fma.MultiplyAdd(x, w1, c10);
                x = Avx.LoadVector256(a1 + at);
                c01 = Fma.MultiplyAdd(x, w0, c01);
                if (TChannels.Two) c11 = Fma.MultiplyAdd(x, w1, c11);
                x = Avx.LoadVector256(a2 + at);
                c02 = Fma.MultiplyAdd(x, w0, c02);
                if (TChannels.Two) c12 = Fma.MultiplyAdd(x, w1, c12);
                x = Avx.LoadVector256(a3 + at);
                c03 = Fma.MultiplyAdd(x, w0, c03);
                if (TChannels.Two) c13 = Fma.MultiplyAdd(x, w1, c13);
                x = Avx.LoadVector256(a4 + at);
                c04 = Fma.MultiplyAdd(x, w0, c04);
                if (TChannels.Two) c14 = Fma.MultiplyAdd(x, w1, c14);
                x = Avx.LoadVector256(a5 + at);
                c05 = Fma.MultiplyAdd(x, w0, c05);
                if (TChannels.Two) c15 = Fma.MultiplyAdd(x, w1, c15);
                w += 8;
            }

            var s = Vector256.Create(scale[0]);
            var h = Vector256.Create(shift[0]);
            Store(sums, c00, s, h, relu);
            Store(sums + 8, c01, s, h, relu);
            Store(sums + 16, c02, s, h, relu);
            Store(sums + 24, c03, s, h, relu);
            Store(sums + 32, c04, s, h, relu);
            Store(sums + 40, c05, s, h, relu);
            if (TChannels.Two)
            {
                s = Vector256.Create(scale[1]);
                h = Vector256.Create(shift[1]);
                Store(sums + 48, c10, s, h, relu);
                Store(sums + 56, c11, s, h, relu);
                Store(sums + 64, c12, s, h, relu);
                Store(sums + 72, c13, s, h, relu);
                Store(sums + 80, c14, s, h, relu);
                Store(sums + 88, c15, s, h, relu);
            }
        }

        /// <summary>
        /// Writes one finished vector to <paramref name="target"/>: all 8 pixels, or only the first <paramref name="lanes"/>
        /// (a row's last vector) through <paramref name="mask"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreVector(float* sums, float* target, int lanes, Vector256<float> mask)
        {
            var v = Avx.LoadVector256(sums);
            if (lanes == 8)
            {
                Avx.Store(target, v);
            }
            else
            {
                Avx.MaskStore(target, mask, v);
            }
        }

        /// <summary>
        /// Adds to one finished vector at <paramref name="sums"/> the <paramref name="residual"/>'s floats where it will be
        /// stored: all 8, or only the first <paramref name="lanes"/> through <paramref name="mask"/> (the others read as 0).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddVector(float* sums, float* residual, int lanes, Vector256<float> mask)
        {
            var added = lanes == 8 ? Avx.LoadVector256(residual) : Avx.MaskLoad(residual, mask);
            Avx.Store(sums, Avx.Add(Avx.LoadVector256(sums), added));
        }

        /// <summary>The mask selecting the first <paramref name="lanes"/> floats of a vector.</summary>
        public static Vector256<float> FirstLanes(int lanes) =>
            Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(lanes)).AsSingle();

        /// <summary>Stores <c>act(acc·scale + shift)</c>, the activation being ReLU or none.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* sums, Vector256<float> acc, Vector256<float> scale, Vector256<float> shift, bool relu)
        {
            var v = Fma.MultiplyAdd(acc, scale, shift);
            Avx.Store(sums, relu ? Avx.Max(v, Vector256<float>.Zero) : v);
        }
    }
}
