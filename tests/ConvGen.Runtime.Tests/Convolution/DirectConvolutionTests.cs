using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;

namespace ConvGen.Runtime.Tests.Convolution
{
    [Collection("Simd")]
    public class DirectConvolutionTests
    {
        /// <summary>Shapes: channels on and off multiples of 8 and 16, kernels 1 to 7, strides 1 and 2, paddings 0 to 3 (some one-sided), odd sizes.</summary>
        internal static readonly ConvolutionShape[] Shapes =
        {
            new(3, 7, 9, 5, 3, 3, 1, 1, 1, 1, 1, 1),
            new(1, 28, 28, 20, 5, 5, 1, 1, 2, 2, 2, 2),    // LeNet-5 conv1
            new(20, 14, 14, 50, 5, 5, 1, 1, 2, 2, 2, 2),   // LeNet-5 conv2
            new(13, 11, 10, 17, 7, 7, 2, 2, 3, 3, 3, 3),
            new(16, 8, 8, 24, 1, 1),
            new(9, 13, 12, 33, 3, 3, 2, 2, 1, 1, 1, 1),
            new(8, 6, 5, 8, 5, 5, 1, 1, 2, 2, 2, 2),
            new(17, 9, 7, 7, 3, 5, 2, 1, 0, 2, 1, 0),
            new(40, 12, 12, 40, 3, 3),
            new(32, 10, 10, 16, 2, 2, 2, 2),
            new(64, 9, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1),
            new(24, 7, 7, 31, 1, 1, 2, 2),
            new(5, 3, 3, 3, 7, 7, 1, 1, 3, 3, 3, 3),
            new(24, 7, 7, 20, 3, 3, 1, 1, 1, 1, 1, 1),     // tiles run on across rows on the vector paths
            new(19, 14, 14, 24, 3, 3, 2, 2, 1, 1, 1, 1),   // stride 2: rows of whole tiles
        };

        public static IEnumerable<object[]> Cases() =>
            from level in Enum.GetValues<SimdLevel>()
            where level <= Simd.Supported
            from index in Enumerable.Range(0, Shapes.Length)
            select new object[] { level, index };

        /// <summary>The activations a convolution can end in, one per shape in turn.</summary>
        private static readonly Activation[] Epilogues = { Activation.None, Activation.ReLU, Activation.Tanh, Activation.Sigmoid, Activation.ReLU6 };

        [Theory]
        [MemberData(nameof(Cases))]
        public void MatchesFloat64Reference(SimdLevel level, int shapeIndex)
        {
            var shape = Shapes[shapeIndex];
            var rng = new Random(shapeIndex + 1);
            var input = Random(rng, shape.InputLength);
            var weights = Random(rng, shape.WeightLength);
            var scale = shapeIndex % 3 == 0 ? Array.Empty<float>() : Random(rng, shape.OutChannels);
            var shift = shapeIndex % 3 == 1 ? Array.Empty<float>() : Random(rng, shape.OutChannels);
            var activation = Epilogues[shapeIndex % Epilogues.Length];
            var output = new float[shape.OutputLength];

            WithLevel(level, () => new DirectConvolution(shape).Forward(input, weights, scale, shift, activation, output));

            ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, scale, shift, activation), output, $"{level} {shape}");
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void BlockRangesComputeOnlyTheirChannels(SimdLevel level)
        {
            var shape = new ConvolutionShape(11, 9, 10, 45, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(7);
            var input = Random(rng, shape.InputLength);
            var weights = Random(rng, shape.WeightLength);
            var shift = Random(rng, shape.OutChannels);
            var expected = ConvolutionReference.Forward(shape, input, weights, Array.Empty<float>(), shift, Activation.ReLU);
            WithLevel(level, () =>
            {
                var conv = new DirectConvolution(shape);
                conv.SetWeights(weights);
                var packed = new float[conv.PackedInputLength];
                conv.PackInput(input, packed);
                var output = Enumerable.Repeat(float.NaN, shape.OutputLength).ToArray();
                var plane = shape.OutHeight * shape.OutWidth;

                // The first block alone: its channels are written, every other channel is left as it was.
                conv.Compute(packed, default, shift, Activation.ReLU, output, 0, 1);
                Assert.All(output.Skip(conv.BlockWidth * plane), v => Assert.True(float.IsNaN(v)));
                Assert.DoesNotContain(output.Take(conv.BlockWidth * plane), float.IsNaN);

                // The rest in two uneven ranges completes the same result as one call over every block.
                var middle = (conv.OutputBlocks + 1) / 2;
                conv.Compute(packed, default, shift, Activation.ReLU, output, 1, middle);
                conv.Compute(packed, default, shift, Activation.ReLU, output, middle, conv.OutputBlocks);
                ConvolutionReference.AssertClose(expected, output, $"{level} ranges");
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void RepacksOnlyWhenTheWeightsChange(SimdLevel level)
        {
            var shape = new ConvolutionShape(10, 6, 6, 12, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(3);
            var input = Random(rng, shape.InputLength);
            var weights = Random(rng, shape.WeightLength);
            var output = new float[shape.OutputLength];
            WithLevel(level, () =>
            {
                var conv = new DirectConvolution(shape);
                Assert.True(conv.SetWeights(weights));
                Assert.False(conv.SetWeights(weights));

                weights[17] += 0.5f;
                conv.Forward(input, weights, default, default, Activation.None, output);
                ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, Array.Empty<float>(), Array.Empty<float>(), Activation.None), output, "after a weight change");
                Assert.False(conv.SetWeights(weights));
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void OneInstanceServesSeveralThreadsAtOnce(SimdLevel level)
        {
            // As the generated code uses it: one instance per layer, every worker calling Forward with the live weights.
            var shape = new ConvolutionShape(12, 10, 10, 20, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(11);
            var weights = Random(rng, shape.WeightLength);
            var inputs = Enumerable.Range(0, 16).Select(_ => Random(rng, shape.InputLength)).ToArray();
            var outputs = inputs.Select(_ => new float[shape.OutputLength]).ToArray();
            WithLevel(level, () =>
            {
                var conv = new DirectConvolution(shape);
                System.Threading.Tasks.Parallel.For(0, inputs.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 4 },
                    n => conv.Forward(inputs[n], weights, default, default, Activation.None, outputs[n]));
            });

            for (var n = 0; n < inputs.Length; n++)
            {
                ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, inputs[n], weights, Array.Empty<float>(), Array.Empty<float>(), Activation.None), outputs[n], $"{level} sample {n}");
            }
        }

        /// <summary>
        /// Fewer input blocks than threads (a stem's 3 channels): the threads pack the input by rows, each clearing only its
        /// share; with the AVX2 tail (10 = 8 + 2 output channels) the plain copy is split the same way. One input row and
        /// two threads leaves a part with no rows.
        /// </summary>
        [Theory]
        [MemberData(nameof(Levels))]
        public void FewInputChannelsArePackedByRowsOverThreadsBitIdentically(SimdLevel level)
        {
            var shapes = new[]
            {
                new ConvolutionShape(3, 40, 40, 16, 7, 7, 2, 2, 3, 3, 3, 3),
                new ConvolutionShape(3, 30, 30, 10, 5, 5, 1, 1, 2, 2, 2, 2),
                new ConvolutionShape(5, 1, 2000, 16, 1, 3, 1, 1, 0, 1, 0, 1),
            };
            foreach (var shape in shapes)
            {
                var rng = new Random(shape.InChannels + shape.InHeight);
                var input = Random(rng, shape.InputLength);
                var weights = Random(rng, shape.WeightLength);
                var shift = Random(rng, shape.OutChannels);
                var one = new float[shape.OutputLength];
                WithLevel(level, () =>
                {
                    var conv = new DirectConvolution(shape);
                    conv.Forward(input, weights, default, shift, Activation.ReLU, one, threads: 1);
                    foreach (var threads in new[] { 2, 3 })
                    {
                        // NaN in this thread's packed input first, so padding no part cleared would show in the output.
                        var many = new float[shape.OutputLength];
                        ((float[])typeof(DirectConvolution).GetField("t_input", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!).AsSpan().Fill(float.NaN);
                        conv.Forward(input, weights, default, shift, Activation.ReLU, many, threads);
                        Assert.Equal(one, many);
                    }
                });

                ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, Array.Empty<float>(), shift, Activation.ReLU), one, $"{level} {shape}");
            }
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void SplitOverThreadsIsBitIdentical(SimdLevel level)
        {
            // 5 blocks of 8 (or 3 of 16) output channels: the pairs split unevenly; 1.3 M multiply-adds, enough to split.
            var shape = new ConvolutionShape(16, 16, 16, 37, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(13);
            var input = Random(rng, shape.InputLength);
            var weights = Random(rng, shape.WeightLength);
            var shift = Random(rng, shape.OutChannels);
            var one = new float[shape.OutputLength];
            var two = new float[shape.OutputLength];
            WithLevel(level, () =>
            {
                var conv = new DirectConvolution(shape);
                conv.Forward(input, weights, default, shift, Activation.ReLU, one, threads: 1);
                conv.Forward(input, weights, default, shift, Activation.ReLU, two, threads: 2);
            });

            Assert.Equal(one, two);
            ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, Array.Empty<float>(), shift, Activation.ReLU), two, $"{level} two threads");
            Assert.Throws<ArgumentOutOfRangeException>(() => new DirectConvolution(shape).Forward(input, weights, default, shift, Activation.ReLU, two, threads: 0));
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void ChunkedReductionAndStripsSplitOverThreadsMatchTheReference(SimdLevel level)
        {
            // 70 input channels: several reduction chunks, the last block partial; 400 output pixels: several strips;
            // 16 output channels: a single pair of 8-wide blocks (one 16-wide block), so two threads must split the strips.
            var shape = new ConvolutionShape(70, 20, 20, 16, 3, 3, 1, 1, 1, 1, 1, 1);
            var rng = new Random(17);
            var input = Random(rng, shape.InputLength);
            var weights = Random(rng, shape.WeightLength);
            var scale = Random(rng, shape.OutChannels);
            var shift = Random(rng, shape.OutChannels);
            var one = new float[shape.OutputLength];
            var two = new float[shape.OutputLength];
            WithLevel(level, () =>
            {
                var layout = new BlockedLayout(shape, level);
                Assert.True(layout.ChunkBlocks < layout.InBlocks, $"{level}: {layout.ChunkBlocks} of {layout.InBlocks} blocks per chunk");
                Assert.True(layout.Strips > 1, $"{level}: {layout.Strips} strip");
                var conv = new DirectConvolution(shape);
                conv.Forward(input, weights, scale, shift, Activation.Tanh, one, threads: 1);
                conv.Forward(input, weights, scale, shift, Activation.Tanh, two, threads: 2);
            });

            Assert.Equal(one, two);
            ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, scale, shift, Activation.Tanh), two, $"{level} chunks and strips");
        }

        [Fact]
        public void TilesNumberThePixelsAsTheKernelCanReadThem()
        {
            // AVX2 reads each pixel through a table: the tiles run flat over the output, rows end to end, so a 7×7
            // output is 49 pixels in 9 tiles of 6, and stride 2 (28×28 out) 784 pixels in 131 tiles.
            var narrow = new BlockedLayout(new ConvolutionShape(64, 7, 7, 64, 3, 3, 1, 1, 1, 1, 1, 1), SimdLevel.Avx2);
            Assert.Equal((true, 7, 9), (narrow.Flat, narrow.TileRowWidth, narrow.Tiles));
            var strided = new BlockedLayout(new ConvolutionShape(64, 56, 56, 128, 3, 3, 2, 2, 1, 1, 1, 1), SimdLevel.Avx2);
            Assert.Equal((true, 28, 131), (strided.Flat, strided.TileRowWidth, strided.Tiles));

            // AVX-512 steps evenly from pixel to pixel (8 per tile): a 10×10 output of a padded 3×3 conv runs on across
            // rows numbered 12 wide (the padded input row), 120 pixels in 15 tiles, instead of 10 rows of two tiles (160).
            var runOn = new BlockedLayout(new ConvolutionShape(64, 10, 10, 64, 3, 3, 1, 1, 1, 1, 1, 1), SimdLevel.Avx512);
            Assert.Equal((false, 12, 15), (runOn.Flat, runOn.TileRowWidth, runOn.Tiles));

            // At stride 2 running on would compute every other row as well, so rows stay whole tiles (28 → 32 wide).
            var rows = new BlockedLayout(new ConvolutionShape(64, 56, 56, 128, 3, 3, 2, 2, 1, 1, 1, 1), SimdLevel.Avx512);
            Assert.Equal((false, 32, 28 * 4), (rows.Flat, rows.TileRowWidth, rows.Tiles));

            // The scalar tile is one pixel: rows are exactly the output width.
            var scalar = new BlockedLayout(new ConvolutionShape(64, 7, 7, 64, 3, 3, 1, 1, 1, 1, 1, 1), SimdLevel.Scalar);
            Assert.Equal((7, 49), (scalar.TileRowWidth, scalar.Tiles));
        }

        public static IEnumerable<object[]> NarrowCases() =>
            from level in Enum.GetValues<SimdLevel>()
            where level <= Simd.Supported
            from width in Enumerable.Range(1, 20)
            select new object[] { level, width };

        [Theory]
        [MemberData(nameof(NarrowCases))]
        public void NarrowPlanesMatchTheReferenceOnOneAndTwoThreads(SimdLevel level, int width)
        {
            // Planes 1 to 20 wide: flat tiles start and end anywhere in a row, and the last one of the plane is partial.
            // 3×3 or 5×5 kernels (padded to keep the size), every fourth width at stride 2; 23 input channels (the last
            // block partial), 21, 29 or 37 output channels (a pair of blocks and a lone last block on 8-wide blocks).
            var kernel = width % 2 == 0 ? 3 : 5;
            var stride = width % 4 == 3 ? 2 : 1;
            var shape = new ConvolutionShape(23, 11, width, 21 + (width % 3 * 8), kernel, kernel, stride, stride, kernel / 2, kernel / 2, kernel / 2, kernel / 2);
            var rng = new Random(100 + width);
            var input = Random(rng, shape.InputLength);
            var weights = Random(rng, shape.WeightLength);
            var shift = Random(rng, shape.OutChannels);
            var one = new float[shape.OutputLength];
            var two = new float[shape.OutputLength];
            WithLevel(level, () =>
            {
                var conv = new DirectConvolution(shape);
                conv.Forward(input, weights, default, shift, Activation.None, one, threads: 1);
                conv.Forward(input, weights, default, shift, Activation.None, two, threads: 2);
            });

            ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, Array.Empty<float>(), shift, Activation.None), one, $"{level} {shape}");
            Assert.Equal(one, two);
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void RepackingChangedWeightsDoesNotAllocate(SimdLevel level)
        {
            // As in training: the optimizer changes the weights before every forward.
            var shape = new ConvolutionShape(20, 14, 14, 50, 5, 5, 1, 1, 2, 2, 2, 2);
            var rng = new Random(19);
            var weights = Random(rng, shape.WeightLength);
            WithLevel(level, () =>
            {
                var conv = new DirectConvolution(shape);
                conv.SetWeights(weights);
                weights[0] += 1f;
                conv.SetWeights(weights);
                var before = GC.GetAllocatedBytesForCurrentThread();
                weights[0] += 1f;
                Assert.True(conv.SetWeights(weights));
                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            });
        }

        [Fact]
        public void RepacksWhenTheSimdLevelChanges()
        {
            var shape = new ConvolutionShape(20, 5, 5, 20, 3, 3);
            var rng = new Random(5);
            var weights = Random(rng, shape.WeightLength);
            var conv = new DirectConvolution(shape);
            WithLevel(SimdLevel.Scalar, () => Assert.True(conv.SetWeights(weights)));
            WithLevel(Simd.Supported, () => Assert.Equal(Simd.Supported != SimdLevel.Scalar, conv.SetWeights(weights)));
        }

        [Fact]
        public void RejectsBadShapes()
        {
            Assert.Equal("inChannels", Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionShape(0, 5, 5, 4, 3, 3)).ParamName);
            Assert.Equal("strideWidth", Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionShape(2, 5, 5, 4, 3, 3, 1, 0)).ParamName);
            Assert.Equal("padLeft", Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionShape(2, 5, 5, 4, 3, 3, 1, 1, 0, -1)).ParamName);
            var tooHigh = Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionShape(2, 2, 5, 4, 5, 3, 1, 1, 1, 0, 1, 0));
            Assert.Contains("4 rows", tooHigh.Message);
        }

        [Fact]
        public void RejectsBadArguments()
        {
            var shape = new ConvolutionShape(3, 6, 6, 10, 3, 3);
            var conv = new DirectConvolution(shape);
            var output = new float[shape.OutputLength];
            Assert.Contains("SetWeights", Assert.Throws<InvalidOperationException>(() => conv.PackInput(new float[shape.InputLength], new float[1])).Message);

            var weightError = Assert.Throws<ArgumentException>(() => conv.SetWeights(new float[shape.WeightLength - 1]));
            Assert.Equal("weights", weightError.ParamName);
            Assert.Contains($"needs {shape.WeightLength}", weightError.Message);

            conv.SetWeights(new float[shape.WeightLength]);
            var packed = new float[conv.PackedInputLength];
            Assert.Equal("input", Assert.Throws<ArgumentException>(() => conv.PackInput(new float[shape.InputLength + 1], packed)).ParamName);
            Assert.Equal("packedInput", Assert.Throws<ArgumentException>(() => conv.PackInput(new float[shape.InputLength], new float[3])).ParamName);
            Assert.Equal("output", Assert.Throws<ArgumentException>(() => conv.Compute(packed, default, default, Activation.None, new float[5], 0, 1)).ParamName);
            Assert.Equal("scale", Assert.Throws<ArgumentException>(() => conv.Compute(packed, new float[3], default, Activation.None, output, 0, 1)).ParamName);
            Assert.Equal("shift", Assert.Throws<ArgumentException>(() => conv.Compute(packed, default, new float[11], Activation.None, output, 0, 1)).ParamName);
            Assert.Contains("Softmax", Assert.Throws<ArgumentException>(() => conv.Compute(packed, default, default, Activation.Softmax, output, 0, 1)).Message);
            Assert.Equal("firstBlock", Assert.Throws<ArgumentOutOfRangeException>(() => conv.Compute(packed, default, default, Activation.None, output, -1, 1)).ParamName);
            Assert.Equal("endBlock", Assert.Throws<ArgumentOutOfRangeException>(() => conv.Compute(packed, default, default, Activation.None, output, 0, conv.OutputBlocks + 1)).ParamName);
            Assert.Throws<ArgumentNullException>(() => new DirectConvolution(null!));
            Assert.Contains("SetWeights must be called", Assert.Throws<InvalidOperationException>(
                () => new DirectConvolution(shape).Apply(new float[shape.InputLength], default, default, Activation.None, output)).Message);
        }

        public static IEnumerable<object[]> Levels() =>
            Enum.GetValues<SimdLevel>().Where(level => level <= Simd.Supported).Select(level => new object[] { level });

        private static float[] Random(Random rng, int length) =>
            Enumerable.Range(0, length).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();

        private static void WithLevel(SimdLevel level, Action action) => GemmTests.WithLevel(level, action);
    }
}
