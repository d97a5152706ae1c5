using System;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;

namespace ConvGen.Runtime.Tests.Convolution
{
    /// <summary>
    /// The direct convolution with a residual block's Add fused into its epilogue (<see cref="ResidualConvolutionTests"/>),
    /// through each of its store paths (a tile's register transpose, a plane's last tile pixel by pixel, the tail
    /// kernel's vectors of a row); and what only it has: a block range, and a residual overlapping the output refused.
    /// </summary>
    public class DirectResidualTests : ResidualConvolutionTests
    {
        /// <summary>
        /// On AVX2 (tiles of 6 pixels over each plane as one flat run), each enough work for three parts:
        /// [0] two full blocks, a plane of 45 whole tiles running on across rows 15 wide: every tile through the transpose;
        /// [1] stride 2, 20 channels (a pair and a lone block of 4 lanes), a plane of 196 pixels: its last tile of 4 pixel by pixel;
        /// [2] 20 channels at stride 1: the lone last block of 4 on the tail kernel, rows of 19 as two vectors and a
        ///     3-lane one, the blocked pair's last tile (380 pixels) pixel by pixel;
        /// [3] one input channel: every block on the tail kernel, rows of 37 ending in a 5-lane vector;
        /// [4] three input channels (a stem's), a plane of 1023 pixels ending in a tile of 3.
        /// </summary>
        private static readonly ConvolutionShape[] StorePathShapes =
        {
            new(16, 18, 15, 16, 3, 3, 1, 1, 1, 1, 1, 1),
            new(16, 27, 27, 20, 3, 3, 2, 2, 1, 1, 1, 1),
            new(11, 20, 19, 20, 3, 3, 1, 1, 1, 1, 1, 1),
            new(1, 40, 37, 12, 5, 5, 1, 1, 2, 2, 2, 2),
            new(3, 33, 31, 16, 3, 3, 1, 1, 1, 1, 1, 1),
        };

        protected override ConvolutionShape[] Shapes => StorePathShapes;

        /// <summary>On AVX2, in shape [2]: a transposed tile, the blocked pair's last tile (pixel by pixel), the tail's masked last vector of a row.</summary>
        protected override (ConvolutionShape Shape, int[] NaN, int[] Positive, int[] Negative) NonFinite
        {
            get
            {
                var shape = StorePathShapes[2];
                var plane = shape.OutHeight * shape.OutWidth;
                return (shape,
                    new[] { 0, (5 * plane) + plane - 1, (17 * plane) + 18 },
                    new[] { (3 * plane) + 40, (15 * plane) + plane - 2, (19 * plane) + 17 },
                    new[] { (9 * plane) + 100, (8 * plane) + plane - 1, (16 * plane) + (5 * shape.OutWidth) + 16 });
            }
        }

        protected override (ResidualApply Apply, PlainApply Plain) Create(ConvolutionShape shape, float[] weights)
        {
            var conv = new DirectConvolution(shape);
            conv.SetWeights(weights);
            return (conv.Apply, conv.Apply);
        }

        [Fact]
        public void The_shapes_reach_every_store_path_on_avx2()
        {
            var layouts = StorePathShapes.Select(shape => new BlockedLayout(shape, SimdLevel.Avx2)).ToArray();
            static bool LastTilePartial(BlockedLayout layout) => layout.Pixels % layout.Tile != 0;

            Assert.Equal(new[] { false, true, true, true, true }, layouts.Select(LastTilePartial));
            Assert.Equal(new[] { 2, 3, 2, 0, 2 }, layouts.Select(layout => layout.TailFirstBlock));
            Assert.Equal(new[] { 2, 3, 3, 2, 2 }, layouts.Select(layout => layout.OutBlocks));
            Assert.All(StorePathShapes, shape => Assert.True(shape.Flops / 2 >= 3 * 128 * 1024, $"{shape} is too little work for three parts"));
        }

        [Theory]
        [MemberData(nameof(GemmTests.Levels), MemberType = typeof(GemmTests))]
        public void Compute_of_a_block_range_adds_to_its_channels_only(SimdLevel level)
        {
            // 20 channels: blocks [1, 3) are the pair's second block and the lone last one of 4 lanes, here a pair for the
            // blocked kernel (in the whole call the last is the tail kernel's on AVX2, which adds the same products in the same order).
            var shape = StorePathShapes[2];
            var rng = new Random(17);
            var conv = new DirectConvolution(shape);
            var weights = GemmTests.Random(rng, shape.WeightLength);
            var input = GemmTests.Random(rng, shape.InputLength);
            var scale = GemmTests.Random(rng, shape.OutChannels);
            var shift = GemmTests.Random(rng, shape.OutChannels);
            var residual = GemmTests.Random(rng, shape.OutputLength);
            var whole = new float[shape.OutputLength];
            var range = Enumerable.Repeat(-7f, shape.OutputLength).ToArray();
            var first = 0;
            GemmTests.WithLevel(level, () =>
            {
                conv.SetWeights(weights);
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
        [InlineData(1)]
        [InlineData(3)]
        public void Rejects_a_residual_that_overlaps_the_output_without_being_it(int threads)
        {
            var shape = StorePathShapes[0];
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
    }
}
