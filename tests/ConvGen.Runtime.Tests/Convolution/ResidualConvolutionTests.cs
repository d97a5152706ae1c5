using System;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;

namespace ConvGen.Runtime.Tests.Convolution
{
    /// <summary>A convolution kernel's forward with a residual: <c>act(conv·scale + shift + residual)</c>, an empty residual meaning none.</summary>
    public delegate void ResidualApply(ReadOnlySpan<float> input, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, ReadOnlySpan<float> residual,
        Activation activation, Span<float> output, int threads);

    /// <summary>A convolution kernel's forward without a residual (the overload that existed before it).</summary>
    public delegate void PlainApply(ReadOnlySpan<float> input, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Activation activation, Span<float> output, int threads);

    /// <summary>
    /// What every convolution kernel with a residual block's Add fused into its epilogue must do (the direct and the
    /// Winograd convolution; the GEMM's addend has its own tests): bit for bit what the convolution without an activation
    /// followed by <see cref="VectorOps.AddActivate"/> gives, on the scalar and vector paths and every thread count, writing
    /// nothing outside the output; NaN and infinities as AddActivate treats them; in place; nothing added for an empty
    /// residual; a residual of the wrong length refused. Each kind gives its shapes (the store paths it must reach) and a
    /// convolution of them.
    /// </summary>
    [Collection("Simd")]
    public abstract class ResidualConvolutionTests
    {
        protected static readonly Activation[] Activations = { Activation.None, Activation.ReLU, Activation.ReLU6, Activation.Tanh, Activation.Sigmoid };

        private const int Guard = 24;

        /// <summary>The shapes every test runs over, each enough work for three parts (so threads 2 and 3 really split it).</summary>
        protected abstract ConvolutionShape[] Shapes { get; }

        /// <summary>
        /// Where <see cref="Propagates_NaN_and_infinities_in_the_residual_as_AddActivate_does"/> puts NaN, +∞ and −∞ in the
        /// residual of one of <see cref="Shapes"/>: one of each on every store path of the kind.
        /// </summary>
        protected abstract (ConvolutionShape Shape, int[] NaN, int[] Positive, int[] Negative) NonFinite { get; }

        /// <summary>A convolution of this kind with its weights set: its forward with and without a residual.</summary>
        protected abstract (ResidualApply Apply, PlainApply Plain) Create(ConvolutionShape shape, float[] weights);

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

                        // Output and residual inside larger buffers: nothing outside the output may be written or added.
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
            var (shape, nan, positive, negative) = NonFinite;
            var rng = new Random(5);
            var (conv, input, scale, shift) = NewConvolution(level, shape, rng);
            var residual = GemmTests.Random(rng, shape.OutputLength);
            foreach (var at in nan) residual[at] = float.NaN;
            foreach (var at in positive) residual[at] = float.PositiveInfinity;
            foreach (var at in negative) residual[at] = float.NegativeInfinity;
            foreach (var activation in Activations)
            {
                var expected = Unfused(level, conv, input, scale, shift, residual, activation, threads: 1);
                var output = new float[shape.OutputLength];
                GemmTests.WithLevel(level, () => conv.Apply(input, scale, shift, residual, activation, output, 1));

                AssertSameBits(level, expected, output, $"{level} {activation}");
                Assert.All(nan, at => Assert.True(float.IsNaN(output[at]), $"{activation}: NaN at {at} gave {output[at]}"));
                Assert.All(positive, at => Assert.Equal(activation switch
                {
                    Activation.ReLU6 => 6f,
                    Activation.Tanh or Activation.Sigmoid => 1f,
                    _ => float.PositiveInfinity,
                }, output[at]));
                Assert.All(negative, at => Assert.Equal(activation switch
                {
                    Activation.None => float.NegativeInfinity,
                    Activation.Tanh => -1f,
                    _ => 0f,
                }, output[at]));
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
            foreach (var shape in Shapes)
            {
                var (conv, input, scale, shift) = NewConvolution(level, shape, new Random(9));
                var without = new float[shape.OutputLength];
                var empty = new float[shape.OutputLength];
                var zeros = new float[shape.OutputLength];
                GemmTests.WithLevel(level, () =>
                {
                    conv.Plain(input, scale, shift, Activation.ReLU, without, 1);
                    conv.Apply(input, scale, shift, ReadOnlySpan<float>.Empty, Activation.ReLU, empty, 1);
                    conv.Apply(input, scale, shift, new float[shape.OutputLength], Activation.ReLU, zeros, 1);
                });

                Assert.True(without.AsSpan().SequenceEqual(empty), $"{level} {shape}: an empty residual changed the result");
                Assert.Equal(without, zeros); // adding zeros changes no value (a −0 may become +0)
            }
        }

        [Fact]
        public void Rejects_a_residual_of_the_wrong_length()
        {
            var shape = Shapes[0];
            var conv = Create(shape, new float[shape.WeightLength]);
            var error = Assert.Throws<ArgumentException>(() =>
                conv.Apply(new float[shape.InputLength], default, default, new float[shape.OutputLength - 1], Activation.ReLU, new float[shape.OutputLength], 1));

            Assert.Equal("residual", error.ParamName);
            Assert.Contains("The residual (laid out like the output, or none) span holds", error.Message);
            Assert.Contains($"holds {shape.OutputLength - 1} floats", error.Message);
            Assert.Contains($"needs {shape.OutputLength}", error.Message);
        }

        /// <summary>A convolution with its weights set (at <paramref name="level"/>), and an input, a scale and a shift for it.</summary>
        private ((ResidualApply Apply, PlainApply Plain) Conv, float[] Input, float[] Scale, float[] Shift) NewConvolution(SimdLevel level, ConvolutionShape shape, Random rng)
        {
            var weights = GemmTests.Random(rng, shape.WeightLength);
            (ResidualApply Apply, PlainApply Plain) conv = default;
            GemmTests.WithLevel(level, () => conv = Create(shape, weights));
            return (conv, GemmTests.Random(rng, shape.InputLength), GemmTests.Random(rng, shape.OutChannels), GemmTests.Random(rng, shape.OutChannels));
        }

        /// <summary>What the fused call replaces: the convolution without an activation, then the Add and the activation in one pass.</summary>
        private static float[] Unfused(SimdLevel level, (ResidualApply Apply, PlainApply Plain) conv, float[] input, float[] scale, float[] shift, float[] residual,
            Activation activation, int threads)
        {
            var sum = new float[residual.Length];
            var result = new float[residual.Length];
            GemmTests.WithLevel(level, () =>
            {
                conv.Plain(input, scale, shift, Activation.None, sum, threads);
                VectorOps.AddActivate(sum, residual, result, activation);
            });
            return result;
        }

        /// <summary>
        /// Bit for bit, NaN payloads included, but on the vector paths +0 and −0 are one value: where a sum is −0,
        /// AddActivate's ReLU and ReLU6 keep −0 on its vector lanes (maxps) and give +0 on its scalar tail (MathF.Max), so
        /// the sign of such a zero depends on where the element falls in the span; on the scalar path the signs must agree too.
        /// </summary>
        private static void AssertSameBits(SimdLevel level, float[] expected, float[] actual, string what)
        {
            var zeroSign = level == SimdLevel.Scalar;
            int Bits(float v) => BitConverter.SingleToInt32Bits(zeroSign || v != 0f ? v : 0f);
            var mismatch = Enumerable.Range(0, expected.Length).FirstOrDefault(i => Bits(expected[i]) != Bits(actual[i]), -1);
            Assert.True(mismatch < 0, mismatch < 0 ? null : $"{what}: element {mismatch} is {actual[mismatch]:R}, expected {expected[mismatch]:R}");
        }
    }
}
