using System;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>The lecture's worked convolution and pooling examples, through generated networks with weights set by the test.</summary>
    [Collection("Simd")]
    public sealed class WorkedExampleTests
    {
        private static readonly float[] FourByFour = { 1, 2, 4, 3, 5, 6, 8, 7, 9, 10, 12, 11, 13, 14, 16, 2 };

        public static TheoryData<SimdLevel> Levels() => new(TestData.Levels());

        [Theory]
        [MemberData(nameof(Levels))]
        public void Two_by_two_kernel_on_four_by_four(SimdLevel level)
        {
            var net = new Conv2x2On4x4();
            new float[] { 1, -2, -3, 4 }.CopyTo(net.Parameters["conv1.weight"].Values);
            Assert.Equal(new float[] { 6, 8, 2, 6, 8, 2, 6, 8, -50 }, Run(net, FourByFour, level));
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void X_shaped_kernel_on_a_binary_image(SimdLevel level)
        {
            var net = new Conv3x3On5x5();
            new float[] { 1, 0, 1, 0, 1, 0, 1, 0, 1 }.CopyTo(net.Parameters["conv1.weight"].Values);
            var image = new float[]
            {
                1, 1, 1, 0, 0,
                0, 1, 1, 1, 0,
                0, 0, 1, 1, 1,
                0, 0, 1, 1, 0,
                0, 1, 1, 0, 0,
            };
            Assert.Equal(new float[] { 4, 3, 4, 2, 4, 3, 2, 3, 4 }, Run(net, image, level));
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void Pooling_examples(SimdLevel level)
        {
            Assert.Equal(new float[] { 6, 8, 14, 16 }, Run(new MaxPool2On4x4(), FourByFour, level));
            var small = new float[] { 2, 3, 1, 9, 4, 7, 3, 5, 8, 2, 2, 2, 1, 3, 4, 5 };
            Assert.Equal(new float[] { 7, 9, 8, 5 }, Run(new MaxPool2On4x4(), small, level));
            // The lecture's table gives 3.25 for the bottom-left window too, but (8 + 2 + 1 + 3) / 4 = 3.5.
            Assert.Equal(new float[] { 4, 4.5f, 3.5f, 3.25f }, Run(new AvgPool2On4x4(), small, level));
            var overlapping = new float[] { 1, 1, 2, 5, 5, 7, 7, 8, 3, 1, 1, 0, 1, 2, 3, 4 };
            Assert.Equal(new float[] { 7, 7, 8, 7, 7, 8, 3, 3, 4 }, Run(new MaxPool2Stride1On4x4(), overlapping, level));

            // A 5×5 image built so that every 3×3 window's maximum comes from a different place.
            var fiveByFive = new float[]
            {
                1, 2, 3, 1, 2,
                0, 9, 1, 2, 0,
                2, 1, 0, 5, 3,
                3, 0, 2, 1, 4,
                8, 1, 6, 2, 9,
            };
            Assert.Equal(new float[] { 9, 9, 5, 9, 9, 5, 8, 6, 9 }, Run(new MaxPool3Stride1On5x5(), fiveByFive, level));
        }

        [Fact]
        public void Max_pool_backward_routes_to_the_first_maximum_like_pytorch()
        {
            var net = new MaxPool2On4x4();
            var ties = new float[] { 5, 5, 1, 1, 5, 5, 1, 1, 0, 0, 3, 3, 0, 0, 3, 3 };
            net.Forward(ties, new float[4]);
            var inputGradient = new float[16];
            net.Backward(new float[] { 1, 2, 3, 4 }, inputGradient, 1);
            Assert.Equal(new float[] { 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0 }, inputGradient);
        }

        private static float[] Run(INetwork net, float[] input, SimdLevel level)
        {
            var output = new float[net.OutputLength];
            TestData.WithLevel(level, () => net.Forward(input, output));
            return output.ToArray();
        }
    }
}
