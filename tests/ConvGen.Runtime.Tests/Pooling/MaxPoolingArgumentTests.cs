using System;
using ConvGen.Kernels.Pooling;

namespace ConvGen.Runtime.Tests.Pooling
{
    /// <summary>Bad geometry or spans get an exception naming the argument and what is wrong.</summary>
    public class MaxPoolingArgumentTests
    {
        [Theory]
        [InlineData(0, 8, 4, 4, 2, 2, 0, "inHeight")]
        [InlineData(8, 8, 4, 0, 2, 2, 0, "outWidth")]
        [InlineData(8, 8, 4, 4, 0, 2, 0, "size")]
        [InlineData(8, 8, 4, 4, 2, 0, 0, "stride")]
        [InlineData(8, 8, 4, 4, 2, 2, -1, "padding")]
        [InlineData(8, 8, 8, 8, 3, 1, 3, "padding")]   // the padding fills the whole window
        [InlineData(8, 8, 5, 4, 2, 2, 0, "outHeight")] // the fifth window starts at row 8, past the input
        [InlineData(8, 8, 4, 6, 3, 2, 1, "outWidth")]  // the sixth window starts at column 9
        public void RejectsBadGeometry(int inHeight, int inWidth, int outHeight, int outWidth, int size, int stride, int padding, string parameter)
        {
            var input = new float[2 * Math.Max(inHeight, 1) * inWidth];
            var output = new float[2 * Math.Max(outHeight, 1) * Math.Max(outWidth, 1)];
            var error = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => MaxPooling.Forward(input, output, inHeight, inWidth, outHeight, outWidth, size, stride, padding));
            Assert.Equal(parameter, error.ParamName);
        }

        [Fact]
        public void RejectsSpansThatDoNotFitThePlanes()
        {
            var ragged = Assert.Throws<ArgumentException>(() => MaxPooling.Forward(new float[(3 * 16) + 1], new float[3 * 4], 4, 4, 2, 2, size: 2, stride: 2, padding: 0));
            Assert.Equal("input", ragged.ParamName);
            Assert.Contains("not a whole number of 4×4 planes", ragged.Message, StringComparison.Ordinal);

            var shortOutput = Assert.Throws<ArgumentException>(() => MaxPooling.Forward(new float[3 * 16], new float[(3 * 4) - 1], 4, 4, 2, 2, size: 2, stride: 2, padding: 0));
            Assert.Equal("output", shortOutput.ParamName);
            Assert.Contains("3 channels of 2×2 need 12", shortOutput.Message, StringComparison.Ordinal);
        }
    }
}
