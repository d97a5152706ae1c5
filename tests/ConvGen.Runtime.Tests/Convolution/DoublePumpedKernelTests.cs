using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.ConvolutionBackward;
using ConvGen.Runtime.Tests.ConvolutionBackward;

namespace ConvGen.Runtime.Tests.Convolution
{
    /// <summary>
    /// The direct convolution's choice of kernel width on a CPU that double-pumps AVX-512 (<see cref="Simd.Avx512DoublePumped"/>):
    /// the rule, and that the kernels it names run, bit for bit, with their own packing. The other direct-convolution
    /// tests run the AVX-512 level as full width (<see cref="GemmTests.WithLevel"/>), so both widths run on any AVX-512 CPU.
    /// </summary>
    [Collection("Simd")]
    public class DoublePumpedKernelTests
    {
        [Fact]
        public void Avx2KernelsRunOnDoublePumpedAvx512ButForStrideOneFewChannelsAndWholeTileRows()
        {
            static SimdLevel Kernels(ConvolutionShape shape, SimdLevel level = SimdLevel.Avx512, bool doublePumped = true) =>
                BlockedLayout.KernelLevel(shape, level, doublePumped);

            var leNetConv2 = new ConvolutionShape(20, 14, 14, 50, 5, 5, 1, 1, 2, 2, 2, 2);
            var firstLayer = new ConvolutionShape(3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1);
            Assert.Equal(SimdLevel.Avx2, Kernels(leNetConv2));
            Assert.Equal(SimdLevel.Avx512, Kernels(leNetConv2, doublePumped: false));
            Assert.Equal(SimdLevel.Avx512, Kernels(firstLayer));
            Assert.Equal(SimdLevel.Avx512, Kernels(new ConvolutionShape(8, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1)));

            // One more input channel, a row not a multiple of 8, or stride 2: the AVX2 kernels.
            Assert.Equal(SimdLevel.Avx2, Kernels(new ConvolutionShape(9, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1)));
            Assert.Equal(SimdLevel.Avx2, Kernels(new ConvolutionShape(3, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1)));
            Assert.Equal(SimdLevel.Avx2, Kernels(new ConvolutionShape(3, 64, 64, 16, 3, 3, 2, 2, 1, 1, 1, 1)));
            Assert.Equal(SimdLevel.Avx2, Kernels(new ConvolutionShape(3, 64, 64, 16, 3, 3, 1, 2, 1, 1, 1, 1)));

            // Below AVX-512 the width says nothing.
            Assert.Equal(SimdLevel.Avx2, Kernels(firstLayer, SimdLevel.Avx2));
            Assert.Equal(SimdLevel.Scalar, Kernels(leNetConv2, SimdLevel.Scalar));
        }

        /// <summary>The direct-convolution tests' shapes (all on the AVX2 side of the rule) and some the rule keeps on AVX-512.</summary>
        private static readonly ConvolutionShape[] ForwardShapes = DirectConvolutionTests.Shapes.Concat(new ConvolutionShape[]
        {
            new(3, 8, 16, 5, 3, 3, 1, 1, 1, 1, 1, 1),
            new(8, 5, 8, 24, 3, 3, 1, 1, 1, 1, 1, 1),
            new(1, 12, 16, 40, 5, 5, 1, 1, 2, 2, 2, 2),
            new(6, 9, 20, 33, 5, 5),
        }).ToArray();

        /// <summary>The data-gradient tests' shapes and one whose transposed convolution the rule keeps on AVX-512 (8 channels of ∂y, 32 wide).</summary>
        private static readonly ConvolutionShape[] GradientShapes =
            DataGradientTests.Shapes.Append(new ConvolutionShape(16, 32, 32, 8, 3, 3, 1, 1, 1, 1, 1, 1)).ToArray();

        public static IEnumerable<object[]> Shapes() => Enumerable.Range(0, ForwardShapes.Length).Select(index => new object[] { index });

        /// <summary>
        /// On the best level this CPU has, the double-pumped choice runs the kernels the rule names: their block width,
        /// and their output bit for bit (taken with the full-width choice at the named level), close to the float64
        /// reference; switching the choice repacks exactly when the kernels change. On an AVX-512 CPU every shape of
        /// the direct-convolution tests is run, on both sides of the rule; below AVX-512 the choice must change nothing.
        /// </summary>
        [Theory]
        [MemberData(nameof(Shapes))]
        public void DoublePumpedRunsTheNamedKernelsBitForBit(int shapeIndex)
        {
            var shape = ForwardShapes[shapeIndex];
            var rng = new Random(shapeIndex + 20);
            var input = GemmTests.Random(rng, shape.InputLength);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var shift = GemmTests.Random(rng, shape.OutChannels);
            var activation = new[] { Activation.ReLU, Activation.Tanh, Activation.Sigmoid }[shapeIndex % 3];
            var level = Simd.Supported;
            var named = BlockedLayout.KernelLevel(shape, level, doublePumped: true);
            var expected = new float[shape.OutputLength];
            var actual = new float[shape.OutputLength];
            var conv = new DirectConvolution(shape);

            GemmTests.WithKernels(named, doublePumped: false, () => new DirectConvolution(shape).Forward(input, weights, default, shift, activation, expected));
            GemmTests.WithKernels(level, doublePumped: true, () =>
            {
                conv.Forward(input, weights, default, shift, activation, actual);
                Assert.Equal(named == SimdLevel.Avx512 ? 16 : 8, conv.BlockWidth);
            });
            GemmTests.WithKernels(level, doublePumped: false, () => Assert.Equal(named != level, conv.SetWeights(weights)));

            Assert.Equal(expected, actual);
            ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, Array.Empty<float>(), shift, activation), actual, $"{level} double-pumped {shape}");
        }

        /// <summary>The data gradient runs on the direct convolution's kernels, so it follows the choice too: bit for bit the named level's.</summary>
        [Fact]
        public void DataGradientFollowsTheChoice()
        {
            foreach (var shape in GradientShapes)
            {
                var rng = new Random(shape.InChannels);
                var outputGradient = GemmTests.Random(rng, shape.OutputLength);
                var weights = GemmTests.Random(rng, shape.WeightLength);
                var expected = new float[shape.InputLength];
                var actual = new float[shape.InputLength];
                var level = Simd.Supported;
                var named = BlockedLayout.KernelLevel(
                    new ConvolutionShape(shape.OutChannels, shape.OutHeight, shape.OutWidth, shape.InChannels, shape.KernelHeight, shape.KernelWidth, 1, 1,
                        shape.KernelHeight - 1 - shape.PadTop, shape.KernelWidth - 1 - shape.PadLeft, shape.KernelHeight - 1 - shape.PadBottom, shape.KernelWidth - 1 - shape.PadRight),
                    level, doublePumped: true);
                GemmTests.WithKernels(named, doublePumped: false, () => Gradient(shape, weights, outputGradient, expected));
                GemmTests.WithKernels(level, doublePumped: true, () => Gradient(shape, weights, outputGradient, actual));

                Assert.Equal(expected, actual);
                ConvolutionReference.AssertClose(ConvolutionReference.DataGradient(shape, outputGradient, weights), actual, $"{level} double-pumped ∂x {shape}");
            }

            static void Gradient(ConvolutionShape shape, float[] weights, float[] outputGradient, float[] inputGradient)
            {
                var gradient = new DataGradient(shape);
                gradient.SetWeights(weights);
                gradient.Compute(outputGradient, inputGradient, accumulate: false);
            }
        }

        /// <summary>
        /// The choice starts as the environment says, else as detected (every test that changes it puts it back).
        /// </summary>
        [Fact]
        public void StartsAsTheEnvironmentSaysElseAsDetected()
        {
            var expected = Environment.GetEnvironmentVariable("CONVGEN_AVX512_WIDTH")?.Trim().ToLowerInvariant() switch
            {
                "full" => false,
                "half" => true,
                _ => Simd.DetectedAvx512DoublePumped,
            };
            Assert.Equal(expected, Simd.Avx512DoublePumped);
        }

        /// <summary>
        /// The detection agrees with the kernel's own account of the CPU (Linux): AMD family 19h (25) is double-pumped,
        /// every other CPU is taken as full width.
        /// </summary>
        [Fact]
        public void DetectionAgreesWithProcCpuinfo()
        {
            if (!File.Exists("/proc/cpuinfo"))
            {
                return;
            }

            var lines = File.ReadAllLines("/proc/cpuinfo");
            string Field(string name) => lines.First(line => line.StartsWith(name, StringComparison.Ordinal) && line[name.Length..].TrimStart().StartsWith(':'))
                .Split(':', 2)[1].Trim();
            if (!lines.Any(line => line.StartsWith("vendor_id", StringComparison.Ordinal)))
            {
                return;
            }

            var zen4Family = Field("vendor_id") == "AuthenticAMD" && Field("cpu family") == "25";
            Assert.Equal(zen4Family, Simd.DetectedAvx512DoublePumped);
        }
    }
}
