using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Pooling;

namespace ConvGen.Runtime.Tests.Pooling
{
    /// <summary>The max-pooling kernel against the window-by-window reference, bit for bit, on every SIMD path this CPU runs.</summary>
    [Collection("Simd")]
    public class MaxPoolingTests
    {
        public static IEnumerable<object[]> Levels() =>
            Enum.GetValues<SimdLevel>().Where(level => level <= Simd.Supported).Select(level => new object[] { level });

        /// <summary>Planes from 1×1 up, widths on and off multiples of 8 and 16 and below one vector.</summary>
        private static readonly (int Height, int Width)[] Planes =
        {
            (1, 1), (1, 2), (2, 2), (3, 3), (2, 5), (7, 7), (5, 8), (6, 9), (9, 15), (4, 16), (8, 17), (14, 14), (11, 23), (3, 40),
        };

        /// <summary>
        /// Every window size 1–5, stride 1–3, padding 0 to size/2, floor and ceil output counts (the last ceil-mode window
        /// clipped), on every plane the window fits: values drawn mostly at random, with NaN, ±∞ and ±0 sprinkled in.
        /// </summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void MatchesTheReferenceOnEveryGeometry(SimdLevel level)
        {
            var rng = new Random(13);
            var cases = 0;
            foreach (var (height, width) in Planes)
            for (var size = 1; size <= 5; size++)
            for (var stride = 1; stride <= 3; stride++)
            for (var padding = 0; padding <= size / 2; padding++)
            foreach (var ceil in new[] { false, true })
            {
                if (height + (2 * padding) < size || width + (2 * padding) < size) continue;
                var outHeight = MaxPoolingReference.OutSize(height, size, stride, padding, ceil);
                var outWidth = MaxPoolingReference.OutSize(width, size, stride, padding, ceil);
                const int channels = 3;
                var input = Values(rng, channels * height * width, special: 0.1);
                var output = new float[channels * outHeight * outWidth];

                WithLevel(level, () => MaxPooling.Forward(input, output, height, width, outHeight, outWidth, size, stride, padding));

                MaxPoolingReference.AssertIdentical(
                    MaxPoolingReference.Forward(input, channels, height, width, outHeight, outWidth, size, stride, padding), output,
                    $"{level}: {height}×{width}, window {size}, stride {stride}, padding {padding}{(ceil ? ", ceil" : string.Empty)}");
                cases++;
            }

            Assert.True(cases > 500, $"only {cases} geometries ran");
        }

        /// <summary>One NaN anywhere in a row — the vector body, the ragged end, the padding column's neighbour — reaches exactly the windows that hold it.</summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void ANaNReachesExactlyTheWindowsHoldingIt(SimdLevel level)
        {
            foreach (var (size, stride, padding) in new[] { (3, 1, 1), (3, 2, 1), (2, 2, 0), (3, 2, 0) })
            foreach (var (height, width) in new[] { (5, 21), (4, 6), (6, 37) })
            for (var at = 0; at < height * width; at++)
            {
                var outHeight = MaxPoolingReference.OutSize(height, size, stride, padding, ceil: true);
                var outWidth = MaxPoolingReference.OutSize(width, size, stride, padding, ceil: true);
                var input = Enumerable.Range(0, height * width).Select(i => (float)Math.Sin(i)).ToArray();
                input[at] = float.NaN;
                var output = new float[outHeight * outWidth];

                WithLevel(level, () => MaxPooling.Forward(input, output, height, width, outHeight, outWidth, size, stride, padding));

                var expected = MaxPoolingReference.Forward(input, 1, height, width, outHeight, outWidth, size, stride, padding);
                Assert.Contains(expected, float.IsNaN);
                MaxPoolingReference.AssertIdentical(expected, output, $"{level}: NaN at {at} of {height}×{width}, window {size}, stride {stride}, padding {padding}");
            }
        }

        /// <summary>+0 beats −0 whichever comes first; a window of −0 alone stays −0; −∞ is a value like any other (not padding's "nothing").</summary>
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
                var input = Enumerable.Range(0, height * width).Select(_ => picks[rng.Next(trial < 10 ? 2 : 4)]).ToArray();
                var outHeight = MaxPoolingReference.OutSize(height, size, stride, padding, ceil: false);
                var outWidth = MaxPoolingReference.OutSize(width, size, stride, padding, ceil: false);
                var output = new float[outHeight * outWidth];

                WithLevel(level, () => MaxPooling.Forward(input, output, height, width, outHeight, outWidth, size, stride, padding));

                var expected = MaxPoolingReference.Forward(input, 1, height, width, outHeight, outWidth, size, stride, padding);
                MaxPoolingReference.AssertIdentical(expected, output, $"{level}: trial {trial}, window {size}, stride {stride}, padding {padding}");
            }

            // A plane of −∞ with padding: the padding is no element, so every output is −∞ (and a −0 plane gives −0).
            foreach (var fill in new[] { float.NegativeInfinity, -0f })
            {
                var input = Enumerable.Repeat(fill, 9 * 10).ToArray();
                var output = new float[9 * 10];
                WithLevel(level, () => MaxPooling.Forward(input, output, 9, 10, 9, 10, size: 3, stride: 1, padding: 1));
                Assert.All(output, v => Assert.Equal(BitConverter.SingleToInt32Bits(fill), BitConverter.SingleToInt32Bits(v)));
            }
        }

        /// <summary>Spans cut from larger arrays (a step's channel range): nothing outside the output span changes, nothing outside the input span is read.</summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void StaysInsideItsSpans(SimdLevel level)
        {
            foreach (var (height, width, size, stride, padding) in new[] { (7, 7, 3, 1, 1), (14, 14, 2, 2, 0), (12, 17, 3, 2, 1), (3, 9, 3, 1, 1) })
            {
                const int channels = 5, first = 1, count = 3;
                var outHeight = MaxPoolingReference.OutSize(height, size, stride, padding, ceil: true);
                var outWidth = MaxPoolingReference.OutSize(width, size, stride, padding, ceil: true);
                var plane = height * width;
                var outPlane = outHeight * outWidth;
                var input = Values(new Random(height + width), channels * plane, special: 0);

                // Huge values in the channels outside the range: read by mistake, they would win a window.
                input.AsSpan(0, first * plane).Fill(1e30f);
                input.AsSpan((first + count) * plane).Fill(1e30f);
                var output = Enumerable.Repeat(-7f, channels * outPlane).ToArray();

                WithLevel(level, () => MaxPooling.Forward(
                    input.AsSpan(first * plane, count * plane), output.AsSpan(first * outPlane, count * outPlane),
                    height, width, outHeight, outWidth, size, stride, padding));

                var expected = MaxPoolingReference.Forward(input[(first * plane)..((first + count) * plane)], count, height, width, outHeight, outWidth, size, stride, padding);
                MaxPoolingReference.AssertIdentical(expected, output.AsSpan(first * outPlane, count * outPlane), $"{level}: {height}×{width}, window {size}, stride {stride}");
                Assert.All(output.Take(first * outPlane).Concat(output.Skip((first + count) * outPlane)), v => Assert.Equal(-7f, v));
            }
        }

        /// <summary>
        /// The 3×3 stride-1 padding-1 path (GoogLeNet's inception pools): planes from below one vector wide (a strip runs on
        /// into the next rows) to several strips with a ragged last one, as many channels as take two groups of planes and
        /// more, NaN, ±∞ and ±0 sprinkled in; the output ends right after the last plane (its last rows must not be stored
        /// whole) or goes on with guard values that must stay.
        /// </summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void Windows3x3AtStride1OnManyPlanes(SimdLevel level)
        {
            var rng = new Random(21);
            foreach (var (height, width) in new[] { (8, 1), (4, 2), (3, 3), (2, 5), (7, 7), (3, 8), (5, 9), (14, 14), (6, 17), (28, 28), (2, 40) })
            foreach (var guard in new[] { 0, 5 })
            {
                var plane = height * width;
                var channels = (2 * 1024 / ((height + 1) * width)) + 3; // MaxPooling.GroupKeys: two groups and more
                var input = Values(rng, channels * plane, special: 0.1);
                var output = Enumerable.Repeat(-7f, (channels * plane) + guard).ToArray();

                WithLevel(level, () => MaxPooling.Forward(input, output.AsSpan(0, channels * plane), height, width, height, width, size: 3, stride: 1, padding: 1));

                var expected = MaxPoolingReference.Forward(input, channels, height, width, height, width, 3, 1, 1);
                MaxPoolingReference.AssertIdentical(expected, output.AsSpan(0, channels * plane), $"{level}: {channels} planes of {height}×{width}");
                Assert.All(output.Skip(channels * plane), v => Assert.Equal(-7f, v));
            }
        }

        /// <summary>
        /// Whichever order a window holds NaNs of different signs and payloads, ±0 and ±∞ in, its maximum on the vector levels
        /// is the same bits at every position of a 3×3 stride-1 plane (the keys' order picks the NaN); on the scalar level,
        /// whose <see cref="MathF.Max(float, float)"/> keeps the NaN it meets first, the same value.
        /// </summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void Windows3x3AtStride1GiveTheSameBitsForAnyOrder(SimdLevel level)
        {
            const int height = 5, width = 6;
            var picks = new[] { float.NaN, -float.NaN, BitConverter.Int32BitsToSingle(0x7F800001), BitConverter.Int32BitsToSingle(unchecked((int)0xFFFFFFFF)), 0f, -0f, float.NegativeInfinity, float.PositiveInfinity, 1f, -1f };
            var rng = new Random(8);
            for (var trial = 0; trial < 50; trial++)
            {
                var input = Enumerable.Range(0, height * width).Select(_ => rng.Next(3) == 0 ? picks[rng.Next(picks.Length)] : picks[4 + rng.Next(6)]).ToArray();
                var reversed = input.Reverse().ToArray();
                var output = new float[height * width];
                var outputReversed = new float[height * width];

                WithLevel(level, () =>
                {
                    MaxPooling.Forward(input, output, height, width, height, width, size: 3, stride: 1, padding: 1);
                    MaxPooling.Forward(reversed, outputReversed, height, width, height, width, size: 3, stride: 1, padding: 1);
                });

                MaxPoolingReference.AssertIdentical(MaxPoolingReference.Forward(input, 1, height, width, height, width, 3, 1, 1), output, $"{level}: trial {trial}");

                // The reversed plane's windows are the same sets of elements, mirrored through the centre.
                var mirrored = outputReversed.Reverse().ToArray();
                if (level == SimdLevel.Scalar)
                {
                    MaxPoolingReference.AssertIdentical(output, mirrored, $"{level}: trial {trial}, reversed");
                }
                else
                {
                    Assert.Equal(output.Select(BitConverter.SingleToInt32Bits), mirrored.Select(BitConverter.SingleToInt32Bits));
                }
            }
        }

        /// <summary>Rows wider than the kernel's stack buffer take a rented one.</summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void WideRows(SimdLevel level)
        {
            const int height = 3, width = 1500;
            var input = Values(new Random(9), 2 * height * width, special: 0.01);
            var outWidth = MaxPoolingReference.OutSize(width, 3, 2, 1, ceil: true);
            var output = new float[2 * 2 * outWidth];

            WithLevel(level, () => MaxPooling.Forward(input, output, height, width, 2, outWidth, size: 3, stride: 2, padding: 1));

            MaxPoolingReference.AssertIdentical(MaxPoolingReference.Forward(input, 2, height, width, 2, outWidth, 3, 2, 1), output, $"{level}: 3×1500");
        }

        /// <summary>Values in [−1, 1), a fraction <paramref name="special"/> of them NaN, ±∞ or ±0.</summary>
        private static float[] Values(Random rng, int length, double special)
        {
            var specials = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f };
            return Enumerable.Range(0, length)
                .Select(_ => rng.NextDouble() < special ? specials[rng.Next(specials.Length)] : (float)((rng.NextDouble() * 2) - 1))
                .ToArray();
        }

        private static void WithLevel(SimdLevel level, Action action) => GemmTests.WithLevel(level, action);
    }
}
