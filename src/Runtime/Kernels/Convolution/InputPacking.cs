using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// Plain <c>[C, H, W]</c> input → the blocked, zero-padded layout of <see cref="BlockedLayout"/>, a range of input
    /// blocks and of input rows at a time (so threads can share it: by blocks, or by rows when there are fewer blocks than
    /// threads, as in a stem of 3 channels). The part whose rows start at row 0 clears the padding above and below each
    /// block's plane; the part whose rows end at the last one clears the slack after the planes. Only the padding and the slack at the end are cleared; the interior is
    /// written once. On the vector paths 8 channels × 8 pixels move at a time through an 8×8
    /// register transpose. When the layout has a tail (<see cref="BlockedLayout.TailFirstBlock"/>), the same pass also
    /// writes the plain zero-padded copy the tail kernel reads, row by row while each source row is in cache (or that copy
    /// alone when no output block reads the blocked input).
    /// </summary>
    internal static unsafe class InputPacking
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Pack(ConvolutionShape s, in BlockedLayout layout, float* input, float* packed, int firstBlock, int endBlock, int firstRow, int endRow)
        {
            int block = layout.Block;
            nint rowStride = layout.RowStride;
            nint interior = (nint)s.InWidth * block;
            nint left = (nint)s.PadLeft * block;
            bool vector = layout.Level != SimdLevel.Scalar;
            bool plain = layout.HasTail;
            bool top = firstRow == 0 && endRow > 0; // an empty part (more parts than rows) leaves the padding to the one with row 0
            bool last = endBlock == layout.InBlocks && endRow == s.InHeight;
            if (plain && last)
            {
                nint planes = layout.PlainStart + ((nint)s.InChannels * layout.PlainPlane);
                new Span<float>(packed + planes, (int)(layout.PackedInputLength - planes)).Clear();
            }

            if (!layout.Blocked)
            {
                PackPlain(s, in layout, input, packed, firstBlock, endBlock, firstRow, endRow);
                return;
            }

            if (last)
            {
                nint planes = (nint)layout.InBlocks * layout.PlaneStride;
                new Span<float>(packed + planes, (int)(layout.PlainStart - planes)).Clear();
            }

            for (int ib = firstBlock; ib < endBlock; ib++)
            {
                float* plane = packed + ((nint)ib * layout.PlaneStride);
                int channels = Math.Min(block, s.InChannels - (ib * block));
                if (top)
                {
                    new Span<float>(plane, (int)(s.PadTop * rowStride)).Clear();
                    int below = layout.PaddedHeight - s.PadTop - s.InHeight;
                    new Span<float>(plane + ((s.PadTop + s.InHeight) * rowStride), (int)(below * rowStride)).Clear();
                    if (plain)
                    {
                        ClearPlainPadding(s, in layout, packed + layout.PlainStart + ((nint)ib * block * layout.PlainPlane), channels);
                    }
                }

                for (int y = firstRow; y < endRow; y++)
                {
                    float* row = plane + ((s.PadTop + y) * rowStride);
                    new Span<float>(row, (int)left).Clear();
                    new Span<float>(row + left + interior, (int)(rowStride - left - interior)).Clear();
                    float* source = input + (((nint)ib * block * s.InHeight) + y) * s.InWidth;
                    nint channelStride = (nint)s.InHeight * s.InWidth;
                    if (plain)
                    {
                        // The plain copy's rows, while the source rows are in cache.
                        float* plainRow = packed + layout.PlainStart + ((nint)ib * block * layout.PlainPlane) + ((s.PadTop + y) * layout.PaddedWidth) + s.PadLeft;
                        for (int lane = 0; lane < channels; lane++)
                        {
                            PlainRow(source + (lane * channelStride), plainRow + ((nint)lane * layout.PlainPlane), s.InWidth, s.PadLeft, layout.PaddedWidth - s.PadLeft - s.InWidth, vector);
                        }
                    }

                    int x = 0;
                    if (vector)
                    {
                        for (; x < s.InWidth && s.InWidth >= 8; x += 8)
                        {
                            // A row's last 8 pixels overlap the previous 8 when the width is not a multiple of 8:
                            // the overlap is written twice with the same values, instead of pixel by pixel.
                            x = Math.Min(x, s.InWidth - 8);
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

        /// <summary>Input blocks [<paramref name="firstBlock"/>, <paramref name="endBlock"/>) and rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) of the plain copy alone, when no output block reads the blocked input.</summary>
        private static void PackPlain(ConvolutionShape s, in BlockedLayout layout, float* input, float* packed, int firstBlock, int endBlock, int firstRow, int endRow)
        {
            int block = layout.Block;
            bool vector = layout.Level != SimdLevel.Scalar;
            int right = layout.PaddedWidth - s.PadLeft - s.InWidth;
            for (int ib = firstBlock; ib < endBlock; ib++)
            {
                int channels = Math.Min(block, s.InChannels - (ib * block));
                float* planes = packed + layout.PlainStart + ((nint)ib * block * layout.PlainPlane);
                if (firstRow == 0 && endRow > 0)
                {
                    ClearPlainPadding(s, in layout, planes, channels);
                }

                for (int c = 0; c < channels; c++)
                {
                    float* source = input + ((nint)((ib * block) + c) * s.InHeight * s.InWidth);
                    float* row = planes + ((nint)c * layout.PlainPlane) + (s.PadTop * layout.PaddedWidth) + s.PadLeft;
                    for (int y = firstRow; y < endRow; y++)
                    {
                        PlainRow(source + (y * s.InWidth), row + (y * layout.PaddedWidth), s.InWidth, s.PadLeft, right, vector);
                    }
                }
            }
        }

        /// <summary>
        /// Clears the padding rows above and below <paramref name="channels"/> planes of the plain copy the tail kernel reads
        /// (<c>[in, PaddedHeight, PaddedWidth]</c>, see <see cref="BlockedLayout.TailFirstBlock"/>); <see cref="PlainRow"/> writes the rest.
        /// </summary>
        private static void ClearPlainPadding(ConvolutionShape s, in BlockedLayout layout, float* plain, int channels)
        {
            int width = layout.PaddedWidth;
            int below = layout.PaddedHeight - s.PadTop - s.InHeight;
            for (int c = 0; c < channels; c++)
            {
                float* plane = plain + ((nint)c * layout.PlainPlane);
                new Span<float>(plane, s.PadTop * width).Clear();
                new Span<float>(plane + ((s.PadTop + s.InHeight) * width), below * width).Clear();
            }
        }

        /// <summary>
        /// One row of the plain copy: <paramref name="left"/> zeros before <paramref name="target"/>, the
        /// <paramref name="width"/> floats of <paramref name="source"/>, <paramref name="right"/> zeros after (rows are short:
        /// inline loops, 8 floats at a time on the vector paths, the last 8 overlapping, instead of a call per part).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void PlainRow(float* source, float* target, int width, int left, int right, bool vector)
        {
            for (int x = 1; x <= left; x++)
            {
                target[-x] = 0f;
            }

            int i = 0;
            if (vector && width >= 8)
            {
                for (; i + 8 <= width; i += 8)
                {
                    Avx.Store(target + i, Avx.LoadVector256(source + i));
                }

                if (i < width)
                {
                    Avx.Store(target + width - 8, Avx.LoadVector256(source + width - 8));
                    i = width;
                }
            }

            for (; i < width; i++)
            {
                target[i] = source[i];
            }

            for (int x = 0; x < right; x++)
            {
                target[width + x] = 0f;
            }
        }

        /// <summary>
        /// Reads 8 pixels of each of <paramref name="rows"/> channels (stride <paramref name="lds"/>; channels past it, up
        /// to 8, read as zero) and writes pixel p's 8 channels at <c>dst + p·ldd</c>. AVX2.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Transpose8(float* src, nint lds, int rows, float* dst, nint ldd)
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
