using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Pooling
{
    /// <summary>
    /// Max pooling over square windows, plain <c>[C, H, W]</c> planes in and out: the forward here, the backward in
    /// MaxPooling.Backward.cs. The forward's maximum is separable: for
    /// each output row, first the maximum over the window's input rows (clipped to the input) for the whole row width,
    /// then the maximum along that row over each window's columns, with the stride. The row lies in a buffer whose
    /// padding and ceil-mode overhang hold −∞, the identity of the maximum, so clipped windows need no bounds. A band of
    /// rows is reduced vertically before any of them horizontally: the horizontal loads straddle the vertical stores, and
    /// reading them back at once would stall on store forwarding. 3×3 windows at stride 1 and padding 1 (GoogLeNet's
    /// inception branches) on planes of 8 elements and more take their own path on the vector levels: see
    /// <see cref="Same3x3"/>.
    /// </summary>
    /// <remarks>
    /// The maximum is IEEE 754's (as <see cref="MathF.Max(float, float)"/> and PyTorch): NaN when any element is NaN, and
    /// +0 above −0. Under it the maximum does not depend on the order of the elements, so the result equals a window-by-window
    /// scan bit for bit (a NaN result is a NaN; when a window holds NaNs with different payloads, which payload survives may
    /// differ). The vector path (<see cref="Simd.Level"/> AVX2 and up: 8 floats per vector, also under AVX-512) uses
    /// <see cref="Maximum"/>, which has these semantics in five instructions (a NaN result is the NaN of all bits set);
    /// the scalar path uses <see cref="MathF.Max(float, float)"/>. The 3×3 stride-1 path takes the integer maximum of
    /// keys (<see cref="Key(Vector256{int})"/>), one instruction with these semantics (a NaN result is one of the window's
    /// NaNs, the same one whatever the order).
    /// <para>
    /// The 3×3 stride-1 path, measured on the double-pumped Zen 4 EPYC against the kernel before it (which the other
    /// geometries still run), one core, thread CPU time, best of alternating rounds, load average 3–5 from another agent's
    /// work: <c>taskset -c 0 dotnet bench/ConvGen.Benchmarks/bin/Release/net10.0/ConvGen.Benchmarks.dll --pool 5</c> (data
    /// in the caches) and <c>--pool 3 cold</c> (in main memory) at commit af6f39b, the last whose table has the kernel
    /// before as a column, µs per call, AVX2 (AVX-512 the same within 5%):
    /// </para>
    /// <list type="table">
    /// <listheader><term>GoogLeNet pool</term><description>cached: before → after; main memory: before → after</description></listheader>
    /// <item><term>3a, 192×28×28</term><description>78 → 48; 81 → 65</description></item>
    /// <item><term>3b, 256×28×28</term><description>104 → 65; 107 → 90</description></item>
    /// <item><term>4a, 480×14×14</term><description>62 → 29; 65 → 35</description></item>
    /// <item><term>4b–4d, 512×14×14</term><description>67 → 31; 69 → 36</description></item>
    /// <item><term>4e, 528×14×14</term><description>69 → 33; 71 → 37</description></item>
    /// <item><term>5a, 5b, 832×7×7</term><description>40 → 14; 41 → 16</description></item>
    /// </list>
    /// <para>
    /// Inside GoogLeNet (<c>taskset -c 0 dotnet bench/ConvGen.SideBySide/bin/Release/net10.0/ConvGen.SideBySide.dll
    /// --layers googlenet_infer_b1 --threads 1</c>, five runs alternating with a build of the commit before, load average
    /// 2.5–4.5, each pool's best step time as a local edit of its LayerTimes printed them): the nine 3×3 stride-1 pools took
    /// 478 µs instead of 737; the 13 pools' total, noisier, 0.90–1.67 ms instead of 1.30–1.87 (ONNX Runtime's 0.58–0.99 in
    /// the same runs). The other pools (GoogLeNet's four at stride 2: 128, 114, 90 and 42 µs cached) stay on the kernel
    /// before: keys for every geometry, as three passes (keys, rows' maximum, windows' maximum), took 206 µs on the first
    /// and 168 on the second against 128 and 113 (<c>--pool 5</c>, load average 9–12) — each input is read only 1 to 1.5
    /// times there, too few for its key to pay.
    /// </para>
    /// </remarks>
    public static partial class MaxPooling
    {
        /// <summary>The band of row buffers: as many rows as fit in this many floats (at least one), on the stack; a wider row is rented.</summary>
        private const int BandFloats = 2048;

        private static int Lanes => Vector256<float>.Count;

        /// <summary>
        /// The keys of a group of planes on the 3×3 stride-1 path: as many planes as fit in this many keys (at least one).
        /// Larger groups read the input in longer bursts with longer pauses, which an input in main memory pays for: with
        /// 4096 instead, <c>--pool 3 cold</c> (see <see cref="MaxPooling"/>'s remarks) took 120 µs instead of 65 on 192
        /// planes of 28×28, 59 instead of 35 on 480 of 14×14, 24 instead of 16 on 832 of 7×7.
        /// </summary>
        private const int GroupKeys = 1024;

        /// <summary>The key of −∞, below every other key: the padding's.</summary>
        private const int NegativeInfinityKey = int.MinValue;

        /// <summary>What <see cref="Key(Vector256{int})"/> subtracts: it moves the negative NaNs above every other key.</summary>
        private const int KeyShift = 0x7FFFFF;

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
        [SkipLocalsInit] // the row buffers are filled with −∞ before use
        public static void Forward(ReadOnlySpan<float> input, Span<float> output, int inHeight, int inWidth, int outHeight, int outWidth, int size, int stride, int padding)
        {
            var channels = PoolingArguments.Channels(input.Length, output.Length, inHeight, inWidth, outHeight, outWidth, size, stride, padding);
            if (Simd.IsVectorized && size == 3 && stride == 1 && padding == 1 && outHeight == inHeight && outWidth == inWidth && inHeight * inWidth >= Lanes)
            {
                Same3x3(input, output, channels, inHeight, inWidth);
                return;
            }

            // A row buffer: padding, the input's width (at least one vector's worth), and −∞ up to where the last window
            // (of at least one vector of outputs) ends, plus one vector that stride-2 loads read past it.
            var rowLength = Math.Max(padding + Math.Max(inWidth, Lanes), ((Math.Max(outWidth, Lanes) - 1) * stride) + size) + Lanes;
            var band = Math.Clamp(BandFloats / rowLength, 1, outHeight);
            float[]? rented = null;
            var rows = rowLength <= BandFloats ? stackalloc float[BandFloats] : (rented = ArrayPool<float>.Shared.Rent(rowLength));
            rows = rows[..(band * rowLength)];
            rows.Fill(float.NegativeInfinity);

            var vectorized = Simd.IsVectorized;
            var plane = inHeight * inWidth;
            for (var c = 0; c < channels; c++)
            {
                for (var oy0 = 0; oy0 < outHeight; oy0 += band)
                {
                    var count = Math.Min(band, outHeight - oy0);
                    for (var b = 0; b < count; b++)
                    {
                        var top = ((oy0 + b) * stride) - padding;
                        var first = Math.Max(top, 0);
                        var from = (c * plane) + (first * inWidth);
                        var taken = Math.Min(top + size, inHeight) - first;
                        var row = rows.Slice(b * rowLength, rowLength);
                        if (vectorized)
                        {
                            RowsMaxVector(input, from, taken, row, padding, inWidth);
                        }
                        else
                        {
                            RowsMaxScalar(input, from, taken, row.Slice(padding, inWidth));
                        }
                    }

                    for (var b = 0; b < count; b++)
                    {
                        var row = rows.Slice(b * rowLength, rowLength);
                        var to = ((c * outHeight) + oy0 + b) * outWidth;
                        if (vectorized)
                        {
                            WindowsMaxVector(row, output, to, outWidth, size, stride);
                        }
                        else
                        {
                            WindowsMaxScalar(row, output.Slice(to, outWidth), size, stride);
                        }
                    }
                }
            }

            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }

        /// <summary>
        /// <see cref="Forward"/> for 3×3 windows at stride 1 and padding 1 (the output the size of the input), vectorized,
        /// a group of planes at a time. First the keys (<see cref="Key(Vector256{int})"/>) of the group's planes go into a
        /// buffer, the planes one row apart with a row of the key of −∞ between them and before the first. Then the planes
        /// are swept in strips of 8 columns (the last ending at the last column; a plane narrower than a vector takes one
        /// strip that runs on into the next rows) down every row: each new row's maximum over the strip's columns − 1, + 0
        /// and + 1 is taken once (<see cref="Across"/>, the lanes of the plane's first and last columns masking their outside
        /// neighbour with the strip's masks, held in registers), and each output row is the maximum of three of them, the
        /// two before kept in registers.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Same3x3(ReadOnlySpan<float> input, Span<float> output, int channels, int height, int width)
        {
            var plane = height * width;
            var planeRows = height + 1;
            var planeKeys = planeRows * width;
            var group = Math.Clamp(GroupKeys / planeKeys, 1, channels);

            // The keys from Lanes on (a strip's column − 1 of the first row), the rows of −∞ before and after each plane,
            // and a vector past the last row (the strip's column + 1 of its last lane).
            var keysLength = Lanes + ((group * planeKeys) + width) + (2 * Lanes);
            var rented = ArrayPool<int>.Shared.Rent(keysLength);
            var keys = rented.AsSpan(0, keysLength);
            keys.Fill(NegativeInfinityKey);

            ref var x = ref MemoryMarshal.GetReference(input);
            ref var y = ref MemoryMarshal.GetReference(output);
            ref var k = ref Unsafe.Add(ref MemoryMarshal.GetReference(keys), Lanes);
            var lastStart = plane - Lanes;
            var lastStrip = Math.Max(width - Lanes, 0);
            Span<int> masks = stackalloc int[2 * Lanes];
            Span<float> tail = stackalloc float[2 * Lanes]; // the rows from whole on: at most Lanes / width, less one row, and a vector
            for (var c0 = 0; c0 < channels; c0 += group)
            {
                var planes = Math.Min(group, channels - c0);
                for (var g = 0; g < planes; g++)
                {
                    ref var from = ref Unsafe.Add(ref x, (c0 + g) * plane);
                    ref var to = ref Unsafe.Add(ref k, width + (g * planeKeys));
                    for (var i = 0; i < lastStart; i += Lanes)
                    {
                        Key(Vector256.LoadUnsafe(ref from, (nuint)i).AsInt32()).StoreUnsafe(ref to, (nuint)i);
                    }

                    Key(Vector256.LoadUnsafe(ref from, (nuint)lastStart).AsInt32()).StoreUnsafe(ref to, (nuint)lastStart);
                }

                for (var j = 0; ; j = Math.Min(j + Lanes, lastStrip))
                {
                    // The strip's lanes in the plane's first column lose their left neighbour, those in its last their right.
                    for (var lane = 0; lane < Lanes; lane++)
                    {
                        var column = (j + lane) % width;
                        masks[lane] = column == 0 ? NegativeInfinityKey : int.MaxValue;
                        masks[Lanes + lane] = column == width - 1 ? NegativeInfinityKey : int.MaxValue;
                    }

                    var left = Vector256.Create<int>(masks[..Lanes]);
                    var right = Vector256.Create<int>(masks[Lanes..]);
                    for (var g = 0; g < planes; g++)
                    {
                        // A strip wider than the plane's rows runs on into the rows after: the rows whose vector would
                        // run past the output (the last plane's last few) go through a buffer instead.
                        ref var row = ref Unsafe.Add(ref k, (g * planeKeys) + j);
                        var to = ((c0 + g) * plane) + j;
                        var whole = to + plane + Lanes - width <= output.Length ? height : (output.Length - Lanes - to + width) / width;
                        var above = Across(ref row, left, right);
                        row = ref Unsafe.Add(ref row, width);
                        var middle = Across(ref row, left, right);
                        scoped ref var o = ref Unsafe.Add(ref y, to);
                        for (var r = 0; r < height; r++)
                        {
                            row = ref Unsafe.Add(ref row, width);
                            var below = Across(ref row, left, right);
                            if (r == whole)
                            {
                                o = ref MemoryMarshal.GetReference(tail);
                            }

                            Value(Vector256.Max(Vector256.Max(above, middle), below)).StoreUnsafe(ref o);
                            o = ref Unsafe.Add(ref o, width);
                            (above, middle) = (middle, below);
                        }

                        if (whole < height)
                        {
                            tail[..((height - whole) * width)].CopyTo(output.Slice(to + (whole * width)));
                        }
                    }

                    if (j == lastStrip)
                    {
                        break;
                    }
                }
            }

            ArrayPool<int>.Shared.Return(rented);
        }

        /// <summary>
        /// The maximum of the 8 keys of a row of a strip at its columns − 1, + 0 and + 1, the left and right neighbours
        /// masked by <paramref name="left"/> and <paramref name="right"/> (int.MaxValue keeps, the key of −∞ drops).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<int> Across(ref int row, Vector256<int> left, Vector256<int> right) =>
            Vector256.Max(
                Vector256.Max(Vector256.Min(Vector256.LoadUnsafe(ref Unsafe.Subtract(ref row, 1)), left), Vector256.LoadUnsafe(ref row)),
                Vector256.Min(Vector256.LoadUnsafe(ref Unsafe.Add(ref row, 1)), right));

        /// <summary>
        /// The key of 8 floats' bits: an integer whose signed order is the maximum's order of the floats — the bits with
        /// all but the sign flipped when negative, minus <see cref="KeyShift"/> (wrapping). Signed order of keys: −∞
        /// (int.MinValue), the negative floats, −0, +0, the positive floats, +∞, the positive NaNs, the negative NaNs.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<int> Key(Vector256<int> bits) =>
            (bits ^ Vector256.ShiftRightLogical(Vector256.ShiftRightArithmetic(bits, 31), 1)) - Vector256.Create(KeyShift);

        /// <summary>The floats of 8 keys: the inverse of <see cref="Key(Vector256{int})"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Value(Vector256<int> key)
        {
            var shifted = key + Vector256.Create(KeyShift);
            return (shifted ^ Vector256.ShiftRightLogical(Vector256.ShiftRightArithmetic(shifted, 31), 1)).AsSingle();
        }

        /// <summary>rowMax[i] = the maximum of input[from + r·width + i] over the window's <paramref name="rows"/> rows, width = rowMax's length.</summary>
        private static void RowsMaxScalar(ReadOnlySpan<float> input, int from, int rows, Span<float> rowMax)
        {
            var width = rowMax.Length;
            var end = from + (rows * width);
            for (var i = 0; i < width; i++)
            {
                var best = input[from + i];
                for (var at = from + i + width; at < end; at += width)
                {
                    best = MathF.Max(best, input[at]);
                }

                rowMax[i] = best;
            }
        }

        /// <summary>
        /// <see cref="RowsMaxScalar"/> into row[padding, padding + width), 8 columns at a time. A ragged end is one more
        /// vector ending at the last column (recomputing a few). A row narrower than a vector takes one vector that runs
        /// on into the next input row (when the input span holds it) and stores −∞ in the lanes past the row.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void RowsMaxVector(ReadOnlySpan<float> input, int from, int rows, Span<float> row, int padding, int width)
        {
            ref var x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), from);
            ref var m = ref Unsafe.Add(ref MemoryMarshal.GetReference(row), padding);
            var last = (rows - 1) * width;
            if (width < Lanes)
            {
                if (from + last + Lanes > input.Length)
                {
                    RowsMaxScalar(input, from, rows, row.Slice(padding, width));
                    return;
                }

                var inside = Vector256.LessThan(Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f), Vector256.Create((float)width));
                Vector256.ConditionalSelect(inside, ColumnsMax(ref x, 0, width, last), Vector256.Create(float.NegativeInfinity)).StoreUnsafe(ref m);
                return;
            }

            var i = 0;
            for (; i <= width - Lanes; i += Lanes)
            {
                ColumnsMax(ref x, i, width, last).StoreUnsafe(ref m, (nuint)i);
            }

            if (i < width)
            {
                ColumnsMax(ref x, width - Lanes, width, last).StoreUnsafe(ref m, (nuint)(width - Lanes));
            }
        }

        /// <summary>The maximum of the 8 columns from <paramref name="column"/> over the rows at offsets 0, width, …, last.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> ColumnsMax(ref float x, int column, int width, int last)
        {
            var best = Vector256.LoadUnsafe(ref x, (nuint)column);
            for (var at = width; at <= last; at += width)
            {
                best = Maximum(best, Vector256.LoadUnsafe(ref x, (nuint)(column + at)));
            }

            return best;
        }

        /// <summary>output[ox] = the maximum of row[ox·stride + k], k ∈ [0, size).</summary>
        private static void WindowsMaxScalar(ReadOnlySpan<float> row, Span<float> output, int size, int stride)
        {
            for (var ox = 0; ox < output.Length; ox++)
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
        /// <see cref="WindowsMaxScalar"/> into output[to, to + width), 8 outputs at a time for strides 1 and 2 (larger
        /// strides run scalar). A ragged end is one more vector ending at the last output. A row narrower than a vector
        /// takes one vector (the row buffer holds its windows) and stores it whole when the output span goes on (the
        /// lanes past the row land on outputs written later), else only the row's part.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void WindowsMaxVector(ReadOnlySpan<float> row, Span<float> output, int to, int width, int size, int stride)
        {
            if (stride > 2)
            {
                WindowsMaxScalar(row, output.Slice(to, width), size, stride);
                return;
            }

            ref var r = ref MemoryMarshal.GetReference(row);
            ref var y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), to);
            if (width < Lanes)
            {
                var part = WindowsMax(ref r, 0, size, stride);
                if (to + Lanes <= output.Length)
                {
                    part.StoreUnsafe(ref y);
                }
                else
                {
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Vector256<float>, float>(ref part), width).CopyTo(output.Slice(to, width));
                }

                return;
            }

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
                    best = Maximum(best, Vector256.LoadUnsafe(ref row, (nuint)(ox + k)));
                }

                return best;
            }

            // Stride 2: the even elements of 16 from 2·ox + k, for each k. The shuffle leaves them in the lane order
            // 0 1 4 5 2 3 6 7 (two 128-bit halves); the maximum keeps lanes apart, so one permute at the end restores it.
            var evens = EvenLanesShuffled(ref row, 2 * ox);
            for (var k = 1; k < size; k++)
            {
                evens = Maximum(evens, EvenLanesShuffled(ref row, (2 * ox) + k));
            }

            return Avx2.Permute4x64(evens.AsDouble(), 0b11_01_10_00).AsSingle();
        }

        /// <summary>
        /// IEEE 754's maximum of each lane (NaN when either is NaN, +0 above −0), in five single-µop instructions where
        /// <see cref="Vector256.Max{T}"/> takes nine on AVX2. <c>vmaxps</c> returns its second operand when the two are
        /// equal or unordered, so taking it both ways round gives the larger twice when they differ, and a and b when
        /// they compare equal — whose AND is a itself, or +0 for a +0 and a −0. Any NaN then sets every bit.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Maximum(Vector256<float> a, Vector256<float> b)
        {
            var larger = Avx.Max(a, b);
            var other = Avx.Max(b, a);
            var unordered = Avx.Compare(a, b, FloatComparisonMode.UnorderedNonSignaling);
            return Avx.Or(Avx.And(larger, other), unordered);
        }

        /// <summary>Elements at, at + 2, …, at + 14 of <paramref name="row"/>, in lane order 0 1 4 5 2 3 6 7.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> EvenLanesShuffled(ref float row, int at) =>
            Avx.Shuffle(Vector256.LoadUnsafe(ref row, (nuint)at), Vector256.LoadUnsafe(ref row, (nuint)(at + Lanes)), 0b10_00_10_00);
    }
}
