using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Pooling
{
    public static partial class MaxPooling
    {
        /// <summary>
        /// Max pooling backward: inputGradient[c, iy, ix] += outputGradient[c, oy, ox] for every output whose window's
        /// arg-max is (iy, ix) — the element PyTorch's scan picks: the first equal to output[c, oy, ox] in scan order (rows,
        /// then columns), or the last NaN when that is NaN. The forward pass's output is the maximum, so the arg-max is found
        /// again by comparing the stored input with it. Windows as in <see cref="Forward"/>.
        /// </summary>
        /// <param name="input">The forward pass's input: whole <c>inHeight × inWidth</c> planes, one per channel.</param>
        /// <param name="output">The forward pass's output for that input: as many <c>outHeight × outWidth</c> planes.</param>
        /// <param name="outputGradient">∂L/∂y, shaped as <paramref name="output"/>.</param>
        /// <param name="inputGradient">∂L/∂x, shaped as <paramref name="input"/>: the gradients are added to it (clear it first for ∂L/∂x alone).</param>
        /// <param name="inHeight">Rows of an input plane.</param>
        /// <param name="inWidth">Columns of an input plane.</param>
        /// <param name="outHeight">Output rows, as for <see cref="Forward"/>.</param>
        /// <param name="outWidth">Output columns, likewise.</param>
        /// <param name="size">The window's height and width.</param>
        /// <param name="stride">The step between windows, along both axes.</param>
        /// <param name="padding">Rows and columns around the input that no window element is taken from, smaller than <paramref name="size"/>.</param>
        /// <exception cref="ArgumentOutOfRangeException">The geometry is one <see cref="Forward"/> rejects.</exception>
        /// <exception cref="ArgumentException">A span's length does not fit the planes, or an output is no element of its window (not the forward pass's output for this input).</exception>
        /// <remarks>
        /// <para>
        /// Which element wins is data-dependent, so both paths find it without branches: scanning the window backwards and
        /// keeping each match with a select leaves the first match standing. The vector path (<see cref="Simd.Level"/> AVX2
        /// and up: 8 floats per vector, also under AVX-512) does that for 8 neighbouring outputs of a row at once, for
        /// strides 1 and 2 and outputs whose window lies within the input's columns; the columns a window clips (padding,
        /// ceil mode), larger strides, and the scalar path go output by output (2×2 windows with fixed offsets).
        /// </para>
        /// <para>
        /// The sums are the same bits on every path: each ∂L/∂x element receives its windows' ∂L/∂y in output order
        /// (PyTorch's order), and an element no window routes to keeps its bits. 2×2 windows at stride 2 (each element in
        /// at most one window) add their gradients with whole vectors (−0 where an element does not win, which leaves every
        /// value as it is); other windows add each lane's gradient to its element in lane order.
        /// </para>
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        [SkipLocalsInit] // the lane buffer is written before it is read
        public static void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient,
            int inHeight, int inWidth, int outHeight, int outWidth, int size, int stride, int padding)
        {
            var channels = PoolingArguments.Channels(input.Length, output.Length, inHeight, inWidth, outHeight, outWidth, size, stride, padding);
            if (outputGradient.Length != output.Length)
            {
                throw new ArgumentException($"The output gradient holds {outputGradient.Length} floats, the output {output.Length}.", nameof(outputGradient));
            }

            if (inputGradient.Length != input.Length)
            {
                throw new ArgumentException($"The input gradient holds {inputGradient.Length} floats, the input {input.Length}.", nameof(inputGradient));
            }

            // Outputs [inside, past) of a row have windows within the input's columns: the first starts at column 0 or
            // after, the last ends at the row's end or before.
            var inside = Math.Min((padding + stride - 1) / stride, outWidth);
            var room = inWidth + padding - size;
            var past = room < 0 ? inside : Math.Clamp((room / stride) + 1, inside, outWidth);
            var vectorized = Simd.IsVectorized && stride <= 2;
            Span<int> lanes = stackalloc int[Lanes];
            var window = new Window(input, output, outputGradient, inputGradient, inWidth, size);
            var plane = inHeight * inWidth;
            for (var c = 0; c < channels; c++)
            {
                for (var oy = 0; oy < outHeight; oy++)
                {
                    var top = (oy * stride) - padding;
                    var first = Math.Max(top, 0);
                    var rows = Math.Min(top + size, inHeight) - first;
                    var rowStart = (c * plane) + (first * inWidth);
                    var o = ((c * outHeight) + oy) * outWidth;
                    var ox = 0;
                    for (; ox < inside; ox++)
                    {
                        window.RouteOne(rowStart, rows, (ox * stride) - padding, o + ox);
                    }

                    if (vectorized)
                    {
                        ox = window.RouteBlocks(rowStart, rows, ox, past, stride, padding, o, lanes);
                    }

                    if (size == 2 && rows == 2)
                    {
                        for (; ox < past; ox++)
                        {
                            window.RouteSquare(rowStart, (ox * stride) - padding, o + ox);
                        }
                    }

                    for (; ox < outWidth; ox++)
                    {
                        window.RouteOne(rowStart, rows, (ox * stride) - padding, o + ox);
                    }
                }
            }
        }

        /// <summary>The spans of one backward call and the geometry every window shares.</summary>
        private readonly ref struct Window
        {
            private readonly ReadOnlySpan<float> _x;
            private readonly ReadOnlySpan<float> _y;
            private readonly ReadOnlySpan<float> _dy;
            private readonly Span<float> _dx;
            private readonly int _width;
            private readonly int _size;

            public Window(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int width, int size)
            {
                _x = x;
                _y = y;
                _dy = dy;
                _dx = dx;
                _width = width;
                _size = size;
            }

            /// <summary>
            /// Output <paramref name="o"/>: its window has <paramref name="rows"/> rows from <paramref name="rowStart"/> (column 0
            /// of its first row inside the input) and columns from <paramref name="left"/> (maybe in the padding), clipped.
            /// </summary>
            public void RouteOne(int rowStart, int rows, int left, int o)
            {
                var x0 = Math.Max(left, 0);
                var x1 = Math.Min(left + _size, _width);
                var end = rowStart + (rows * _width);
                var best = _y[o];
                var at = -1;

                // Scanning backwards with selects leaves the first match standing, without a branch per element.
                for (var row = end - _width; row >= rowStart; row -= _width)
                {
                    for (var i = row + x1 - 1; i >= row + x0; i--)
                    {
                        at = _x[i] == best ? i : at;
                    }
                }

                if (float.IsNaN(best))
                {
                    // A NaN maximum: PyTorch's scan keeps the last NaN.
                    for (var row = rowStart; row < end; row += _width)
                    {
                        for (var i = row + x0; i < row + x1; i++)
                        {
                            at = float.IsNaN(_x[i]) ? i : at;
                        }
                    }
                }

                if (at < 0)
                {
                    ThrowNoWindowElement(o, best);
                }

                _dx[at] += _dy[o];
            }

            /// <summary>
            /// <see cref="RouteOne"/> for a 2×2 window inside the input, its top-left element at column <paramref name="left"/>
            /// of the row from <paramref name="rowStart"/>: its four elements at fixed offsets (a NaN maximum goes the general way).
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void RouteSquare(int rowStart, int left, int o)
            {
                var at = rowStart + left;
                var best = _y[o];
                var below = at + _width;
                var arg = _x[below + 1] == best ? below + 1 : -1;
                arg = _x[below] == best ? below : arg;
                arg = _x[at + 1] == best ? at + 1 : arg;
                arg = _x[at] == best ? at : arg;
                if (arg < 0)
                {
                    RouteOne(rowStart, 2, left, o);
                    return;
                }

                _dx[arg] += _dy[o];
            }

            /// <summary>
            /// Outputs [<paramref name="ox"/>, <paramref name="past"/>) of the row starting at output <paramref name="o"/>
            /// (stride 1 or 2, windows within the columns), 8 at a time; a last block of fewer takes one vector too and
            /// routes only its own lanes. Stops where a vector would read past the spans; returns the first output not routed.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public int RouteBlocks(int rowStart, int rows, int ox, int past, int stride, int padding, int o, Span<int> lanes)
            {
                var pairs = stride == 2;
                var squares = pairs && _size == 2 && rows == 2;

                // The furthest element a block's loads (and the 2×2 path's stores) reach past its first window's top-left one.
                var reach = ((rows - 1) * _width) + _size - 1 + (pairs ? 2 * Lanes : Lanes);
                ref var x = ref MemoryMarshal.GetReference(_x);
                ref var y = ref MemoryMarshal.GetReference(_y);
                ref var dy = ref MemoryMarshal.GetReference(_dy);
                ref var dx = ref MemoryMarshal.GetReference(_dx);
                for (; ox < past; ox += Lanes)
                {
                    var count = Math.Min(Lanes, past - ox);
                    var origin = rowStart + (ox * stride) - padding;
                    if (origin + reach > _x.Length || o + ox + Lanes > _y.Length)
                    {
                        break;
                    }

                    // For stride 2 the lanes hold outputs 0 1 4 5 2 3 6 7 (as the even-lane shuffle leaves them).
                    var best = Vector256.LoadUnsafe(ref y, (nuint)(o + ox));
                    var gradient = Vector256.LoadUnsafe(ref dy, (nuint)(o + ox));
                    if (pairs)
                    {
                        best = SwapMiddleQuarters(best.AsDouble()).AsSingle();
                        gradient = SwapMiddleQuarters(gradient.AsDouble()).AsSingle();
                    }

                    if (squares && AddSquares(ref Unsafe.Add(ref x, origin), ref Unsafe.Add(ref dx, origin), best, gradient, count))
                    {
                        continue;
                    }

                    var arg = ArgMax(ref Unsafe.Add(ref x, origin), best, rows, pairs);
                    if (pairs)
                    {
                        arg = SwapMiddleQuarters(arg.AsDouble()).AsInt32();
                        gradient = SwapMiddleQuarters(gradient.AsDouble()).AsSingle();
                    }

                    CheckFound(arg, count, o + ox);
                    arg.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
                    for (var lane = 0; lane < count; lane++)
                    {
                        Unsafe.Add(ref dx, origin + (lane * stride) + lanes[lane]) += gradient.GetElement(lane);
                    }
                }

                return Math.Min(ox, past);
            }

            /// <summary>
            /// Each lane's arg-max as an offset from its window's top-left element (row · width + column): lane l's window
            /// starts at <paramref name="origin"/> + l · stride. −1 where no element matches <paramref name="best"/>.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private Vector256<int> ArgMax(ref float origin, Vector256<float> best, int rows, bool pairs)
            {
                var arg = Vector256.Create(-1);
                for (var row = (rows - 1) * _width; row >= 0; row -= _width)
                {
                    for (var k = row + _size - 1; k >= row; k--)
                    {
                        var match = Vector256.Equals(Elements(ref origin, k, pairs), best).AsInt32();
                        arg = Vector256.ConditionalSelect(match, Vector256.Create(k), arg);
                    }
                }

                if (!Vector256.EqualsAll(best, best))
                {
                    // A NaN maximum: PyTorch's scan keeps the last NaN.
                    var nan = Vector256.OnesComplement(Vector256.Equals(best, best));
                    for (var row = 0; row < rows * _width; row += _width)
                    {
                        for (var k = row; k < row + _size; k++)
                        {
                            var v = Elements(ref origin, k, pairs);
                            var match = (Vector256.OnesComplement(Vector256.Equals(v, v)) & nan).AsInt32();
                            arg = Vector256.ConditionalSelect(match, Vector256.Create(k), arg);
                        }
                    }
                }

                return arg;
            }

            /// <summary>
            /// 2×2 windows at stride 2, both rows inside the input, the first <paramref name="count"/> lanes (in order
            /// 0 1 4 5 2 3 6 7) from <paramref name="x"/>: each window row covers 16 consecutive elements, each lane's pair
            /// in turn, and the first match in scan order wins. Each lane's gradient is added to the element it won, −0
            /// (which changes no value) to the other — and to the elements past the last lane's window, which belong to
            /// windows before or after in this call's span (whole 16-element stores measured faster than stopping at the
            /// last window: 7.5 against 9.0–9.3 µs on LeNet-5's first pool). Returns false, adding nothing, when a lane's
            /// maximum is NaN or matches no element: the general path sorts those out.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private bool AddSquares(ref float x, ref float dx, Vector256<float> best, Vector256<float> gradient, int count)
            {
                // Lanes past count compare with NaN: they match nothing.
                var valid = Vector256.LessThan(Vector256.Create(0, 1, 4, 5, 2, 3, 6, 7), Vector256.Create(count)).AsSingle();
                best = Vector256.ConditionalSelect(valid, best, Vector256.Create(float.NaN));
                var (topLeft, topRight) = Pairs(ref x, best);
                var (bottomLeft, bottomRight) = Pairs(ref Unsafe.Add(ref x, _width), best);
                var found = topLeft | topRight | bottomLeft | bottomRight | Vector256.OnesComplement(valid);
                if (!Vector256.EqualsAll(found.AsInt32(), Vector256<int>.AllBitsSet))
                {
                    return false;
                }

                var taken = topLeft | topRight;
                var bottomLeftWins = Vector256.AndNot(bottomLeft, taken);
                AddRow(ref dx, topLeft, Vector256.AndNot(topRight, topLeft), gradient);
                AddRow(ref Unsafe.Add(ref dx, _width), bottomLeftWins, Vector256.AndNot(bottomRight, taken | bottomLeft), gradient);
                return true;
            }

            /// <summary>Which of the 8 windows' left and right elements in this row equal <paramref name="best"/> (lane order 0 1 4 5 2 3 6 7).</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private static (Vector256<float> Left, Vector256<float> Right) Pairs(ref float row, Vector256<float> best)
            {
                var low = Vector256.LoadUnsafe(ref row);
                var high = Vector256.LoadUnsafe(ref row, (nuint)Lanes);
                return (Vector256.Equals(Avx.Shuffle(low, high, 0b10_00_10_00), best), Vector256.Equals(Avx.Shuffle(low, high, 0b11_01_11_01), best));
            }

            /// <summary>Adds each lane's gradient to its window's left or right element of this row, as the masks say (−0 elsewhere).</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private static void AddRow(ref float row, Vector256<float> left, Vector256<float> right, Vector256<float> gradient)
            {
                var none = Vector256.Create(-0f);
                var l = Vector256.ConditionalSelect(left, gradient, none);
                var r = Vector256.ConditionalSelect(right, gradient, none);

                // Unpacking interleaves within 128-bit halves; the lanes' order 0 1 4 5 2 3 6 7 makes that elements 0–15 in order.
                (Vector256.LoadUnsafe(ref row) + Avx.UnpackLow(l, r)).StoreUnsafe(ref row);
                (Vector256.LoadUnsafe(ref row, (nuint)Lanes) + Avx.UnpackHigh(l, r)).StoreUnsafe(ref row, (nuint)Lanes);
            }

            /// <summary>Throws unless the first <paramref name="count"/> lanes (outputs from <paramref name="o"/>, in order) each found their element.</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private void CheckFound(Vector256<int> arg, int count, int o)
            {
                var missing = (int)arg.ExtractMostSignificantBits() & ((1 << count) - 1);
                if (missing != 0)
                {
                    var first = o + System.Numerics.BitOperations.TrailingZeroCount(missing);
                    ThrowNoWindowElement(first, _y[first]);
                }
            }

            /// <summary>Element k of each lane's window: 8 in a row (stride 1), or every other of 16 in lane order 0 1 4 5 2 3 6 7 (stride 2).</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private static Vector256<float> Elements(ref float origin, int k, bool pairs) =>
                pairs ? EvenLanesShuffled(ref origin, k) : Vector256.LoadUnsafe(ref origin, (nuint)k);
        }

        /// <summary>Swaps the second and third 64-bit quarters: lane order 0 1 2 3 4 5 6 7 to 0 1 4 5 2 3 6 7 and back.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> SwapMiddleQuarters(Vector256<double> v) => Avx2.Permute4x64(v, 0b11_01_10_00);

        [DoesNotReturn]
        private static void ThrowNoWindowElement(int o, float value) =>
            throw new ArgumentException(
                $"output[{o}] = {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is no element of its window: the output must be the forward pass's for this input.",
                "output");
    }
}
