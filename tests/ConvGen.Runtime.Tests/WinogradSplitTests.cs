using System;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;
using ConvGen.Runtime.Tests.Convolution;

namespace ConvGen.Runtime.Tests
{
    /// <summary>How one Winograd convolution splits over threads: by tile rows, or by output channels on small outputs.</summary>
    [Collection("Simd")]
    public class WinogradSplitTests
    {
        [Theory]
        [InlineData(7, 7, 2, true)] // 4 tile rows of 4 tiles: two rows of tiles still fill a whole 16-tile panel
        [InlineData(7, 7, 3, true)]
        [InlineData(14, 14, 2, false)] // 7 tile rows of 7 tiles: 3 and 4 rows pad like the whole output's chunks
        [InlineData(56, 56, 2, false)]
        [InlineData(33, 23, 2, false)]
        public void Small_outputs_split_by_output_channels_and_larger_ones_by_tile_rows(int height, int width, int parts, bool byPanels)
        {
            var tiling = new WinogradTiling(new ConvolutionShape(64, height, width, 64, 3, 3, 1, 1, 1, 1, 1, 1));
            Assert.Equal(byPanels, tiling.SplitsByPanels(parts));
        }

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void A_split_by_output_channels_is_bit_identical_to_one_thread(SimdLevel level)
        {
            // 7×7 output: 40 channels in 7 row panels (the last one partly filled), split into 2 and 3 ranges of panels;
            // ReLU6 runs as a pass over each range's channels after the epilogue.
            var shape = new ConvolutionShape(32, 7, 7, 40, 3, 3, 1, 1, 1, 1, 1, 1);
            Assert.True(new WinogradTiling(shape).SplitsByPanels(2));
            var rng = new Random(17);
            var input = GemmTests.Random(rng, shape.InputLength);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var scale = GemmTests.Random(rng, shape.OutChannels);
            var shift = GemmTests.Random(rng, shape.OutChannels);
            var one = new float[shape.OutputLength];
            var two = new float[shape.OutputLength];
            var three = new float[shape.OutputLength];
            GemmTests.WithLevel(level, () =>
            {
                var conv = new WinogradConvolution(shape);
                conv.Forward(input, weights, scale, shift, Activation.ReLU6, one, threads: 1);
                conv.Forward(input, weights, scale, shift, Activation.ReLU6, two, threads: 2);
                conv.Forward(input, weights, scale, shift, Activation.ReLU6, three, threads: 3);
            });

            Assert.Equal(one, two);
            Assert.Equal(one, three);
            ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, scale, shift, Activation.ReLU6), two, $"{level} two threads");
        }
    }
}
