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
    public class DirectWeightGradientTests
    {
        /// <summary>
        /// Stride-1 shapes: 1 and 3 input channels, channel counts off multiples of the 4×3 tile (LeNet-5's 20→50), square
        /// and oblong kernels, paddings 0 to beyond the kernel (some one-sided), a kernel as large as the padded input, 1×1
        /// with padding, and planes from a few pixels to more than one reduction block (62×66).
        /// </summary>
        private static readonly ConvolutionShape[] Shapes =
        {
            new(20, 14, 14, 50, 5, 5, 1, 1, 2, 2, 2, 2),   // LeNet-5 conv2
            new(1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 2, 2),     // LeNet-5 conv1
            new(3, 9, 11, 5, 3, 3, 1, 1, 1, 0, 2, 1),
            new(9, 7, 9, 11, 3, 5, 1, 1, 0, 2, 1, 0),
            new(4, 5, 5, 7, 7, 7, 1, 1, 1, 1, 1, 1),
            new(5, 6, 4, 3, 1, 1, 1, 1, 1, 0, 0, 2),
            new(2, 62, 66, 5, 3, 3, 1, 1, 1, 1, 1, 1),
            new(2, 3, 8, 9, 2, 4, 1, 1, 3, 0, 0, 4),
        };

        public static IEnumerable<object[]> Cases() =>
            from level in Levels().Select(l => (SimdLevel)l[0])
            from index in Enumerable.Range(0, Shapes.Length)
            select new object[] { level, index };

        public static IEnumerable<object[]> Levels() => GemmTests.Levels();

        [Theory]
        [MemberData(nameof(Cases))]
        public void MatchesFloat64Reference(SimdLevel level, int shapeIndex)
        {
            // 7 samples: small planes go several to a chunk with a shorter last chunk.
            var shape = Shapes[shapeIndex];
            const int samples = 7;
            var rng = new Random(shapeIndex + 1);
            var inputs = GemmTests.Random(rng, samples * shape.InputLength);
            var outputGradients = GemmTests.Random(rng, samples * shape.OutputLength);
            var weightGradient = new float[shape.WeightLength];

            GemmTests.WithLevel(level, () => new DirectWeightGradient(shape).Accumulate(
                inputs, shape.InputLength, outputGradients, shape.OutputLength, samples, weightGradient));

            ConvolutionReference.AssertClose(Reference(shape, inputs, shape.InputLength, outputGradients, shape.OutputLength, samples), weightGradient, $"{level} {shape}");
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void IsTheAdjointOfTheForwardConvolution(SimdLevel level)
        {
            // ⟨∂L/∂W, V⟩ = ⟨∂L/∂y, conv(x; V)⟩ for every V: checked against the float64 forward, not this file's reference.
            var shape = new ConvolutionShape(3, 10, 9, 5, 3, 3, 1, 1, 1, 2, 0, 1);
            var rng = new Random(5);
            var input = GemmTests.Random(rng, shape.InputLength);
            var outputGradient = GemmTests.Random(rng, shape.OutputLength);
            var direction = GemmTests.Random(rng, shape.WeightLength);
            var weightGradient = new float[shape.WeightLength];
            GemmTests.WithLevel(level, () => new DirectWeightGradient(shape).Accumulate(input, shape.InputLength, outputGradient, shape.OutputLength, 1, weightGradient));

            var output = ConvolutionReference.Forward(shape, input, direction, Array.Empty<float>(), Array.Empty<float>(), Activation.None);
            var viaOutput = output.Zip(outputGradient, (y, g) => y * g).Sum();
            var viaWeights = weightGradient.Zip(direction, (g, v) => (double)g * v).Sum();
            Assert.True(Math.Abs(viaOutput - viaWeights) <= 1e-4 * Math.Max(1, Math.Abs(viaOutput)), $"{level}: ⟨∂L/∂y, conv(x; V)⟩ = {viaOutput}, ⟨∂L/∂W, V⟩ = {viaWeights}");
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void AddsOntoWhatIsThereAndReadsSamplesAStrideApart(SimdLevel level)
        {
            // Samples 3 floats further apart than their length (a channel slice of a concatenation); the gaps hold
            // values that must not be read.
            var shape = Shapes[2];
            const int samples = 4, gap = 3;
            var rng = new Random(3);
            var inputs = GemmTests.Random(rng, samples * (shape.InputLength + gap));
            var outputGradients = GemmTests.Random(rng, samples * (shape.OutputLength + gap));
            var earlier = GemmTests.Random(rng, shape.WeightLength);
            var weightGradient = (float[])earlier.Clone();
            GemmTests.WithLevel(level, () => new DirectWeightGradient(shape).Accumulate(
                inputs, shape.InputLength + gap, outputGradients, shape.OutputLength + gap, samples, weightGradient));

            var expected = Reference(shape, inputs, shape.InputLength + gap, outputGradients, shape.OutputLength + gap, samples);
            ConvolutionReference.AssertClose(expected.Select((v, i) => v + earlier[i]).ToArray(), weightGradient, $"{level} accumulating, strided");
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void SplitOverThreadsIsBitIdentical(SimdLevel level)
        {
            // 18 output channels: 5 tiles of 4 split unevenly over 2 threads; one sample of 62×66, in two blocks.
            var shape = new ConvolutionShape(6, 62, 66, 18, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(13);
            var input = GemmTests.Random(rng, shape.InputLength);
            var outputGradient = GemmTests.Random(rng, shape.OutputLength);
            var one = new float[shape.WeightLength];
            var two = new float[shape.WeightLength];
            GemmTests.WithLevel(level, () =>
            {
                var gradient = new DirectWeightGradient(shape);
                gradient.Accumulate(input, shape.InputLength, outputGradient, shape.OutputLength, 1, one, threads: 1);
                gradient.Accumulate(input, shape.InputLength, outputGradient, shape.OutputLength, 1, two, threads: 2);
            });

            Assert.Equal(one, two);
            ConvolutionReference.AssertClose(Reference(shape, input, shape.InputLength, outputGradient, shape.OutputLength, 1), two, $"{level} two threads");
        }

        [Fact]
        public void RejectsWhatItCannotCompute()
        {
            var strided = new ConvolutionShape(8, 9, 9, 8, 3, 3, 1, 2, 1, 1, 1, 1);
            Assert.False(DirectWeightGradient.Supports(strided));
            Assert.Contains("stride 1×2", Assert.Throws<ArgumentException>(() => new DirectWeightGradient(strided)).Message);
            Assert.Throws<ArgumentNullException>(() => new DirectWeightGradient(null!));

            var shape = Shapes[2];
            var gradient = new DirectWeightGradient(shape);
            var inputs = new float[2 * shape.InputLength];
            var outputGradients = new float[2 * shape.OutputLength];
            var weightGradient = new float[shape.WeightLength];
            Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => gradient.Accumulate(inputs, shape.InputLength, outputGradients, shape.OutputLength, 3, weightGradient)).ParamName);
            Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => gradient.Accumulate(inputs, shape.InputLength - 1, outputGradients, shape.OutputLength, 1, weightGradient)).ParamName);
            Assert.Equal("outputGradients", Assert.Throws<ArgumentException>(() => gradient.Accumulate(inputs, shape.InputLength, outputGradients, shape.OutputLength + 1, 2, weightGradient)).ParamName);
            Assert.Equal("weightGradient", Assert.Throws<ArgumentException>(() => gradient.Accumulate(inputs, shape.InputLength, outputGradients, shape.OutputLength, 2, new float[1])).ParamName);
            Assert.Throws<ArgumentOutOfRangeException>(() => gradient.Accumulate(inputs, shape.InputLength, outputGradients, shape.OutputLength, -1, weightGradient));
            Assert.Throws<ArgumentOutOfRangeException>(() => gradient.Accumulate(inputs, shape.InputLength, outputGradients, shape.OutputLength, 2, weightGradient, threads: 0));
        }

        /// <summary>∂L/∂W[o, i, ky, kx] = Σ over samples and outputs of ∂L/∂y[o, oy, ox] · x[i, oy + ky − padTop, ox + kx − padLeft], in float64.</summary>
        private static double[] Reference(ConvolutionShape s, float[] inputs, int inputStride, float[] outputGradients, int gradientStride, int samples)
        {
            var dw = new double[s.WeightLength];
            for (var n = 0; n < samples; n++)
            for (var o = 0; o < s.OutChannels; o++)
            for (var i = 0; i < s.InChannels; i++)
            for (var ky = 0; ky < s.KernelHeight; ky++)
            for (var kx = 0; kx < s.KernelWidth; kx++)
            {
                double sum = 0;
                for (var oy = 0; oy < s.OutHeight; oy++)
                for (var ox = 0; ox < s.OutWidth; ox++)
                {
                    var iy = oy + ky - s.PadTop;
                    var ix = ox + kx - s.PadLeft;
                    if (iy < 0 || iy >= s.InHeight || ix < 0 || ix >= s.InWidth) continue;
                    sum += (double)outputGradients[(n * gradientStride) + (((o * s.OutHeight) + oy) * s.OutWidth) + ox]
                        * inputs[(n * inputStride) + (((i * s.InHeight) + iy) * s.InWidth) + ix];
                }

                dw[(((((o * s.InChannels) + i) * s.KernelHeight) + ky) * s.KernelWidth) + kx] += sum;
            }

            return dw;
        }
    }
}
