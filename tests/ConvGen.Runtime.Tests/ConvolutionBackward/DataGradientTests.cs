using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.ConvolutionBackward;
using ConvGen.Runtime.Tests.Convolution;

namespace ConvGen.Runtime.Tests.ConvolutionBackward
{
    [Collection("Simd")]
    public class DataGradientTests
    {
        /// <summary>Stride-1 shapes: channels on and off multiples of 8 and 16, square and oblong kernels, paddings 0 to k − 1 (some one-sided), odd sizes.</summary>
        internal static readonly ConvolutionShape[] Shapes =
        {
            new(20, 14, 14, 50, 5, 5, 1, 1, 2, 2, 2, 2),   // LeNet-5 conv2
            new(9, 7, 9, 11, 3, 3, 1, 1, 1, 0, 2, 1),
            new(16, 8, 8, 24, 3, 3),
            new(8, 6, 5, 8, 5, 5, 1, 1, 4, 4, 4, 4),
            new(17, 9, 7, 7, 3, 5, 1, 1, 0, 2, 1, 0),
            new(33, 10, 6, 3, 2, 2, 1, 1, 1, 0, 0, 1),
            new(5, 11, 13, 21, 1, 3, 1, 1, 0, 1, 0, 1),
            new(64, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1),   // a ResNet-18 block's conv, smaller
            new(50, 9, 11, 48, 3, 3, 1, 1, 2, 0, 1, 2),    // odd sizes (edge tiles on every side), one-sided padding
        };

        /// <summary>Every level × method × shape the method can run (Winograd: the 3×3 kernels).</summary>
        public static IEnumerable<object[]> Cases() =>
            from level in Levels().Select(l => (SimdLevel)l[0])
            from method in Enum.GetValues<DataGradientMethod>()
            from index in Enumerable.Range(0, Shapes.Length)
            where method == DataGradientMethod.Direct || (Shapes[index].KernelHeight == 3 && Shapes[index].KernelWidth == 3)
            select new object[] { level, method, index };

        public static IEnumerable<object[]> Levels() => GemmTests.Levels();

        /// <summary>Every level × method.</summary>
        public static IEnumerable<object[]> Methods() =>
            from level in Levels().Select(l => (SimdLevel)l[0])
            from method in Enum.GetValues<DataGradientMethod>()
            select new object[] { level, method };

        [Theory]
        [MemberData(nameof(Cases))]
        public void MatchesFloat64Reference(SimdLevel level, DataGradientMethod method, int shapeIndex)
        {
            var shape = Shapes[shapeIndex];
            var rng = new Random(shapeIndex + 1);
            var outputGradient = GemmTests.Random(rng, shape.OutputLength);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var inputGradient = new float[shape.InputLength];

            Compute(level, method, shape, weights, outputGradient, inputGradient, accumulate: false);

            ConvolutionReference.AssertClose(ConvolutionReference.DataGradient(shape, outputGradient, weights), inputGradient, $"{level} {method} {shape}");
        }

        [Theory]
        [MemberData(nameof(Methods))]
        public void IsTheAdjointOfTheForwardConvolution(SimdLevel level, DataGradientMethod method)
        {
            // ⟨∂L/∂y, conv(x)⟩ = ⟨∂L/∂x, x⟩ for every x: the gradient of L = ⟨∂L/∂y, conv(x)⟩, checked against the forward kernel.
            var shape = new ConvolutionShape(12, 9, 8, 10, 3, 3, 1, 1, 1, 2, 0, 1);
            var rng = new Random(5);
            var input = GemmTests.Random(rng, shape.InputLength);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var outputGradient = GemmTests.Random(rng, shape.OutputLength);
            var output = new float[shape.OutputLength];
            var inputGradient = new float[shape.InputLength];
            GemmTests.WithLevel(level, () => new DirectConvolution(shape).Forward(input, weights, default, default, Activation.None, output));
            Compute(level, method, shape, weights, outputGradient, inputGradient, accumulate: false);

            var viaOutput = Dot(outputGradient, output);
            var viaInput = Dot(inputGradient, input);
            Assert.True(Math.Abs(viaOutput - viaInput) <= 1e-4 * Math.Max(1, Math.Abs(viaOutput)), $"{level} {method}: ⟨∂L/∂y, y⟩ = {viaOutput}, ⟨∂L/∂x, x⟩ = {viaInput}");
        }

        [Theory]
        [MemberData(nameof(Methods))]
        public void AccumulatesOntoWhatIsThere(SimdLevel level, DataGradientMethod method)
        {
            var shape = Shapes[1];
            var rng = new Random(3);
            var outputGradient = GemmTests.Random(rng, shape.OutputLength);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var earlier = GemmTests.Random(rng, shape.InputLength);
            var inputGradient = (float[])earlier.Clone();
            Compute(level, method, shape, weights, outputGradient, inputGradient, accumulate: true);

            ConvolutionReference.AssertClose(ConvolutionReference.DataGradient(shape, outputGradient, weights).Select((v, i) => v + earlier[i]).ToArray(), inputGradient, $"{level} {method} accumulating");
        }

        [Theory]
        [MemberData(nameof(Methods))]
        public void SplitOverThreadsIsBitIdentical(SimdLevel level, DataGradientMethod method)
        {
            // ∂L/∂x has 37 channels (5 blocks of 8, 3 of 16): the pairs of blocks split unevenly; 1.3 M multiply-adds
            // directly, 0.6 M by Winograd (8 rows of tiles), enough to split either way.
            var shape = new ConvolutionShape(37, 16, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(13);
            var outputGradient = GemmTests.Random(rng, shape.OutputLength);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var earlier = GemmTests.Random(rng, shape.InputLength);
            var one = (float[])earlier.Clone();
            var two = (float[])earlier.Clone();
            GemmTests.WithLevel(level, () =>
            {
                var gradient = new DataGradient(shape, method);
                gradient.SetWeights(weights);
                gradient.Compute(outputGradient, one, accumulate: true, threads: 1);
                gradient.Compute(outputGradient, two, accumulate: true, threads: 2);
            });

            Assert.Equal(one, two);
            ConvolutionReference.AssertClose(ConvolutionReference.DataGradient(shape, outputGradient, weights).Select((v, i) => v + earlier[i]).ToArray(), two, $"{level} {method} two threads");
        }

        [Theory]
        [MemberData(nameof(Methods))]
        public void FlipsAgainOnlyWhenTheWeightsChange(SimdLevel level, DataGradientMethod method)
        {
            var shape = Shapes[2];
            var rng = new Random(11);
            var outputGradient = GemmTests.Random(rng, shape.OutputLength);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var inputGradient = new float[shape.InputLength];
            GemmTests.WithLevel(level, () =>
            {
                var gradient = new DataGradient(shape, method);
                Assert.True(gradient.SetWeights(weights));
                Assert.False(gradient.SetWeights(weights));
                weights[7] += 0.5f;
                Assert.True(gradient.SetWeights(weights));
                gradient.Compute(outputGradient, inputGradient, accumulate: false);
            });

            ConvolutionReference.AssertClose(ConvolutionReference.DataGradient(shape, outputGradient, weights), inputGradient, $"{level} {method} after a weight change");
        }

        [Fact]
        public void RejectsWhatItCannotCompute()
        {
            var strided = new ConvolutionShape(8, 9, 9, 8, 3, 3, 2, 2, 1, 1, 1, 1);
            var padded = new ConvolutionShape(8, 9, 9, 8, 3, 3, 1, 1, 3, 1, 1, 1);
            Assert.False(DataGradient.Supports(strided));
            Assert.False(DataGradient.Supports(padded));
            Assert.Contains("stride 2×2", Assert.Throws<ArgumentException>(() => new DataGradient(strided)).Message);
            Assert.Contains("top 3", Assert.Throws<ArgumentException>(() => new DataGradient(padded)).Message);
            Assert.Throws<ArgumentNullException>(() => new DataGradient(null!));
            var fiveByFive = Shapes[0];
            var notThreeByThree = Assert.Throws<ArgumentException>(() => new DataGradient(fiveByFive, DataGradientMethod.Winograd));
            Assert.Equal("method", notThreeByThree.ParamName);
            Assert.Contains("5×5", notThreeByThree.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => new DataGradient(Shapes[1], (DataGradientMethod)7));

            var shape = Shapes[1];
            var gradient = new DataGradient(shape);
            var outputGradient = new float[shape.OutputLength];
            var inputGradient = new float[shape.InputLength];
            Assert.Contains("SetWeights", Assert.Throws<InvalidOperationException>(() => gradient.Compute(outputGradient, inputGradient, accumulate: false)).Message);
            Assert.Equal("weights", Assert.Throws<ArgumentException>(() => gradient.SetWeights(new float[shape.WeightLength - 1])).ParamName);
            gradient.SetWeights(new float[shape.WeightLength]);
            Assert.Equal("outputGradient", Assert.Throws<ArgumentException>(() => gradient.Compute(new float[1], inputGradient, accumulate: false)).ParamName);
            Assert.Equal("inputGradient", Assert.Throws<ArgumentException>(() => gradient.Compute(outputGradient, new float[1], accumulate: false)).ParamName);
            Assert.Throws<ArgumentOutOfRangeException>(() => gradient.Compute(outputGradient, inputGradient, accumulate: false, threads: 0));
        }

        /// <summary>A fresh <see cref="DataGradient"/> at <paramref name="level"/>: weights set, one Compute on one thread.</summary>
        private static void Compute(SimdLevel level, DataGradientMethod method, ConvolutionShape shape, float[] weights, float[] outputGradient, float[] inputGradient, bool accumulate) =>
            GemmTests.WithLevel(level, () =>
            {
                var gradient = new DataGradient(shape, method);
                gradient.SetWeights(weights);
                gradient.Compute(outputGradient, inputGradient, accumulate);
            });

        private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
    }
}
