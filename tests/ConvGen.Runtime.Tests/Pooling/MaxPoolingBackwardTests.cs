using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Pooling;

namespace ConvGen.Runtime.Tests.Pooling
{
    /// <summary>
    /// Max-pool backward against PyTorch's scan (<see cref="MaxPoolingReference.Backward"/>), bit for bit, on every SIMD path
    /// this CPU runs: the arg-max is the first maximum in scan order or the last NaN, and each ∂L/∂x element sums its
    /// gradients in output order onto what it held.
    /// </summary>
    [Collection("Simd")]
    public class MaxPoolingBackwardTests
    {
        public static IEnumerable<object[]> Levels() => MaxPoolingTests.Levels();

        /// <summary>Planes from 1×1 up, widths on and off multiples of 8 and 16, below one vector and with several vectors per row.</summary>
        private static readonly (int Height, int Width)[] Planes =
        {
            (1, 1), (2, 2), (3, 3), (2, 5), (7, 7), (5, 8), (6, 9), (10, 10), (9, 15), (4, 16), (8, 17), (14, 14), (5, 28), (3, 40),
        };

        /// <summary>
        /// Every window size 1–5, stride 1–3, padding 0 to size/2, floor and ceil output counts, on every plane the window
        /// fits; values at random with NaN, ±∞ and ±0 sprinkled in, or from {−1, 0, 1} so windows tie; ∂L/∂x cleared or
        /// holding values (−0 among them) that the gradients add to.
        /// </summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void MatchesTheReferenceOnEveryGeometry(SimdLevel level)
        {
            var rng = new Random(31);
            var cases = 0;
            foreach (var (height, width) in Planes)
            for (var size = 1; size <= 5; size++)
            for (var stride = 1; stride <= 3; stride++)
            for (var padding = 0; padding <= size / 2; padding++)
            foreach (var ceil in new[] { false, true })
            {
                if (height + (2 * padding) < size || width + (2 * padding) < size) continue;
                var ties = cases % 2 == 1;
                Check(level, rng, 3, height, width, size, stride, padding, ceil, ties ? Ties : Values, accumulate: cases % 3 == 0);
                cases++;
            }

            Assert.True(cases > 500, $"only {cases} geometries ran");
        }

        /// <summary>The LeNet-5, GoogLeNet and ResNet-18 pools, at full size: many vector blocks per row and per plane.</summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void MatchesTheReferenceOnNetworkPools(SimdLevel level)
        {
            var rng = new Random(7);
            foreach (var (channels, inSize, size, stride, padding, ceil) in new[]
            {
                (4, 28, 2, 2, 0, false), (6, 10, 2, 2, 0, false), (3, 112, 3, 2, 0, true), (3, 56, 3, 2, 1, false), (4, 28, 3, 1, 1, false), (5, 14, 2, 2, 0, true),
            })
            {
                Check(level, rng, channels, inSize, inSize, size, stride, padding, ceil, Values, accumulate: false);
                Check(level, rng, channels, inSize, inSize, size, stride, padding, ceil, Ties, accumulate: true);
            }
        }

        /// <summary>One NaN, or two, anywhere in a plane: each window holding NaNs routes to its last NaN, every other to its first maximum.</summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void ANaNMaximumRoutesToTheLastNaN(SimdLevel level)
        {
            foreach (var (size, stride, padding) in new[] { (3, 1, 1), (3, 2, 1), (2, 2, 0), (3, 2, 0), (2, 1, 0) })
            foreach (var (height, width) in new[] { (5, 21), (4, 6), (3, 37) })
            for (var at = 0; at < height * width; at += 2)
            {
                var input = Enumerable.Range(0, height * width).Select(i => (float)Math.Round(Math.Sin(i), 1)).ToArray();
                input[at] = float.NaN;
                input[(at * 7) % input.Length] = float.NaN;
                var (outHeight, outWidth) = (MaxPoolingReference.OutSize(height, size, stride, padding, true), MaxPoolingReference.OutSize(width, size, stride, padding, true));
                var output = MaxPoolingReference.Forward(input, 1, height, width, outHeight, outWidth, size, stride, padding);
                var dy = Enumerable.Range(1, output.Length).Select(i => (float)i).ToArray();
                var dx = new float[input.Length];

                WithLevel(level, () => MaxPooling.Backward(input, output, dy, dx, height, width, outHeight, outWidth, size, stride, padding));

                var expected = MaxPoolingReference.Backward(input, dy, new float[input.Length], 1, height, width, outHeight, outWidth, size, stride, padding);
                MaxPoolingReference.AssertIdentical(expected, dx, $"{level}: NaN at {at} of {height}×{width}, window {size}, stride {stride}, padding {padding}");
            }
        }

        /// <summary>
        /// ±0 and ±∞ only: −0 and +0 tie (the first wins, though the maximum is +0), a window of −∞ routes to its first
        /// element (the padding is no element), and an element no window picks keeps its −0.
        /// </summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void SignedZerosAndInfinities(SimdLevel level)
        {
            const int height = 4, width = 19;
            var rng = new Random(5);
            var picks = new[] { 0f, -0f, float.NegativeInfinity, float.PositiveInfinity };
            foreach (var (size, stride, padding) in new[] { (3, 1, 1), (3, 2, 1), (2, 1, 0), (2, 2, 0), (5, 3, 2) })
            for (var trial = 0; trial < 20; trial++)
            {
                var take = trial < 10 ? 2 : 4;
                Check(level, rng, 1, height, width, size, stride, padding, ceil: false, (r, n) => Enumerable.Range(0, n).Select(_ => picks[r.Next(take)]).ToArray(), accumulate: true);
            }

            // −0 then +0 in each 2×2 window: the maximum is +0, the gradient goes to the −0 before it.
            var zeros = new[] { -0f, 0f, 0f, -0f, -0f, 0f, 0f, -0f };
            var dx = new float[8];
            WithLevel(level, () => MaxPooling.Backward(zeros, new[] { 0f, 0f }, new[] { 2f, 3f }, dx, 2, 4, 1, 2, size: 2, stride: 2, padding: 0));
            Assert.Equal(new[] { 2f, 0, 3, 0, 0, 0, 0, 0 }, dx);
        }

        /// <summary>Spans cut from larger arrays (a step's channel range): nothing outside ∂L/∂x's span changes, nothing outside the others is read.</summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void StaysInsideItsSpans(SimdLevel level)
        {
            foreach (var (height, width, size, stride, padding) in new[] { (7, 7, 3, 1, 1), (14, 14, 2, 2, 0), (10, 10, 2, 2, 0), (12, 17, 3, 2, 1), (3, 9, 3, 1, 1), (4, 16, 2, 1, 0) })
            {
                const int channels = 5, first = 1, count = 3;
                var outHeight = MaxPoolingReference.OutSize(height, size, stride, padding, ceil: true);
                var outWidth = MaxPoolingReference.OutSize(width, size, stride, padding, ceil: true);
                var (plane, outPlane) = (height * width, outHeight * outWidth);
                var input = Values(new Random(height + width), channels * plane);
                var output = new float[channels * outPlane];
                MaxPooling.Forward(input, output, height, width, outHeight, outWidth, size, stride, padding);

                // Outside the range: huge inputs and outputs that, read by mistake, would match; NaN gradients that would spread.
                foreach (var (array, length) in new[] { (input, plane), (output, outPlane) })
                {
                    array.AsSpan(0, first * length).Fill(1e30f);
                    array.AsSpan((first + count) * length).Fill(1e30f);
                }

                var dy = Enumerable.Range(0, channels * outPlane).Select(i => i < first * outPlane || i >= (first + count) * outPlane ? float.NaN : i).ToArray();
                var dx = Enumerable.Repeat(-7f, channels * plane).ToArray();

                WithLevel(level, () => MaxPooling.Backward(
                    input.AsSpan(first * plane, count * plane), output.AsSpan(first * outPlane, count * outPlane),
                    dy.AsSpan(first * outPlane, count * outPlane), dx.AsSpan(first * plane, count * plane),
                    height, width, outHeight, outWidth, size, stride, padding));

                var expected = MaxPoolingReference.Backward(input[(first * plane)..((first + count) * plane)], dy[(first * outPlane)..((first + count) * outPlane)],
                    Enumerable.Repeat(-7f, count * plane).ToArray(), count, height, width, outHeight, outWidth, size, stride, padding);
                MaxPoolingReference.AssertIdentical(expected, dx.AsSpan(first * plane, count * plane), $"{level}: {height}×{width}, window {size}, stride {stride}");
                Assert.All(dx.Take(first * plane).Concat(dx.Skip((first + count) * plane)), v => Assert.Equal(-7f, v));
            }
        }

        /// <summary>An output that is no element of its window (not the forward pass's for this input) is named, on every path.</summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void RejectsAnOutputThatIsNoElementOfItsWindow(SimdLevel level)
        {
            foreach (var (width, at) in new[] { (32, 11), (32, 15), (10, 3), (32, 0) })
            {
                var input = Enumerable.Range(0, 2 * width).Select(i => (float)i).ToArray();
                var output = new float[width / 2];
                MaxPooling.Forward(input, output, 2, width, 1, width / 2, size: 2, stride: 2, padding: 0);
                output[at] = 0.5f;
                var dx = new float[input.Length];

                var error = Assert.Throws<ArgumentException>(() => WithLevel(level,
                    () => MaxPooling.Backward(input, output, new float[output.Length], dx, 2, width, 1, width / 2, size: 2, stride: 2, padding: 0)));
                Assert.Equal("output", error.ParamName);
                Assert.Contains($"output[{at}] = 0.5 is no element of its window", error.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void RejectsGradientSpansThatDoNotFit()
        {
            var (x, y) = (new float[3 * 16], new float[3 * 4]);
            var dy = Assert.Throws<ArgumentException>(() => MaxPooling.Backward(x, y, new float[(3 * 4) - 1], new float[3 * 16], 4, 4, 2, 2, size: 2, stride: 2, padding: 0));
            Assert.Equal("outputGradient", dy.ParamName);
            Assert.Contains("holds 11 floats, the output 12", dy.Message, StringComparison.Ordinal);

            var dx = Assert.Throws<ArgumentException>(() => MaxPooling.Backward(x, y, new float[3 * 4], new float[(3 * 16) + 1], 4, 4, 2, 2, size: 2, stride: 2, padding: 0));
            Assert.Equal("inputGradient", dx.ParamName);
            Assert.Contains("holds 49 floats, the input 48", dx.Message, StringComparison.Ordinal);

            var geometry = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => MaxPooling.Backward(x, y, new float[3 * 4], new float[3 * 16], 4, 4, 2, 2, size: 2, stride: 2, padding: 2));
            Assert.Equal("padding", geometry.ParamName);
        }

        /// <summary>
        /// Runs the forward pass for the input, then the backward on every SIMD path against the reference: random
        /// gradients, ∂L/∂x cleared or holding values (some −0) when <paramref name="accumulate"/>.
        /// </summary>
        private static void Check(SimdLevel level, Random rng, int channels, int height, int width, int size, int stride, int padding, bool ceil, Func<Random, int, float[]> values, bool accumulate)
        {
            var outHeight = MaxPoolingReference.OutSize(height, size, stride, padding, ceil);
            var outWidth = MaxPoolingReference.OutSize(width, size, stride, padding, ceil);
            var input = values(rng, channels * height * width);
            var output = MaxPoolingReference.Forward(input, channels, height, width, outHeight, outWidth, size, stride, padding);
            var dy = Values(rng, output.Length, special: 0);
            var initial = accumulate ? Values(rng, input.Length, special: 0).Select(v => v > 0.5f ? -0f : v).ToArray() : new float[input.Length];
            var dx = (float[])initial.Clone();

            WithLevel(level, () => MaxPooling.Backward(input, output, dy, dx, height, width, outHeight, outWidth, size, stride, padding));

            MaxPoolingReference.AssertIdentical(
                MaxPoolingReference.Backward(input, dy, initial, channels, height, width, outHeight, outWidth, size, stride, padding), dx,
                $"{level}: {channels}×{height}×{width}, window {size}, stride {stride}, padding {padding}{(ceil ? ", ceil" : string.Empty)}{(accumulate ? ", accumulating" : string.Empty)}");
        }

        /// <summary>Values in [−1, 1), a tenth of them NaN, ±∞ or ±0.</summary>
        private static float[] Values(Random rng, int length) => Values(rng, length, special: 0.1);

        private static float[] Values(Random rng, int length, double special)
        {
            var specials = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f };
            return Enumerable.Range(0, length)
                .Select(_ => rng.NextDouble() < special ? specials[rng.Next(specials.Length)] : (float)((rng.NextDouble() * 2) - 1))
                .ToArray();
        }

        /// <summary>Values from {−1, 0, 1}: most windows hold their maximum more than once.</summary>
        private static float[] Ties(Random rng, int length) => Enumerable.Range(0, length).Select(_ => (float)(rng.Next(3) - 1)).ToArray();

        private static void WithLevel(SimdLevel level, Action action) => GemmTests.WithLevel(level, action);
    }
}
