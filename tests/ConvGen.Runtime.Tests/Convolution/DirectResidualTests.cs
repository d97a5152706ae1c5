using System;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;

namespace ConvGen.Runtime.Tests.Convolution
{
    /// <summary>
    /// The direct convolution with a residual block's Add fused into its epilogue: bit for bit what the convolution
    /// without an activation followed by <see cref="VectorOps.AddActivate"/> gives, on the scalar and AVX2 paths and every
    /// thread count, through each of its store paths (a tile's register transpose, a plane's last tile pixel by pixel, the
    /// tail kernel's vectors of a row).
    /// </summary>
    [Collection("Simd")]
    public class DirectResidualTests
    {
        private static readonly Activation[] Activations = { Activation.None, Activation.ReLU, Activation.ReLU6, Activation.Tanh, Activation.Sigmoid };

        /// <summary>
        /// On AVX2 (tiles of 6 pixels over each plane as one flat run), each enough work for three parts:
        /// [0] two full blocks, a plane of 45 whole tiles running on across rows 15 wide: every tile through the transpose;
        /// [1] stride 2, 20 channels (a pair and a lone block of 4 lanes), a plane of 196 pixels: its last tile of 4 pixel by pixel;
        /// [2] 20 channels at stride 1: the lone last block of 4 on the tail kernel, rows of 19 as two vectors and a
        ///     3-lane one, the blocked pair's last tile (380 pixels) pixel by pixel;
        /// [3] one input channel: every block on the tail kernel, rows of 37 ending in a 5-lane vector;
        /// [4] three input channels (a stem's), a plane of 1023 pixels ending in a tile of 3.
        /// </summary>
        private static readonly ConvolutionShape[] Shapes =
        {
            new(16, 18, 15, 16, 3, 3, 1, 1, 1, 1, 1, 1),
            new(16, 27, 27, 20, 3, 3, 2, 2, 1, 1, 1, 1),
            new(11, 20, 19, 20, 3, 3, 1, 1, 1, 1, 1, 1),
            new(1, 40, 37, 12, 5, 5, 1, 1, 2, 2, 2, 2),
            new(3, 33, 31, 16, 3, 3, 1, 1, 1, 1, 1, 1),
        };

        private const int Guard = 24;

        [Fact]
        public void The_shapes_reach_every_store_path_on_avx2()
        {
            var layouts = Shapes.Select(shape => new BlockedLayout(shape, SimdLevel.Avx2)).ToArray();
            static bool LastTilePartial(BlockedLayout layout) => layout.Pixels % layout.Tile != 0;

            Assert.Equal(new[] { false, true, true, true, true }, layouts.Select(LastTilePartial));
            Assert.Equal(new[] { 2, 3, 2, 0, 2 }, layouts.Select(layout => layout.TailFirstBlock));
            Assert.Equal(new[] { 2, 3, 3, 2, 2 }, layouts.Select(layout => layout.OutBlocks));
            Assert.All(Shapes, shape => Assert.True(shape.Flops / 2 >= 3 * 128 * 1024, $"{shape} is too little work for three parts"));
        }

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
            var shape = Shapes[2];
            var rng = new Random(5);
            var (conv, input, scale, shift) = NewConvolution(level, shape, rng);
            var residual = GemmTests.Random(rng, shape.OutputLength);
            var plane = shape.OutHeight * shape.OutWidth;

            // On AVX2: a transposed tile, the blocked pair's last tile (pixel by pixel), the tail's masked last vector of a row.
            int[] nan = { 0, (5 * plane) + plane - 1, (17 * plane) + 18 };
            int[] positive = { (3 * plane) + 40, (15 * plane) + plane - 2, (19 * plane) + 17 };
            int[] negative = { (9 * plane) + 100, (8 * plane) + plane - 1, (16 * plane) + (5 * shape.OutWidth) + 16 };
            foreach (var at in nan) residual[at] = float.NaN;
            foreach (var at in positive) residual[at] = float.PositiveInfinity;
            foreach (var at in negative) residual[at] = float.NegativeInfinity;
            foreach (var activation in Activations)
            {
                var expected = Unfused(level, conv, input, scale, shift, residual, activation, threads: 1);
                var output = new float[shape.OutputLength];
                GemmTests.WithLevel(level, () => conv.Apply(input, scale, shift, residual, activation, output));

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
                    for (var threads = 1; threads <= 3; threads += 2)
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
        public void Compute_of_a_block_range_adds_to_its_channels_only(SimdLevel level)
        {
            // 20 channels: blocks [1, 3) are the pair's second block and the lone last one of 4 lanes, here a pair for the
            // blocked kernel (in the whole call the last is the tail kernel's on AVX2, which adds the same products in the same order).
            var shape = Shapes[2];
            var rng = new Random(17);
            var (conv, input, scale, shift) = NewConvolution(level, shape, rng);
            var residual = GemmTests.Random(rng, shape.OutputLength);
            var whole = new float[shape.OutputLength];
            var range = Enumerable.Repeat(-7f, shape.OutputLength).ToArray();
            var first = 0;
            GemmTests.WithLevel(level, () =>
            {
                conv.Apply(input, scale, shift, residual, Activation.ReLU, whole);
                var packed = new float[conv.PackedInputLength];
                conv.PackInput(input, packed);
                conv.Compute(packed, scale, shift, residual, Activation.ReLU, range, 1, conv.OutputBlocks);
                first = conv.BlockWidth * shape.OutHeight * shape.OutWidth;
            });

            Assert.All(range.Take(first), v => Assert.Equal(-7f, v));
            Assert.True(whole.AsSpan(first).SequenceEqual(range.AsSpan(first)), $"{level}: the block range differs from the whole call");
        }

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void An_empty_residual_is_the_convolution_alone(SimdLevel level)
        {
            var shape = Shapes[2];
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
            var shape = Shapes[0];
            var conv = new DirectConvolution(shape);
            conv.SetWeights(new float[shape.WeightLength]);
            var error = Assert.Throws<ArgumentException>(() =>
                conv.Apply(new float[shape.InputLength], default, default, new float[shape.OutputLength - 1], Activation.ReLU, new float[shape.OutputLength]));

            Assert.Equal("residual", error.ParamName);
            Assert.Contains("The residual (laid out like the output, or none) span holds", error.Message);
            Assert.Contains($"holds {shape.OutputLength - 1} floats", error.Message);
            Assert.Contains($"needs {shape.OutputLength}", error.Message);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void Rejects_a_residual_that_overlaps_the_output_without_being_it(int threads)
        {
            var shape = Shapes[0];
            var conv = new DirectConvolution(shape);
            conv.SetWeights(new float[shape.WeightLength]);
            var buffer = new float[shape.OutputLength + 5];
            var error = Assert.Throws<ArgumentException>(() =>
                conv.Apply(new float[shape.InputLength], default, default, buffer.AsSpan(5, shape.OutputLength), Activation.None,
                    buffer.AsSpan(0, shape.OutputLength), threads));

            Assert.Equal("residual", error.ParamName);
            Assert.Contains("overlaps the output 5 floats apart", error.Message);
            Assert.All(buffer, v => Assert.Equal(0f, v));
        }

        /// <summary>A convolution with its weights set, and an input, a scale and a shift for it.</summary>
        private static (DirectConvolution Conv, float[] Input, float[] Scale, float[] Shift) NewConvolution(SimdLevel level, ConvolutionShape shape, Random rng)
        {
            var conv = new DirectConvolution(shape);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            GemmTests.WithLevel(level, () => conv.SetWeights(weights));
            return (conv, GemmTests.Random(rng, shape.InputLength), GemmTests.Random(rng, shape.OutChannels), GemmTests.Random(rng, shape.OutChannels));
        }

        /// <summary>What the fused call replaces: the convolution without an activation, then the Add and the activation in one pass.</summary>
        private static float[] Unfused(SimdLevel level, DirectConvolution conv, float[] input, float[] scale, float[] shift, float[] residual,
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
        /// Bit for bit, NaN payloads included, but on the vector paths +0 and −0 are one value: where a sum is −0,
        /// AddActivate's ReLU and ReLU6 keep −0 on its vector lanes and give +0 on its scalar tail, so the sign of such a
        /// zero depends on where the element falls in the span; on the scalar path the signs must agree too.
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
