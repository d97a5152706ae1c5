using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// Plain <c>[C, H, W]</c> input → the blocked, zero-padded layout of <see cref="BlockedLayout"/>, a range of input
    /// blocks at a time (so threads can share it). Only the padding and the slack at the end are cleared; the interior is
    /// written once. On the vector paths 8 channels × 8 pixels move at a time through an 8×8
    /// register transpose.
    /// </summary>
    internal static unsafe class InputPacking
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Pack(ConvolutionShape s, in BlockedLayout layout, float* input, float* packed, int firstBlock, int endBlock)
        {
            int block = layout.Block;
            nint rowStride = layout.RowStride;
            nint interior = (nint)s.InWidth * block;
            nint left = (nint)s.PadLeft * block;
            bool vector = layout.Level != SimdLevel.Scalar;
            if (endBlock == layout.InBlocks)
            {
                nint planes = (nint)layout.InBlocks * layout.PlaneStride;
                new Span<float>(packed + planes, (int)(layout.PackedInputLength - planes)).Clear();
            }

            for (int ib = firstBlock; ib < endBlock; ib++)
            {
                float* plane = packed + ((nint)ib * layout.PlaneStride);
                new Span<float>(plane, (int)(s.PadTop * rowStride)).Clear();
                int below = layout.PaddedHeight - s.PadTop - s.InHeight;
                new Span<float>(plane + ((s.PadTop + s.InHeight) * rowStride), (int)(below * rowStride)).Clear();
                int channels = Math.Min(block, s.InChannels - (ib * block));
                for (int y = 0; y < s.InHeight; y++)
                {
                    float* row = plane + ((s.PadTop + y) * rowStride);
                    new Span<float>(row, (int)left).Clear();
                    new Span<float>(row + left + interior, (int)(rowStride - left - interior)).Clear();
                    float* source = input + (((nint)ib * block * s.InHeight) + y) * s.InWidth;
                    nint channelStride = (nint)s.InHeight * s.InWidth;
                    int x = 0;
                    if (vector)
                    {
                        for (; x + 8 <= s.InWidth; x += 8)
                        {
                            for (int lane = 0; lane < block; lane += 8)
                            {
                                Transpose8(source + (lane * channelStride) + x, channelStride, channels - lane, row + left + ((nint)x * block) + lane, block);
                            }
                        }
                    }

                    for (; x < s.InWidth; x++)
                    {
                        float* pixel = row + left + ((nint)x * block);
                        for (int lane = 0; lane < block; lane++)
                        {
                            pixel[lane] = lane < channels ? source[(lane * channelStride) + x] : 0f;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Reads 8 pixels of each of <paramref name="rows"/> channels (stride <paramref name="lds"/>; channels past it, up
        /// to 8, read as zero) and writes pixel p's 8 channels at <c>dst + p·ldd</c>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Transpose8(float* src, nint lds, int rows, float* dst, nint ldd)
        {
            var r0 = rows > 0 ? Avx.LoadVector256(src) : Vector256<float>.Zero;
            var r1 = rows > 1 ? Avx.LoadVector256(src + lds) : Vector256<float>.Zero;
            var r2 = rows > 2 ? Avx.LoadVector256(src + (2 * lds)) : Vector256<float>.Zero;
            var r3 = rows > 3 ? Avx.LoadVector256(src + (3 * lds)) : Vector256<float>.Zero;
            var r4 = rows > 4 ? Avx.LoadVector256(src + (4 * lds)) : Vector256<float>.Zero;
            var r5 = rows > 5 ? Avx.LoadVector256(src + (5 * lds)) : Vector256<float>.Zero;
            var r6 = rows > 6 ? Avx.LoadVector256(src + (6 * lds)) : Vector256<float>.Zero;
            var r7 = rows > 7 ? Avx.LoadVector256(src + (7 * lds)) : Vector256<float>.Zero;

            RegisterTranspose.Store8x8(r0, r1, r2, r3, r4, r5, r6, r7, dst, ldd);
        }
    }
}
