using System;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;

namespace ConvGen.Runtime.Tests
{
    /// <summary>
    /// The Winograd convolution with a residual block's Add fused into its epilogue: bit for bit what the convolution
    /// without an activation followed by <see cref="VectorOps.AddActivate"/> gives, on every SIMD path and thread count.
    /// </summary>
    [Collection("Simd")]
    public class WinogradResidualTests
    {
        private static readonly Activation[] Activations = { Activation.None, Activation.ReLU, Activation.ReLU6, Activation.Tanh, Activation.Sigmoid };

        /// <summary>
        /// 9×11 outputs (the last tile column half cut, the last tile row without its bottom row; split over tile rows),
        /// 7×7 (the same cuts; split over output-channel panels, the last one partly filled) and 31×37 with one-sided
        /// padding (two full groups of eight tiles and a partial one per tile row); each is at least three parts' worth of
        /// work, so threads 2 and 3 really split it.
        /// </summary>
        private static readonly ConvolutionShape[] Shapes =
        {
            new(32, 9, 11, 40, 3, 3, 1, 1, 1, 1, 1, 1),
            new(48, 7, 7, 48, 3, 3, 1, 1, 1, 1, 1, 1),
            new(16, 33, 37, 20, 3, 3, 1, 1, 0, 1, 0, 1),
        };

        private const int Guard = 24;

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void Equals_the_convolution_then_AddActivate_bit_for_bit(SimdLevel level)
        {
            foreach (var shape in Shapes)
            {
                var rng = new Random(shape.OutputLength);
                var (conv, input, scale, shift) = NewConvolution(level, shape, rng);
                var residual = GemmTests.Random(rng, shape.OutputLength);
                foreach (var activation in Activations)
                {
                    for (var threads = 1; threads <= 3; threads++)
                    {
                        var expected = Unfused(level, conv, input, scale, shift, residual, activation, threads);

                        // Output and residual inside larger buffers: nothing outside the output may be written.
                        var output = Enumerable.Repeat(-7f, shape.OutputLength + (2 * Guard)).ToArray();
                        var guardedResidual = Enumerable.Repeat(float.NaN, shape.OutputLength + (2 * Guard)).ToArray();
                        residual.CopyTo(guardedResidual, Guard);
                        GemmTests.WithLevel(level, () => conv.Apply(input, scale, shift, guardedResidual.AsSpan(Guard, shape.OutputLength), activation,
                            output.AsSpan(Guard, shape.OutputLength), threads));

                        var what = $"{level} {shape} {activation} threads {threads}";
                        AssertSameBits(level, expected, output.AsSpan(Guard, shape.OutputLength).ToArray(), what);
                        Assert.All(output.Take(Guard).Concat(output.Skip(Guard + shape.OutputLength)), v => Assert.Equal(-7f, v));
                    }
                }
            }
        }

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void Propagates_NaN_and_infinities_in_the_residual_as_AddActivate_does(SimdLevel level)
        {
            var shape = Shapes[0];
            var rng = new Random(5);
            var (conv, input, scale, shift) = NewConvolution(level, shape, rng);
            var residual = GemmTests.Random(rng, shape.OutputLength);
            var plane = shape.OutHeight * shape.OutWidth;
            int nan = 0, positive = plane + shape.OutWidth - 1, negative = shape.OutputLength - 1; // corners: a first tile, a half-cut tile, a tile without its bottom row
            residual[nan] = float.NaN;
            residual[positive] = float.PositiveInfinity;
            residual[negative] = float.NegativeInfinity;
            foreach (var activation in Activations)
            {
                var expected = Unfused(level, conv, input, scale, shift, residual, activation, threads: 1);
                var output = new float[shape.OutputLength];
                GemmTests.WithLevel(level, () => conv.Apply(input, scale, shift, residual, activation, output));

                AssertSameBits(level, expected, output, $"{level} {activation}");
                Assert.True(float.IsNaN(output[nan]), $"{activation}: NaN gave {output[nan]}");
                Assert.Equal(activation switch { Activation.ReLU6 => 6f, Activation.Tanh or Activation.Sigmoid => 1f, _ => float.PositiveInfinity }, output[positive]);
                Assert.Equal(activation switch { Activation.None => float.NegativeInfinity, Activation.Tanh => -1f, _ => 0f }, output[negative]);
            }
        }

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void Adds_in_place_when_the_residual_is_the_output(SimdLevel level)
        {
            foreach (var shape in Shapes)
            {
                var rng = new Random(shape.InputLength);
                var (conv, input, scale, shift) = NewConvolution(level, shape, rng);
                var residual = GemmTests.Random(rng, shape.OutputLength);
                foreach (var activation in Activations)
                {
                    for (var threads = 1; threads <= 3; threads++)
                    {
                        var apart = new float[shape.OutputLength];
                        var inPlace = (float[])residual.Clone();
                        GemmTests.WithLevel(level, () =>
                        {
                            conv.Apply(input, scale, shift, residual, activation, apart, threads);
                            conv.Apply(input, scale, shift, inPlace, activation, inPlace, threads);
                        });

                        Assert.True(apart.AsSpan().SequenceEqual(inPlace), $"{level} {shape} {activation} threads {threads}");
                    }
                }
            }
        }

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void An_empty_residual_is_the_convolution_alone(SimdLevel level)
        {
            var shape = Shapes[1];
            var (conv, input, scale, shift) = NewConvolution(level, shape, new Random(9));
            var without = new float[shape.OutputLength];
            var empty = new float[shape.OutputLength];
            var zeros = new float[shape.OutputLength];
            GemmTests.WithLevel(level, () =>
            {
                conv.Apply(input, scale, shift, Activation.ReLU, without);
                conv.Apply(input, scale, shift, ReadOnlySpan<float>.Empty, Activation.ReLU, empty);
                conv.Apply(input, scale, shift, new float[shape.OutputLength], Activation.ReLU, zeros);
            });

            Assert.True(without.AsSpan().SequenceEqual(empty), $"{level}: an empty residual changed the result");
            Assert.Equal(without, zeros); // adding zeros changes no value (a −0 may become +0)
        }

        [Fact]
        public void Rejects_a_residual_of_the_wrong_length()
        {
            var shape = new ConvolutionShape(3, 6, 6, 10, 3, 3);
            var conv = new WinogradConvolution(shape);
            conv.SetWeights(new float[shape.WeightLength]);
            var error = Assert.Throws<ArgumentException>(() =>
                conv.Apply(new float[shape.InputLength], default, default, new float[shape.OutputLength - 1], Activation.ReLU, new float[shape.OutputLength]));

            Assert.Equal("residual", error.ParamName);
            Assert.Contains("residual", error.Message);
            Assert.Contains($"holds {shape.OutputLength - 1} floats", error.Message);
            Assert.Contains($"needs {shape.OutputLength}", error.Message);
        }

        /// <summary>A convolution with its weights set, and an input, a scale and a shift for it.</summary>
        private static (WinogradConvolution Conv, float[] Input, float[] Scale, float[] Shift) NewConvolution(SimdLevel level, ConvolutionShape shape, Random rng)
        {
            var conv = new WinogradConvolution(shape);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            GemmTests.WithLevel(level, () => conv.SetWeights(weights));
            return (conv, GemmTests.Random(rng, shape.InputLength), GemmTests.Random(rng, shape.OutChannels), GemmTests.Random(rng, shape.OutChannels));
        }

        /// <summary>What the fused call replaces: the convolution without an activation, then the Add and the activation in one pass.</summary>
        private static float[] Unfused(SimdLevel level, WinogradConvolution conv, float[] input, float[] scale, float[] shift, float[] residual,
            Activation activation, int threads)
        {
            var sum = new float[residual.Length];
            var result = new float[residual.Length];
            GemmTests.WithLevel(level, () =>
            {
                conv.Apply(input, scale, shift, Activation.None, sum, threads);
                VectorOps.AddActivate(sum, residual, result, activation);
            });
            return result;
        }

        /// <summary>
        /// Bit for bit, NaN payloads included. On the vector paths +0 and −0 count as one: where a sum is −0,
        /// AddActivate's ReLU and ReLU6 keep −0 on its vector lanes (maxps) and give +0 on its scalar tail (MathF.Max),
        /// so the sign of such a zero depends on where the element falls in the span, not on the arithmetic.
        /// </summary>
        private static void AssertSameBits(SimdLevel level, float[] expected, float[] actual, string what)
        {
            var signedZeros = level == SimdLevel.Scalar;
            int Bits(float v) => BitConverter.SingleToInt32Bits(signedZeros || v != 0f ? v : 0f);
            var i = 0;
            while (i < expected.Length && Bits(expected[i]) == Bits(actual[i]))
            {
                i++;
            }

            Assert.True(i == expected.Length, i == expected.Length ? null : $"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R}");
        }
    }
}
