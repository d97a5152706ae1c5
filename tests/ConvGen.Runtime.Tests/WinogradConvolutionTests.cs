using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;
using ConvGen.Runtime.Tests.Convolution;

namespace ConvGen.Runtime.Tests
{
    [Collection("Simd")]
    public class WinogradConvolutionTests
    {
        /// <summary>
        /// 3×3 stride-1 shapes: output sizes odd and even (edge tiles cut in half), tile rows shorter and longer than a
        /// group of eight tiles, paddings 0 to 2 and one-sided, channels on and off the 6-channel panels, a 1×1 output.
        /// </summary>
        private static readonly ConvolutionShape[] Shapes =
        {
            new(3, 7, 9, 5, 3, 3, 1, 1, 1, 1, 1, 1),
            new(8, 6, 6, 8, 3, 3),
            new(16, 35, 37, 13, 3, 3, 1, 1, 1, 1, 1, 1),
            new(5, 9, 20, 7, 3, 3, 1, 1, 0, 2, 1, 0),
            new(1, 28, 28, 6, 3, 3, 1, 1, 2, 2, 2, 2),
            new(64, 7, 7, 64, 3, 3, 1, 1, 1, 1, 1, 1),
            new(12, 3, 3, 9, 3, 3),
            new(40, 14, 14, 44, 3, 3, 1, 1, 1, 1, 1, 1),
            new(7, 2, 11, 10, 3, 3, 1, 1, 1, 0, 0, 1),
        };

        public static IEnumerable<object[]> Cases() =>
            from level in Enum.GetValues<SimdLevel>()
            where level <= Simd.Supported
            from index in Enumerable.Range(0, Shapes.Length)
            select new object[] { level, index };

        [Theory]
        [MemberData(nameof(Cases))]
        public void MatchesFloat64Reference(SimdLevel level, int shapeIndex)
        {
            var shape = Shapes[shapeIndex];
            var rng = new Random(shapeIndex + 1);
            var input = GemmTests.Random(rng, shape.InputLength);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var scale = shapeIndex % 3 == 0 ? Array.Empty<float>() : GemmTests.Random(rng, shape.OutChannels);
            var shift = shapeIndex % 3 == 1 ? Array.Empty<float>() : GemmTests.Random(rng, shape.OutChannels);
            var activation = new[] { Activation.None, Activation.ReLU, Activation.Tanh, Activation.Sigmoid, Activation.ReLU6 }[shapeIndex % 5];
            var output = Enumerable.Repeat(float.NaN, shape.OutputLength).ToArray();

            GemmTests.WithLevel(level, () => new WinogradConvolution(shape).Forward(input, weights, scale, shift, activation, output));

            ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, scale, shift, activation), output, $"{level} {shape}");
        }

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void KeepsWithinTheToleranceOnResNetSizedLayers(SimdLevel level)
        {
            // 256 input channels, Kaiming-scaled weights and non-negative (post-ReLU) inputs: realistic magnitudes where
            // the transforms' rounding adds up over the channels; the error must stay well inside 1e-4.
            var shape = new ConvolutionShape(256, 6, 6, 12, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(21);
            var input = GemmTests.Random(rng, shape.InputLength).Select(v => (3 * Math.Abs(v))).ToArray();
            var std = Math.Sqrt(2.0 / (9 * shape.InChannels));
            var weights = GemmTests.Random(rng, shape.WeightLength).Select(v => (float)(v * std * Math.Sqrt(3))).ToArray();
            var output = new float[shape.OutputLength];
            GemmTests.WithLevel(level, () => new WinogradConvolution(shape).Forward(input, weights, default, default, Activation.None, output));

            var expected = ConvolutionReference.Forward(shape, input, weights, Array.Empty<float>(), Array.Empty<float>(), Activation.None);
            var error = expected.Zip(output, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(expected.Max(Math.Abs) > 1, "the outputs should be of order one");
            Assert.True(error < 2e-5, $"{level}: largest error {error:G3}");
        }

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void SplitOverThreadsIsBitIdentical(SimdLevel level)
        {
            // 17 tile rows of 12 tiles (the last group of each row partly filled), split unevenly over two threads.
            var shape = new ConvolutionShape(24, 33, 23, 20, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(13);
            var input = GemmTests.Random(rng, shape.InputLength);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var shift = GemmTests.Random(rng, shape.OutChannels);
            var one = new float[shape.OutputLength];
            var two = new float[shape.OutputLength];
            GemmTests.WithLevel(level, () =>
            {
                var conv = new WinogradConvolution(shape);
                conv.Forward(input, weights, default, shift, Activation.Tanh, one, threads: 1);
                conv.Forward(input, weights, default, shift, Activation.Tanh, two, threads: 2);
            });

            Assert.Equal(one, two);
            ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, Array.Empty<float>(), shift, Activation.Tanh), two, $"{level} two threads");
        }

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void TransformsTheWeightsAgainOnlyWhenTheyChange(SimdLevel level)
        {
            var shape = new ConvolutionShape(10, 6, 6, 12, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(3);
            var input = GemmTests.Random(rng, shape.InputLength);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var output = new float[shape.OutputLength];
            GemmTests.WithLevel(level, () =>
            {
                var conv = new WinogradConvolution(shape);
                Assert.True(conv.SetWeights(weights));
                Assert.False(conv.SetWeights(weights));
                conv.Forward(input, weights, default, default, Activation.None, output);
                ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, Array.Empty<float>(), Array.Empty<float>(), Activation.None), output, "before the change");

                weights[17] += 0.5f;
                conv.Forward(input, weights, default, default, Activation.None, output);
                ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, Array.Empty<float>(), Array.Empty<float>(), Activation.None), output, "after a weight change");
                Assert.False(conv.SetWeights(weights));
            });
        }

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void OneInstanceServesSeveralThreadsAtOnce(SimdLevel level)
        {
            // As the generated code uses it: one instance per layer, every worker calling Forward with the live weights.
            var shape = new ConvolutionShape(12, 10, 10, 20, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(11);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var inputs = Enumerable.Range(0, 16).Select(_ => GemmTests.Random(rng, shape.InputLength)).ToArray();
            var outputs = inputs.Select(_ => new float[shape.OutputLength]).ToArray();
            GemmTests.WithLevel(level, () =>
            {
                var conv = new WinogradConvolution(shape);
                System.Threading.Tasks.Parallel.For(0, inputs.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 4 },
                    n => conv.Forward(inputs[n], weights, default, default, Activation.ReLU, outputs[n]));
            });

            for (var n = 0; n < inputs.Length; n++)
            {
                ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, inputs[n], weights, Array.Empty<float>(), Array.Empty<float>(), Activation.ReLU), outputs[n], $"{level} sample {n}");
            }
        }

        [Fact]
        public void RejectsShapesItCannotRun()
        {
            Assert.Throws<ArgumentNullException>(() => new WinogradConvolution(null!));
            var kernel = Assert.Throws<ArgumentException>(() => new WinogradConvolution(new ConvolutionShape(4, 8, 8, 4, 5, 5)));
            Assert.Equal("shape", kernel.ParamName);
            Assert.Contains("5×5 kernel", kernel.Message);
            var stride = Assert.Throws<ArgumentException>(() => new WinogradConvolution(new ConvolutionShape(4, 8, 8, 4, 3, 3, 2, 2)));
            Assert.Contains("stride 2×2", stride.Message);
            Assert.False(WinogradConvolution.Supports(new ConvolutionShape(4, 8, 8, 4, 3, 3, 1, 2)));
            Assert.True(WinogradConvolution.Supports(new ConvolutionShape(4, 8, 8, 4, 3, 3, 1, 1, 0, 1, 2, 0)));
        }

        [Fact]
        public void RejectsBadArguments()
        {
            var shape = new ConvolutionShape(3, 6, 6, 10, 3, 3);
            var conv = new WinogradConvolution(shape);
            var input = new float[shape.InputLength];
            var weights = new float[shape.WeightLength];
            var output = new float[shape.OutputLength];

            Assert.Contains("SetWeights must be called", Assert.Throws<InvalidOperationException>(() => conv.Apply(input, default, default, Activation.None, output)).Message);
            var weightError = Assert.Throws<ArgumentException>(() => conv.SetWeights(new float[shape.WeightLength - 1]));
            Assert.Equal("weights", weightError.ParamName);
            Assert.Contains($"needs {shape.WeightLength}", weightError.Message);
            Assert.Equal("weights", Assert.Throws<ArgumentException>(() => conv.Forward(input, new float[3], default, default, Activation.None, output)).ParamName);
            Assert.Equal("input", Assert.Throws<ArgumentException>(() => conv.Forward(new float[shape.InputLength + 1], weights, default, default, Activation.None, output)).ParamName);
            Assert.Equal("output", Assert.Throws<ArgumentException>(() => conv.Forward(input, weights, default, default, Activation.None, new float[5])).ParamName);
            Assert.Equal("scale", Assert.Throws<ArgumentException>(() => conv.Forward(input, weights, new float[3], default, Activation.None, output)).ParamName);
            Assert.Equal("shift", Assert.Throws<ArgumentException>(() => conv.Forward(input, weights, default, new float[11], Activation.None, output)).ParamName);
            Assert.Contains("Softmax", Assert.Throws<ArgumentException>(() => conv.Forward(input, weights, default, default, Activation.Softmax, output)).Message);
            Assert.Equal("threads", Assert.Throws<ArgumentOutOfRangeException>(() => conv.Forward(input, weights, default, default, Activation.None, output, threads: 0)).ParamName);
        }
    }
}
