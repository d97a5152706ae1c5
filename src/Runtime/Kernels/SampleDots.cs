using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels
{
    /// <summary>
    /// <c>y[s, j] = x_s · W_j</c> for a few samples s at once: each row of W is read once per group of up to
    /// <see cref="MaxSamples"/> samples and multiplied into two accumulators per sample. A Dense layer's forward over a small
    /// batch is bound by reading W (4.9 MB in LeNet-5's 2450→500 layer); a matrix-vector product per sample reads it once
    /// per sample, and a packed GEMM spends most of its tiles' lanes on samples that are not there.
    /// </summary>
    /// <remarks>
    /// Each sum runs over the inputs in vectors of 8, alternately into the two accumulators (added, then their lanes summed,
    /// at the end), then the last inputs one by one. Vector code (AVX2 and FMA); the caller keeps the scalar path elsewhere.
    /// </remarks>
    internal static unsafe class SampleDots
    {
        /// <summary>Samples multiplied into one pass over W.</summary>
        public const int MaxSamples = 4;

        /// <summary>
        /// y[s·ldy + j] = Σₚ x[s·ldx + p]·w[j·k + p] for s in [0, <paramref name="samples"/>) and j in
        /// [<paramref name="u0"/>, <paramref name="u1"/>), groups of up to <see cref="MaxSamples"/> samples at a time.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Multiply(float* x, nint ldx, int samples, float* w, int k, int u0, int u1, float* y, nint ldy)
        {
            for (var s = 0; s < samples; s += MaxSamples)
            {
                var xs = x + (s * ldx);
                var ys = y + (s * ldy);
                switch (Math.Min(MaxSamples, samples - s))
                {
                    case 1: Group<One>(xs, ldx, w, k, u0, u1, ys, ldy); break;
                    case 2: Group<Two>(xs, ldx, w, k, u0, u1, ys, ldy); break;
                    case 3: Group<Three>(xs, ldx, w, k, u0, u1, ys, ldy); break;
                    default: Group<Four>(xs, ldx, w, k, u0, u1, ys, ldy); break;
                }
            }
        }

        /// <summary>
        /// One group of <typeparamref name="TCount"/> samples (a compile-time count, so the unused accumulators vanish). Two
        /// accumulators per sample, for the even and the odd vectors of inputs, keep up to 8 multiply-adds in flight.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Group<TCount>(float* x, nint ldx, float* w, int k, int u0, int u1, float* y, nint ldy)
            where TCount : struct, ISampleCount
        {
            var count = TCount.Value;
            float* x1 = x + ldx, x2 = x1 + ldx, x3 = x2 + ldx;
            var pairEnd = k & ~15;
            var vectorEnd = k & ~7;
            for (var j = u0; j < u1; j++)
            {
                var row = w + ((nint)j * k);
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, t0 = default, t1 = default, t2 = default, t3 = default;
                var p = 0;
                for (; p < pairEnd; p += 16)
                {
                    var v = Avx.LoadVector256(row + p);
                    var u = Avx.LoadVector256(row + p + 8);
                    s0 = Fma.MultiplyAdd(v, Avx.LoadVector256(x + p), s0);
                    t0 = Fma.MultiplyAdd(u, Avx.LoadVector256(x + p + 8), t0);
                    if (count > 1)
                    {
                        s1 = Fma.MultiplyAdd(v, Avx.LoadVector256(x1 + p), s1);
                        t1 = Fma.MultiplyAdd(u, Avx.LoadVector256(x1 + p + 8), t1);
                    }

                    if (count > 2)
                    {
                        s2 = Fma.MultiplyAdd(v, Avx.LoadVector256(x2 + p), s2);
                        t2 = Fma.MultiplyAdd(u, Avx.LoadVector256(x2 + p + 8), t2);
                    }

                    if (count > 3)
                    {
                        s3 = Fma.MultiplyAdd(v, Avx.LoadVector256(x3 + p), s3);
                        t3 = Fma.MultiplyAdd(u, Avx.LoadVector256(x3 + p + 8), t3);
                    }
                }

                if (p < vectorEnd)
                {
                    var v = Avx.LoadVector256(row + p);
                    s0 = Fma.MultiplyAdd(v, Avx.LoadVector256(x + p), s0);
                    if (count > 1) s1 = Fma.MultiplyAdd(v, Avx.LoadVector256(x1 + p), s1);
                    if (count > 2) s2 = Fma.MultiplyAdd(v, Avx.LoadVector256(x2 + p), s2);
                    if (count > 3) s3 = Fma.MultiplyAdd(v, Avx.LoadVector256(x3 + p), s3);
                }

                y[j] = Finish(s0 + t0, x, row, vectorEnd, k);
                if (count > 1) y[ldy + j] = Finish(s1 + t1, x1, row, vectorEnd, k);
                if (count > 2) y[(2 * ldy) + j] = Finish(s2 + t2, x2, row, vectorEnd, k);
                if (count > 3) y[(3 * ldy) + j] = Finish(s3 + t3, x3, row, vectorEnd, k);
            }
        }

        /// <summary>The accumulator's lanes summed, plus the inputs past the last whole vector.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Finish(Vector256<float> sum, float* x, float* row, int from, int k)
        {
            var total = Vector256.Sum(sum);
            for (var p = from; p < k; p++)
            {
                total = MathF.FusedMultiplyAdd(x[p], row[p], total);
            }

            return total;
        }

        /// <summary>How many samples a group holds (a type argument, so each count compiles to its own loop).</summary>
        private interface ISampleCount
        {
            static abstract int Value { get; }
        }

        private readonly struct One : ISampleCount { public static int Value => 1; }

        private readonly struct Two : ISampleCount { public static int Value => 2; }

        private readonly struct Three : ISampleCount { public static int Value => 3; }

        private readonly struct Four : ISampleCount { public static int Value => 4; }




    }
}
