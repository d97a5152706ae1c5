using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.ConvolutionBackward;
using ConvGen.Runtime.Tests.Convolution;

namespace ConvGen.Runtime.Tests.ConvolutionBackward
{
    /// <summary>The two kernels of a stride-1 conv's ∂L/∂W without im2col.</summary>
    public enum WeightGradientKernel
    {
        /// <summary><see cref="DirectWeightGradient"/>: pixels in vector lanes over padded rows.</summary>
        Direct,

        /// <summary><see cref="BlockedWeightGradient"/>: output channels in vector lanes over a flat run of pixels.</summary>
        Blocked,

        /// <summary><see cref="WinogradWeightGradient"/>: F(2×2, 3×3), one product over the tiles per transformed position (3×3 kernels only).</summary>
        Winograd,
    }

    /// <summary>The weight-gradient kernels against a float64 reference, on every SIMD level the machine runs.</summary>
    [Collection("Simd")]
    public class WeightGradientTests
    {
        /// <summary>
        /// Stride-1 shapes: 1 and 3 input channels, channel counts off multiples of either tile (4 channels × 3 taps, or
        /// 2 × 6 for 1 or 2 output channels;
        /// 2 blocks of 8 or 16 channels × 6 taps: one block alone below 8 channels, and after full blocks a rest of at most
        /// half a block on the direct kernel, as LeNet-5's 50 = 6·8 + 2, 11 and 9), square and oblong kernels, paddings 0 to beyond the kernel (some one-sided), a kernel as large as the
        /// padded input, 1×1 with padding, and planes from a few pixels to more than one reduction block (62×66).
        /// </summary>
        private static readonly ConvolutionShape[] Shapes =
        {
            new(20, 14, 14, 50, 5, 5, 1, 1, 2, 2, 2, 2),   // LeNet-5 conv2
            new(20, 14, 14, 50, 5, 5, 1, 1, 0, 0, 0, 0),   // LeNet-5 conv2 without padding: 10×10
            new(1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 2, 2),     // LeNet-5 conv1
            new(3, 9, 11, 5, 3, 3, 1, 1, 1, 0, 2, 1),
            new(9, 7, 9, 11, 3, 5, 1, 1, 0, 2, 1, 0),
            new(4, 5, 5, 7, 7, 7, 1, 1, 1, 1, 1, 1),
            new(5, 6, 4, 3, 1, 1, 1, 1, 1, 0, 0, 2),
            new(2, 62, 66, 5, 3, 3, 1, 1, 1, 1, 1, 1),
            new(2, 3, 8, 9, 2, 4, 1, 1, 3, 0, 0, 4),
            new(16, 14, 14, 24, 3, 3, 1, 1, 1, 1, 1, 1),
            new(9, 13, 7, 17, 3, 3, 1, 1, 0, 2, 1, 0),     // odd output sizes: the last tile row and column half outside
            new(12, 40, 36, 10, 3, 3, 1, 1, 1, 1, 1, 1),   // Winograd: 20 tile rows of 18, in chunks of 7 rows (the last shorter)
            new(3, 9, 11, 2, 3, 3, 1, 1, 1, 0, 2, 1),      // 2 output channels: the direct kernel's tiles of 2 channels × 6 taps (27 taps)
            new(7, 7, 10, 1, 5, 5, 1, 1, 2, 2, 2, 2),      // 1 output channel: a zero row in those tiles (175 taps)
        };

        private delegate void Accumulator(ReadOnlySpan<float> inputs, int inputStride, ReadOnlySpan<float> outputGradients, int gradientStride,
            int samples, Span<float> weightGradient, int threads);

        /// <summary>Every kernel × level × shape the kernel computes (Winograd: the 3×3 ones).</summary>
        public static IEnumerable<object[]> Cases() =>
            from kernel in Enum.GetValues<WeightGradientKernel>()
            from level in GemmTests.Levels().Select(l => (SimdLevel)l[0])
            from index in Enumerable.Range(0, Shapes.Length)
            where kernel != WeightGradientKernel.Winograd || WinogradWeightGradient.Supports(Shapes[index])
            select new object[] { kernel, level, index };

        public static IEnumerable<object[]> Levels() =>
            from kernel in Enum.GetValues<WeightGradientKernel>()
            from level in GemmTests.Levels().Select(l => (SimdLevel)l[0])
            select new object[] { kernel, level };

        private static Accumulator Create(WeightGradientKernel kernel, ConvolutionShape shape) => kernel switch
        {
            WeightGradientKernel.Direct => new DirectWeightGradient(shape).Accumulate,
            WeightGradientKernel.Blocked => new BlockedWeightGradient(shape).Accumulate,
            _ => new WinogradWeightGradient(shape).Accumulate,
        };

        private static bool Supports(WeightGradientKernel kernel, ConvolutionShape shape) => kernel switch
        {
            WeightGradientKernel.Direct => DirectWeightGradient.Supports(shape),
            WeightGradientKernel.Blocked => BlockedWeightGradient.Supports(shape),
            _ => WinogradWeightGradient.Supports(shape),
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void MatchesFloat64Reference(WeightGradientKernel kernel, SimdLevel level, int shapeIndex)
        {
            // 7 samples: small planes go several to a chunk with a shorter last chunk (the blocked kernel's chunks of
            // LeNet-5's conv1 hold 2 samples), large ones one at a time.
            var shape = Shapes[shapeIndex];
            const int samples = 7;
            var rng = new Random(shapeIndex + 1);
            var inputs = GemmTests.Random(rng, samples * shape.InputLength);
            var outputGradients = GemmTests.Random(rng, samples * shape.OutputLength);
            var weightGradient = new float[shape.WeightLength];

            GemmTests.WithLevel(level, () => Create(kernel, shape)(
                inputs, shape.InputLength, outputGradients, shape.OutputLength, samples, weightGradient, 1));

            ConvolutionReference.AssertClose(ConvolutionReference.WeightGradient(shape, inputs, shape.InputLength, outputGradients, shape.OutputLength, samples), weightGradient, $"{kernel} {level} {shape}");
        }

        /// <summary>The kernels whose tiles follow <see cref="Simd.Avx512DoublePumped"/> (Winograd's products run on the GEMM, which does not).</summary>
        public static IEnumerable<object[]> DoublePumpedKernels() =>
            new[] { WeightGradientKernel.Direct, WeightGradientKernel.Blocked }.Select(kernel => new object[] { kernel });

        /// <summary>
        /// On a CPU that double-pumps AVX-512 the direct kernel runs its AVX2 tiles at the AVX-512 level: bit for bit the
        /// AVX2 level's result (below AVX-512 the choice changes nothing). The blocked kernel keeps its AVX-512 tiles but
        /// its remainder channels run on the direct kernel, so it mixes the two: close to the float64 reference.
        /// </summary>
        [Theory]
        [MemberData(nameof(DoublePumpedKernels))]
        public void DoublePumpedRunsTheDirectKernelsAvx2Tiles(WeightGradientKernel kernel)
        {
            var level = Simd.Supported;
            var named = level == SimdLevel.Avx512 ? SimdLevel.Avx2 : level;
            for (var index = 0; index < Shapes.Length; index++)
            {
                var shape = Shapes[index];
                const int samples = 3;
                var rng = new Random(index + 40);
                var inputs = GemmTests.Random(rng, samples * shape.InputLength);
                var outputGradients = GemmTests.Random(rng, samples * shape.OutputLength);
                var expected = new float[shape.WeightLength];
                var actual = new float[shape.WeightLength];
                GemmTests.WithKernels(named, doublePumped: false, () => Create(kernel, shape)(
                    inputs, shape.InputLength, outputGradients, shape.OutputLength, samples, expected, 1));
                GemmTests.WithKernels(level, doublePumped: true, () => Create(kernel, shape)(
                    inputs, shape.InputLength, outputGradients, shape.OutputLength, samples, actual, 1));

                if (kernel == WeightGradientKernel.Direct)
                {
                    Assert.Equal(expected, actual);
                }

                ConvolutionReference.AssertClose(ConvolutionReference.WeightGradient(shape, inputs, shape.InputLength, outputGradients, shape.OutputLength, samples), actual, $"{kernel} {level} double-pumped {shape}");
            }
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void IsTheAdjointOfTheForwardConvolution(WeightGradientKernel kernel, SimdLevel level)
        {
            // ⟨∂L/∂W, V⟩ = ⟨∂L/∂y, conv(x; V)⟩ for every V: checked against the float64 forward, not this file's reference.
            var shape = new ConvolutionShape(3, 10, 9, 5, 3, 3, 1, 1, 1, 2, 0, 1);
            var rng = new Random(5);
            var input = GemmTests.Random(rng, shape.InputLength);
            var outputGradient = GemmTests.Random(rng, shape.OutputLength);
            var direction = GemmTests.Random(rng, shape.WeightLength);
            var weightGradient = new float[shape.WeightLength];
            GemmTests.WithLevel(level, () => Create(kernel, shape)(input, shape.InputLength, outputGradient, shape.OutputLength, 1, weightGradient, 1));

            var output = ConvolutionReference.Forward(shape, input, direction, Array.Empty<float>(), Array.Empty<float>(), Activation.None);
            var viaOutput = output.Zip(outputGradient, (y, g) => y * g).Sum();
            var viaWeights = weightGradient.Zip(direction, (g, v) => (double)g * v).Sum();
            Assert.True(Math.Abs(viaOutput - viaWeights) <= 1e-4 * Math.Max(1, Math.Abs(viaOutput)), $"{kernel} {level}: ⟨∂L/∂y, conv(x; V)⟩ = {viaOutput}, ⟨∂L/∂W, V⟩ = {viaWeights}");
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void AddsOntoWhatIsThereAndReadsSamplesAStrideApart(WeightGradientKernel kernel, SimdLevel level)
        {
            // Samples 3 floats further apart than their length (a channel slice of a concatenation); the gaps hold
            // values that must not be read.
            var shape = Shapes[3];
            const int samples = 4, gap = 3;
            var rng = new Random(3);
            var inputs = GemmTests.Random(rng, samples * (shape.InputLength + gap));
            var outputGradients = GemmTests.Random(rng, samples * (shape.OutputLength + gap));
            var earlier = GemmTests.Random(rng, shape.WeightLength);
            var weightGradient = (float[])earlier.Clone();
            GemmTests.WithLevel(level, () => Create(kernel, shape)(
                inputs, shape.InputLength + gap, outputGradients, shape.OutputLength + gap, samples, weightGradient, 1));

            var expected = ConvolutionReference.WeightGradient(shape, inputs, shape.InputLength + gap, outputGradients, shape.OutputLength + gap, samples);
            ConvolutionReference.AssertClose(expected.Select((v, i) => v + earlier[i]).ToArray(), weightGradient, $"{kernel} {level} accumulating, strided");
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void SplitOverThreadsIsBitIdentical(WeightGradientKernel kernel, SimdLevel level)
        {
            // 34 output channels: 9 tiles of 4 channels, or 2 tiles of 2 blocks of 8 (or 1 of 2 blocks of 16 on AVX-512) and
            // the last 2 channels on the direct kernel, split over 2 threads; one sample of 62×66, in two blocks of pixels.
            // Winograd's products split only from 2 × 128 K multiply-adds: 64 × 64 channels × 124 tiles of a chunk.
            var shape = kernel == WeightGradientKernel.Winograd
                ? new ConvolutionShape(64, 30, 30, 64, 3, 3, 1, 1, 1, 1, 1, 1)
                : new ConvolutionShape(6, 62, 66, 34, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(13);
            var input = GemmTests.Random(rng, shape.InputLength);
            var outputGradient = GemmTests.Random(rng, shape.OutputLength);
            var one = new float[shape.WeightLength];
            var two = new float[shape.WeightLength];
            GemmTests.WithLevel(level, () =>
            {
                var gradient = Create(kernel, shape);
                gradient(input, shape.InputLength, outputGradient, shape.OutputLength, 1, one, 1);
                gradient(input, shape.InputLength, outputGradient, shape.OutputLength, 1, two, 2);
            });

            Assert.Equal(one, two);
            ConvolutionReference.AssertClose(ConvolutionReference.WeightGradient(shape, input, shape.InputLength, outputGradient, shape.OutputLength, 1), two, $"{kernel} {level} two threads");
        }

        [Theory]
        [InlineData(WeightGradientKernel.Direct)]
        [InlineData(WeightGradientKernel.Blocked)]
        [InlineData(WeightGradientKernel.Winograd)]
        public void RejectsWhatItCannotCompute(WeightGradientKernel kernel)
        {
            var strided = new ConvolutionShape(8, 9, 9, 8, 3, 3, 1, 2, 1, 1, 1, 1);
            Assert.False(Supports(kernel, strided));
            Assert.Contains("stride 1×2", Assert.Throws<ArgumentException>(() => Create(kernel, strided)).Message);
            Assert.Throws<ArgumentNullException>(() => Create(kernel, null!));
            if (kernel == WeightGradientKernel.Winograd)
            {
                Assert.False(Supports(kernel, Shapes[0]));
                Assert.Contains("5×5 kernel", Assert.Throws<ArgumentException>(() => Create(kernel, Shapes[0])).Message);
            }

            var shape = Shapes[3];
            var gradient = Create(kernel, shape);
            var inputs = new float[2 * shape.InputLength];
            var outputGradients = new float[2 * shape.OutputLength];
            var weightGradient = new float[shape.WeightLength];
            Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => gradient(inputs, shape.InputLength, outputGradients, shape.OutputLength, 3, weightGradient, 1)).ParamName);
            Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => gradient(inputs, shape.InputLength - 1, outputGradients, shape.OutputLength, 1, weightGradient, 1)).ParamName);
            Assert.Equal("outputGradients", Assert.Throws<ArgumentException>(() => gradient(inputs, shape.InputLength, outputGradients, shape.OutputLength + 1, 2, weightGradient, 1)).ParamName);
            Assert.Equal("weightGradient", Assert.Throws<ArgumentException>(() => gradient(inputs, shape.InputLength, outputGradients, shape.OutputLength, 2, new float[1], 1)).ParamName);
            Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => gradient(inputs, shape.InputLength, outputGradients, shape.OutputLength, -1, weightGradient, 1)).ParamName);
            Assert.Equal("threads", Assert.Throws<ArgumentOutOfRangeException>(() => gradient(inputs, shape.InputLength, outputGradients, shape.OutputLength, 2, weightGradient, 0)).ParamName);
        }
    }
}
