using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Pooling
{
    /// <summary>
    /// Max pooling forward over square windows, plain <c>[C, H, W]</c> planes in and out. The maximum is separable: for
    /// each output row, first the maximum over the window's input rows (clipped to the input) for the whole row width,
    /// then the maximum along that row over each window's columns, with the stride. The row lies in a buffer whose
    /// padding and ceil-mode overhang hold −∞, the identity of the maximum, so clipped windows need no bounds.
    /// </summary>
    /// <remarks>
    /// The maximum is IEEE 754's (as <see cref="MathF.Max(float, float)"/> and PyTorch): NaN when any element is NaN, and
    /// +0 above −0. Under it the maximum does not depend on the order of the elements, so the result equals a window-by-window
    /// scan bit for bit (a NaN result is a NaN; when a window holds NaNs with different payloads, which payload survives may
    /// differ). The vector path (<see cref="Simd.Level"/> AVX2 and up: 8 floats per vector, also under AVX-512) uses
    /// <see cref="Vector256.Max{T}"/>, which has these semantics; the scalar path uses <see cref="MathF.Max(float, float)"/>.
    /// </remarks>
    public static class MaxPooling
    {
        /// <summary>Row buffers up to this many floats live on the stack; wider ones are rented.</summary>
        private const int StackRow = 1024;

        private static int Lanes => Vector256<float>.Count;

        /// <summary>
        /// output[c, oy, ox] = the maximum of input[c, iy, ix] over the window rows iy ∈ [oy·stride − padding, + size) and
        /// columns ix ∈ [ox·stride − padding, + size), clipped to the input, for every channel the spans hold.
        /// </summary>
        /// <param name="input">Whole <c>inHeight × inWidth</c> planes, one per channel.</param>
        /// <param name="output">As many <c>outHeight × outWidth</c> planes.</param>
        /// <param name="inHeight">Rows of an input plane.</param>
        /// <param name="inWidth">Columns of an input plane.</param>
        /// <param name="outHeight">Output rows: PyTorch's floor or ceil mode count; every window must start inside the input or its padding.</param>
        /// <param name="outWidth">Output columns, likewise.</param>
        /// <param name="size">The window's height and width.</param>
        /// <param name="stride">The step between windows, along both axes.</param>
        /// <param name="padding">Rows and columns of −∞ around the input, smaller than <paramref name="size"/>.</param>
        /// <exception cref="ArgumentOutOfRangeException">A size or stride is not positive, the padding is negative or not smaller than the window, or a window lies past the input.</exception>
        /// <exception cref="ArgumentException">A span's length does not fit the planes.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(ReadOnlySpan<float> input, Span<float> output, int inHeight, int inWidth, int outHeight, int outWidth, int size, int stride, int padding)
        {
            var channels = PoolingArguments.Channels(input.Length, output.Length, inHeight, inWidth, outHeight, outWidth, size, stride, padding);

            // The row buffer: padding, the input's width, and −∞ up to where the last window (of at least one vector of
            // outputs) ends, plus one vector that stride-2 loads may read past it.
            var rowLength = Math.Max(padding + inWidth, ((Math.Max(outWidth, Lanes) - 1) * stride) + size) + Lanes;
            float[]? rented = null;
            var row = rowLength <= StackRow ? stackalloc float[StackRow] : (rented = ArrayPool<float>.Shared.Rent(rowLength));
            row = row[..rowLength];
            row.Fill(float.NegativeInfinity);
            var rowMax = row.Slice(padding, inWidth);

            var vectorized = Simd.IsVectorized;
            var plane = inHeight * inWidth;
            var outPlane = outHeight * outWidth;
            for (var c = 0; c < channels; c++)
            {
                var x = input.Slice(c * plane, plane);
                var y = output.Slice(c * outPlane, outPlane);
                for (var oy = 0; oy < outHeight; oy++)
                {
                    var top = (oy * stride) - padding;
                    var first = Math.Max(top, 0);
                    var rows = x[(first * inWidth)..(Math.Min(top + size, inHeight) * inWidth)];
                    var outRow = y.Slice(oy * outWidth, outWidth);
                    if (vectorized)
                    {
                        RowsMaxVector(rows, rowMax);
                        WindowsMaxVector(row, outRow, size, stride);
                    }
                    else
                    {
                        RowsMaxScalar(rows, rowMax, 0);
                        WindowsMaxScalar(row, outRow, size, stride, 0);
                    }
                }
            }

            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }

        /// <summary>rowMax[i] = the maximum of rows[r·width + i] over the whole rows the span holds, from column <paramref name="from"/> on.</summary>
        private static void RowsMaxScalar(ReadOnlySpan<float> rows, Span<float> rowMax, int from)
        {
            var width = rowMax.Length;
            for (var i = from; i < width; i++)
            {
                var best = rows[i];
                for (var at = i + width; at < rows.Length; at += width)
                {
                    best = MathF.Max(best, rows[at]);
                }

                rowMax[i] = best;
            }
        }

        /// <summary>
        /// <see cref="RowsMaxScalar"/> 8 columns at a time; a ragged end is one more vector ending at the last column
        /// (recomputing a few columns), or scalar when the row is narrower than a vector.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void RowsMaxVector(ReadOnlySpan<float> rows, Span<float> rowMax)
        {
            var width = rowMax.Length;
            if (width < Lanes)
            {
                RowsMaxScalar(rows, rowMax, 0);
                return;
            }

            ref var x = ref MemoryMarshal.GetReference(rows);
            ref var m = ref MemoryMarshal.GetReference(rowMax);
            var length = rows.Length;
            var i = 0;
            for (; i <= width - Lanes; i += Lanes)
            {
                ColumnsMax(ref x, i, width, length).StoreUnsafe(ref m, (nuint)i);
            }

            if (i < width)
            {
                ColumnsMax(ref x, width - Lanes, width, length).StoreUnsafe(ref m, (nuint)(width - Lanes));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> ColumnsMax(ref float x, int column, int width, int length)
        {
            var best = Vector256.LoadUnsafe(ref x, (nuint)column);
            for (var at = column + width; at < length; at += width)
            {
                best = Vector256.Max(best, Vector256.LoadUnsafe(ref x, (nuint)at));
            }

            return best;
        }

        /// <summary>output[ox] = the maximum of row[ox·stride + k], k ∈ [0, size), from output <paramref name="from"/> on.</summary>
        private static void WindowsMaxScalar(ReadOnlySpan<float> row, Span<float> output, int size, int stride, int from)
        {
            for (var ox = from; ox < output.Length; ox++)
            {
                var window = row.Slice(ox * stride, size);
                var best = window[0];
                for (var k = 1; k < window.Length; k++)
                {
                    best = MathF.Max(best, window[k]);
                }

                output[ox] = best;
            }
        }

        /// <summary>
        /// <see cref="WindowsMaxScalar"/> 8 outputs at a time for strides 1 and 2 (larger strides run scalar). A ragged
        /// end is one more vector ending at the last output; a row narrower than a vector computes one vector (the row
        /// buffer holds it) and stores what the row takes.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void WindowsMaxVector(ReadOnlySpan<float> row, Span<float> output, int size, int stride)
        {
            if (stride > 2)
            {
                WindowsMaxScalar(row, output, size, stride, 0);
                return;
            }

            ref var r = ref MemoryMarshal.GetReference(row);
            var width = output.Length;
            if (width < Lanes)
            {
                var part = WindowsMax(ref r, 0, size, stride);
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Vector256<float>, float>(ref part), width).CopyTo(output);
                return;
            }

            ref var y = ref MemoryMarshal.GetReference(output);
            var ox = 0;
            for (; ox <= width - Lanes; ox += Lanes)
            {
                WindowsMax(ref r, ox, size, stride).StoreUnsafe(ref y, (nuint)ox);
            }

            if (ox < width)
            {
                WindowsMax(ref r, width - Lanes, size, stride).StoreUnsafe(ref y, (nuint)(width - Lanes));
            }
        }

        /// <summary>Outputs [ox, ox + 8) of a row, stride 1 or 2.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> WindowsMax(ref float row, int ox, int size, int stride)
        {
            if (stride == 1)
            {
                var best = Vector256.LoadUnsafe(ref row, (nuint)ox);
                for (var k = 1; k < size; k++)
                {
                    best = Vector256.Max(best, Vector256.LoadUnsafe(ref row, (nuint)(ox + k)));
                }

                return best;
            }

            // Stride 2: the even elements of 16 from 2·ox + k, for each k. The shuffle leaves them in the lane order
            // 0 1 4 5 2 3 6 7 (two 128-bit halves); the maximum keeps lanes apart, so one permute at the end restores it.
            var evens = EvenLanesShuffled(ref row, 2 * ox);
            for (var k = 1; k < size; k++)
            {
                evens = Vector256.Max(evens, EvenLanesShuffled(ref row, (2 * ox) + k));
            }

            return Avx2.Permute4x64(evens.AsDouble(), 0b11_01_10_00).AsSingle();
        }

        /// <summary>Elements at, at + 2, …, at + 14 of <paramref name="row"/>, in lane order 0 1 4 5 2 3 6 7.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> EvenLanesShuffled(ref float row, int at) =>
            Avx.Shuffle(Vector256.LoadUnsafe(ref row, (nuint)at), Vector256.LoadUnsafe(ref row, (nuint)(at + Lanes)), 0b10_00_10_00);
    }
}
