using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// AVX2 + FMA micro-kernel for the output blocks from <see cref="BlockedLayout.TailFirstBlock"/> on (a lone last block
    /// with only a few real channels, or every block when there is one input channel): up to 6 vectors of 8 output pixels
    /// × 1, 2 or 4 output channels (up to 24 ymm accumulators), vectorized over pixels instead of channels, so a block of
    /// 4 real channels costs 4 channels' work rather than 8 lanes' (the blocked kernel pays for every lane of a block,
    /// and alone, with 6 accumulators, waits on the FMA latency).
    /// </summary>
    /// <remarks>
    /// <para>It reads the plain zero-padded copy of the input (<c>[in, PaddedHeight, PaddedWidth]</c>, see
    /// <see cref="BlockedLayout.PlainStart"/>) at stride 1, so a vector's 8 pixels, side by side in one output row, read
    /// 8 consecutive floats at every tap; a row's last vector may run past the output width, and its extra lanes are
    /// computed and not stored. Its terms run in the blocked kernels' order (input block, kernel row, kernel column, lane)
    /// and it reads the same packed weights, a broadcast per channel and term, so each sum adds the same products in the
    /// same order as the blocked AVX2 kernel would.</para>
    /// <para>4 channels a call (<see cref="MaxChannels"/>) need 24 accumulators, 4 weights and the loaded vector: 29 of
    /// the 32 vector registers AVX-512 gives (EVEX encodes ymm16–31 for AVX2-width code too), more than the 16 of an
    /// AVX2-only CPU, where 2 channels a call keep the 12 accumulators in registers (on this CPU the JIT's listing of the
    /// 4 × 6 kernel uses ymm0–31 and spills nothing). A strip's last call computes only the vectors left (1 to 6)
    /// instead of repeating the last one to fill 6. Measured on a double-pumped Zen 4 against the kernel of 2 channels
    /// × 6 vectors with repeats (main at cfe8152), the two builds alternated, best thread CPU time, <c>taskset -c 1</c>,
    /// load average 13–15 (a throwaway harness timing <see cref="DirectConvolution"/>'s Compute and Apply, µs per
    /// sample): LeNet-5's conv2 ∂L/∂x (the convolution 5×5 50→20 on 14×14, pad 2, whose lone third block of 4 channels
    /// runs here, 14 vectors per strip of 7 rows, 18 computed before) 25.4 → 19.3–19.4 for those 4 channels and 97.5–99.1
    /// → 90.6–92.0 for the whole <see cref="ConvolutionBackward.DataGradient"/>; LeNet-5's conv1 forward (1→20 on 28×28,
    /// every block here) 14.8–15.0 → 13.1–13.3; its conv2 forward (20→50, a lone block of 2) 92.3–94.1 → 90.9–92.9.
    /// The outputs were bit-identical. In one process earlier, the 4 channels a call alone (repeats kept) gave 25.2 → 23.8.
    /// <c>taskset -c 1 dotnet bench/ConvGen.Benchmarks/bin/Release/net10.0/ConvGen.Benchmarks.dll --backward 5 "LeNet conv2"</c>
    /// shows the whole ∂L/∂x in its "∂x direct" column: 103.5–104.0 µs at main, 96.5–96.7 here (alternated, load 2.5–5.2).</para>
    /// </remarks>
    internal static unsafe class TailKernelAvx2
    {
        /// <summary>Vectors of 8 pixels one call computes per channel, at most.</summary>
        public const int Vectors = 6;

        /// <summary>Channels one call computes, at most: 4 where the CPU has 32 vector registers (AVX-512), else 2.</summary>
        public static readonly int MaxChannels = Avx512F.VL.IsSupported ? 4 : 2;

        /// <summary>
        /// Computes <paramref name="vectors"/> (1–6) vectors for <paramref name="channels"/> (1, 2 or 4) channels: vector v
        /// reads from <paramref name="input"/> + <paramref name="reads"/>[v] (the plain copy, at its first pixel's first
        /// tap), term q <paramref name="termOffsets"/>[q] floats on, with channel k's weight at <paramref name="weights"/>[8q + k].
        /// Writes <c>y = act(acc·scale + shift)</c> (ReLU applied here, other activations left to the caller) to
        /// <paramref name="sums"/> as <c>[channel][<see cref="Vectors"/>][8 pixels]</c>.
        /// </summary>
        public static void Tile(int channels, int vectors, float* input, nint* reads, float* weights, int* termOffsets, int terms, float* sums,
            float* scale, float* shift, bool relu)
        {
            switch (channels)
            {
                case 4:
                    Tile<Count4>(vectors, input, reads, weights, termOffsets, terms, sums, scale, shift, relu);
                    break;
                case 2:
                    Tile<Count2>(vectors, input, reads, weights, termOffsets, terms, sums, scale, shift, relu);
                    break;
                default:
                    Tile<Count1>(vectors, input, reads, weights, termOffsets, terms, sums, scale, shift, relu);
                    break;
            }
        }

        private static void Tile<TChannels>(int vectors, float* input, nint* reads, float* weights, int* termOffsets, int terms, float* sums,
            float* scale, float* shift, bool relu)
            where TChannels : struct, IKernelCount
        {
            switch (vectors)
            {
                case 6:
                    Tile<TChannels, Count6>(input, reads, weights, termOffsets, terms, sums, scale, shift, relu);
                    break;
                case 5:
                    Tile<TChannels, Count5>(input, reads, weights, termOffsets, terms, sums, scale, shift, relu);
                    break;
                case 4:
                    Tile<TChannels, Count4>(input, reads, weights, termOffsets, terms, sums, scale, shift, relu);
                    break;
                case 3:
                    Tile<TChannels, Count3>(input, reads, weights, termOffsets, terms, sums, scale, shift, relu);
                    break;
                case 2:
                    Tile<TChannels, Count2>(input, reads, weights, termOffsets, terms, sums, scale, shift, relu);
                    break;
                default:
                    Tile<TChannels, Count1>(input, reads, weights, termOffsets, terms, sums, scale, shift, relu);
                    break;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Tile<TChannels, TVectors>(float* input, nint* reads, float* weights, int* termOffsets, int terms, float* sums,
            float* scale, float* shift, bool relu)
            where TChannels : struct, IKernelCount
            where TVectors : struct, IKernelCount
        {
            // Vectors past TVectors keep their first read, which the loop never uses.
            float* a0 = input + reads[0];
            float* a1 = TVectors.Count > 1 ? input + reads[1] : a0;
            float* a2 = TVectors.Count > 2 ? input + reads[2] : a0;
            float* a3 = TVectors.Count > 3 ? input + reads[3] : a0;
            float* a4 = TVectors.Count > 4 ? input + reads[4] : a0;
            float* a5 = TVectors.Count > 5 ? input + reads[5] : a0;
            Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default, c04 = default, c05 = default;
            Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
            Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default, c24 = default, c25 = default;
            Vector256<float> c30 = default, c31 = default, c32 = default, c33 = default, c34 = default, c35 = default;
            float* w = weights;
            for (nint q = 0; q < terms; q++)
            {
                nint at = termOffsets[q];
                var w0 = Vector256.Create(w[0]);
                var w1 = TChannels.Count > 1 ? Vector256.Create(w[1]) : default;
                var w2 = TChannels.Count > 2 ? Vector256.Create(w[2]) : default;
                var w3 = TChannels.Count > 3 ? Vector256.Create(w[3]) : default;
                var x = Avx.LoadVector256(a0 + at);
                c00 = Fma.MultiplyAdd(x, w0, c00);
                if (TChannels.Count > 1) c10 = Fma.MultiplyAdd(x, w1, c10);
                if (TChannels.Count > 2) c20 = Fma.MultiplyAdd(x, w2, c20);
                if (TChannels.Count > 3) c30 = Fma.MultiplyAdd(x, w3, c30);
                if (TVectors.Count > 1)
                {
                    x = Avx.LoadVector256(a1 + at);
                    c01 = Fma.MultiplyAdd(x, w0, c01);
                    if (TChannels.Count > 1) c11 = Fma.MultiplyAdd(x, w1, c11);
                    if (TChannels.Count > 2) c21 = Fma.MultiplyAdd(x, w2, c21);
                    if (TChannels.Count > 3) c31 = Fma.MultiplyAdd(x, w3, c31);
                }

                if (TVectors.Count > 2)
                {
                    x = Avx.LoadVector256(a2 + at);
                    c02 = Fma.MultiplyAdd(x, w0, c02);
                    if (TChannels.Count > 1) c12 = Fma.MultiplyAdd(x, w1, c12);
                    if (TChannels.Count > 2) c22 = Fma.MultiplyAdd(x, w2, c22);
                    if (TChannels.Count > 3) c32 = Fma.MultiplyAdd(x, w3, c32);
                }

                if (TVectors.Count > 3)
                {
                    x = Avx.LoadVector256(a3 + at);
                    c03 = Fma.MultiplyAdd(x, w0, c03);
                    if (TChannels.Count > 1) c13 = Fma.MultiplyAdd(x, w1, c13);
                    if (TChannels.Count > 2) c23 = Fma.MultiplyAdd(x, w2, c23);
                    if (TChannels.Count > 3) c33 = Fma.MultiplyAdd(x, w3, c33);
                }

                if (TVectors.Count > 4)
                {
                    x = Avx.LoadVector256(a4 + at);
                    c04 = Fma.MultiplyAdd(x, w0, c04);
                    if (TChannels.Count > 1) c14 = Fma.MultiplyAdd(x, w1, c14);
                    if (TChannels.Count > 2) c24 = Fma.MultiplyAdd(x, w2, c24);
                    if (TChannels.Count > 3) c34 = Fma.MultiplyAdd(x, w3, c34);
                }

                if (TVectors.Count > 5)
                {
                    x = Avx.LoadVector256(a5 + at);
                    c05 = Fma.MultiplyAdd(x, w0, c05);
                    if (TChannels.Count > 1) c15 = Fma.MultiplyAdd(x, w1, c15);
                    if (TChannels.Count > 2) c25 = Fma.MultiplyAdd(x, w2, c25);
                    if (TChannels.Count > 3) c35 = Fma.MultiplyAdd(x, w3, c35);
                }

                w += 8;
            }

            var s = Vector256.Create(scale[0]);
            var h = Vector256.Create(shift[0]);
            Store(sums, c00, s, h, relu);
            if (TVectors.Count > 1) Store(sums + 8, c01, s, h, relu);
            if (TVectors.Count > 2) Store(sums + 16, c02, s, h, relu);
            if (TVectors.Count > 3) Store(sums + 24, c03, s, h, relu);
            if (TVectors.Count > 4) Store(sums + 32, c04, s, h, relu);
            if (TVectors.Count > 5) Store(sums + 40, c05, s, h, relu);

            if (TChannels.Count > 1)
            {
                s = Vector256.Create(scale[1]);
                h = Vector256.Create(shift[1]);
                Store(sums + 48, c10, s, h, relu);
                if (TVectors.Count > 1) Store(sums + 56, c11, s, h, relu);
                if (TVectors.Count > 2) Store(sums + 64, c12, s, h, relu);
                if (TVectors.Count > 3) Store(sums + 72, c13, s, h, relu);
                if (TVectors.Count > 4) Store(sums + 80, c14, s, h, relu);
                if (TVectors.Count > 5) Store(sums + 88, c15, s, h, relu);
            }

            if (TChannels.Count > 2)
            {
                s = Vector256.Create(scale[2]);
                h = Vector256.Create(shift[2]);
                Store(sums + 96, c20, s, h, relu);
                if (TVectors.Count > 1) Store(sums + 104, c21, s, h, relu);
                if (TVectors.Count > 2) Store(sums + 112, c22, s, h, relu);
                if (TVectors.Count > 3) Store(sums + 120, c23, s, h, relu);
                if (TVectors.Count > 4) Store(sums + 128, c24, s, h, relu);
                if (TVectors.Count > 5) Store(sums + 136, c25, s, h, relu);
            }

            if (TChannels.Count > 3)
            {
                s = Vector256.Create(scale[3]);
                h = Vector256.Create(shift[3]);
                Store(sums + 144, c30, s, h, relu);
                if (TVectors.Count > 1) Store(sums + 152, c31, s, h, relu);
                if (TVectors.Count > 2) Store(sums + 160, c32, s, h, relu);
                if (TVectors.Count > 3) Store(sums + 168, c33, s, h, relu);
                if (TVectors.Count > 4) Store(sums + 176, c34, s, h, relu);
                if (TVectors.Count > 5) Store(sums + 184, c35, s, h, relu);
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

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// A small count a micro-kernel is compiled for (channels or vectors per call): a struct type argument, so the JIT
    /// compiles each count on its own with the unused accumulators removed.
    /// </summary>
    internal interface IKernelCount
    {
        static abstract int Count { get; }
    }

    internal readonly struct Count1 : IKernelCount
    {
        public static int Count => 1;
    }

    internal readonly struct Count2 : IKernelCount
    {
        public static int Count => 2;
    }

    internal readonly struct Count3 : IKernelCount
    {
        public static int Count => 3;
    }

    internal readonly struct Count4 : IKernelCount
    {
        public static int Count => 4;
    }

    internal readonly struct Count5 : IKernelCount
    {
        public static int Count => 5;
    }

    internal readonly struct Count6 : IKernelCount
    {
        public static int Count => 6;
    }
}
