using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels
{
    /// <summary>The 8×8 register transpose that GEMM packing and the direct convolution's input packing and output scatter share (AVX).</summary>
    internal static unsafe class RegisterTranspose
    {
        /// <summary>
        /// Given the rows r0…r7 of an 8×8 block, writes its column c as 8 floats at <c>dst + c·ldd</c>, c = 0..7.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store8x8(
            Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
            Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
            float* dst, nint ldd)
        {
            Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            Avx.Store(dst, r0);
            Avx.Store(dst + ldd, r1);
            Avx.Store(dst + (2 * ldd), r2);
            Avx.Store(dst + (3 * ldd), r3);
            Avx.Store(dst + (4 * ldd), r4);
            Avx.Store(dst + (5 * ldd), r5);
            Avx.Store(dst + (6 * ldd), r6);
            Avx.Store(dst + (7 * ldd), r7);
        }

        /// <summary>
        /// Transposes the 8×8 block whose rows are r0…r7 in place (afterwards r_c holds column c): interleave pairs of
        /// rows, then quads, then swap 128-bit halves.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Transpose8x8(
            ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
            ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
        {
            var t0 = Avx.UnpackLow(r0, r1);
            var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5);
            var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7);
            var t7 = Avx.UnpackHigh(r6, r7);

            var u0 = Avx.Shuffle(t0, t2, 0x44);
            var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44);
            var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44);
            var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44);
            var u7 = Avx.Shuffle(t5, t7, 0xEE);

            r0 = Avx.Permute2x128(u0, u4, 0x20);
            r1 = Avx.Permute2x128(u1, u5, 0x20);
            r2 = Avx.Permute2x128(u2, u6, 0x20);
            r3 = Avx.Permute2x128(u3, u7, 0x20);
            r4 = Avx.Permute2x128(u0, u4, 0x31);
            r5 = Avx.Permute2x128(u1, u5, 0x31);
            r6 = Avx.Permute2x128(u2, u6, 0x31);
            r7 = Avx.Permute2x128(u3, u7, 0x31);
        }
    }
}
