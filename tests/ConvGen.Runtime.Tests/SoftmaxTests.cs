using System;
using System.Linq;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests
{
    /// <summary>The one softmax: over a vector, and over the channels of each pixel of a C×H×W sample (a pixel's channels a plane apart).</summary>
    public sealed class SoftmaxTests
    {
        private const int Channels = 3;
        private const int Plane = 4;

        [Fact]
        public void The_softmax_over_channels_is_the_vector_softmax_of_each_pixels_channels()
        {
            var random = new Random(3);
            var x = Enumerable.Range(0, Channels * Plane).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
            var y = new float[x.Length];
            VectorOps.Softmax(x, y, Channels);

            for (var p = 0; p < Plane; p++)
            {
                var pixel = Enumerable.Range(0, Channels).Select(c => x[(c * Plane) + p]).ToArray();
                var expected = new float[Channels];
                VectorOps.Softmax(pixel, expected);
                Assert.Equal(expected, Enumerable.Range(0, Channels).Select(c => y[(c * Plane) + p]));
                Assert.Equal(1.0, expected.Sum(v => (double)v), 5);
            }
        }

        [Fact]
        public void The_softmax_backward_over_channels_is_the_vector_backward_of_each_pixels_channels()
        {
            var random = new Random(4);
            var y = new float[Channels * Plane];
            VectorOps.Softmax(Enumerable.Range(0, y.Length).Select(_ => (float)random.NextDouble()).ToArray(), y, Channels);
            var dy = Enumerable.Range(0, y.Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            var dx = new float[y.Length];
            VectorOps.SoftmaxBackward(dy, y, dx, Channels);

            for (var p = 0; p < Plane; p++)
            {
                float[] Pixel(float[] values) => Enumerable.Range(0, Channels).Select(c => values[(c * Plane) + p]).ToArray();
                var expected = new float[Channels];
                VectorOps.SoftmaxBackward(Pixel(dy), Pixel(y), expected);
                Assert.Equal(expected, Pixel(dx));
            }
        }

        [Fact]
        public void A_length_that_does_not_split_into_the_channels_is_refused()
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => VectorOps.Softmax(new float[10], new float[10], Channels));
            Assert.Equal("channels", error.ParamName);
            Assert.Contains("10 values do not split into 3 channels", error.Message);
        }
    }
}
