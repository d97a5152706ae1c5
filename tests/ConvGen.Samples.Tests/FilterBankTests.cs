using System;
using ConvGen.Samples.Filters;

namespace ConvGen.Samples.Tests
{
    public class FilterBankTests
    {
        private static int Channel(string name) => Array.FindIndex(ClassicKernel.All, k => k.Name == name);

        [Fact]
        public void Sharpen_at_the_top_left_corner_sees_zero_padding()
        {
            var image = new float[28 * 28];
            image[0] = 105;
            image[1] = 102;
            image[28] = 103;
            image[29] = 250; // the diagonal neighbour has weight 0 in the sharpen kernel
            var output = new float[FilterBank.OutputLength];

            FilterBank.WithClassicKernels().Forward(image, output);

            // 5·105 − 102 − 103; the padding zeros above and to the left contribute nothing.
            Assert.Equal(320f, output[Channel("Sharpen") * 784], 3);
        }

        [Fact]
        public void Identity_channel_reproduces_the_input_and_box_blur_averages()
        {
            var image = new float[28 * 28];
            for (var i = 0; i < image.Length; i++)
            {
                image[i] = (i * 37 % 101) / 100f;
            }

            var output = new float[FilterBank.OutputLength];
            FilterBank.WithClassicKernels().Forward(image, output);

            Assert.Equal(image, output.AsSpan(Channel("Identity") * 784, 784).ToArray());
            var centre = 10 * 28 + 10;
            var mean = 0f;
            foreach (var dy in new[] { -28, 0, 28 })
            {
                foreach (var dx in new[] { -1, 0, 1 })
                {
                    mean += image[centre + dy + dx] / 9f;
                }
            }

            Assert.Equal(mean, output[Channel("Box blur") * 784 + centre], 4);
        }
    }
}
