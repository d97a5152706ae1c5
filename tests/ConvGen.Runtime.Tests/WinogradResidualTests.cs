using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;
using ConvGen.Runtime.Tests.Convolution;

namespace ConvGen.Runtime.Tests
{
    /// <summary>
    /// The Winograd convolution with a residual block's Add fused into its epilogue (<see cref="ResidualConvolutionTests"/>),
    /// on whole and cut 2×2 tiles.
    /// </summary>
    public class WinogradResidualTests : ResidualConvolutionTests
    {
        /// <summary>
        /// 9×11 outputs (the last tile column half cut, the last tile row without its bottom row; split over tile rows),
        /// 7×7 (the same cuts; split over output-channel panels, the last one partly filled) and 31×37 with one-sided
        /// padding (two full groups of eight tiles and a partial one per tile row); each is at least three parts' worth of
        /// work, so threads 2 and 3 really split it.
        /// </summary>
        private static readonly ConvolutionShape[] EdgeTileShapes =
        {
            new(32, 9, 11, 40, 3, 3, 1, 1, 1, 1, 1, 1),
            new(48, 7, 7, 48, 3, 3, 1, 1, 1, 1, 1, 1),
            new(16, 33, 37, 20, 3, 3, 1, 1, 0, 1, 0, 1),
        };

        protected override ConvolutionShape[] Shapes => EdgeTileShapes;

        /// <summary>Corners of the 9×11 output: a first tile, a half-cut tile, a tile without its bottom row.</summary>
        protected override (ConvolutionShape Shape, int[] NaN, int[] Positive, int[] Negative) NonFinite
        {
            get
            {
                var shape = EdgeTileShapes[0];
                var plane = shape.OutHeight * shape.OutWidth;
                return (shape, new[] { 0 }, new[] { plane + shape.OutWidth - 1 }, new[] { shape.OutputLength - 1 });
            }
        }

        protected override (ResidualApply Apply, PlainApply Plain) Create(ConvolutionShape shape, float[] weights)
        {
            var conv = new WinogradConvolution(shape);
            conv.SetWeights(weights);
            return (conv.Apply, conv.Apply);
        }
    }
}
