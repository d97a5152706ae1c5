using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Data;

namespace ConvGen.Runtime.Tests.Data
{
    public class RandomShiftTests
    {
        private const int Channels = 2;
        private const int Height = 5;
        private const int Width = 6;
        private const int ImageLength = Channels * Height * Width;

        /// <summary>Distinct non-zero pixel values, so any misplaced or missing pixel changes the image.</summary>
        private static float[] Images(int count) => Enumerable.Range(1, count * ImageLength).Select(v => (float)v).ToArray();

        /// <summary>The definition: pixel (c, y, x) of the result is pixel (c, y − dy, x − dx) of the source, or 0 outside it.</summary>
        private static float[] Moved(float[] source, int dy, int dx)
        {
            var result = new float[ImageLength];
            for (var c = 0; c < Channels; c++)
            {
                for (var y = 0; y < Height; y++)
                {
                    for (var x = 0; x < Width; x++)
                    {
                        var (sy, sx) = (y - dy, x - dx);
                        result[(c * Height + y) * Width + x] = sy is >= 0 and < Height && sx is >= 0 and < Width ? source[(c * Height + sy) * Width + sx] : 0;
                    }
                }
            }

            return result;
        }

        [Fact]
        public void Shift_moves_every_channel_by_dy_dx_and_fills_the_uncovered_border_with_zeros()
        {
            var original = Images(1);
            for (var dy = -Height - 1; dy <= Height + 1; dy++)
            {
                for (var dx = -Width - 1; dx <= Width + 1; dx++)
                {
                    var image = (float[])original.Clone();
                    RandomShift.Shift(image, Channels, Height, Width, dy, dx);
                    Assert.True(Moved(original, dy, dx).AsSpan().SequenceEqual(image), $"shift ({dy}, {dx})");
                }
            }
        }

        [Fact]
        public void Apply_shifts_each_image_by_the_shift_of_its_sample_and_epoch()
        {
            var augmentation = new RandomShift(maxShift: 2, seed: 11);
            int[] samples = [40, 3, 17];
            var batch = Images(samples.Length);
            var original = (float[])batch.Clone();

            augmentation.Apply(batch, Channels, Height, Width, samples, epoch: 4);

            for (var i = 0; i < samples.Length; i++)
            {
                var (dy, dx) = augmentation.ShiftOf(4, samples[i]);
                var expected = Moved(original.AsSpan(i * ImageLength, ImageLength).ToArray(), dy, dx);
                Assert.True(expected.AsSpan().SequenceEqual(batch.AsSpan(i * ImageLength, ImageLength)), $"image {i} (sample {samples[i]}, shift ({dy}, {dx}))");
            }
        }

        [Fact]
        public void An_image_gets_the_same_shift_in_any_batch_or_position()
        {
            var augmentation = new RandomShift(maxShift: 2, seed: 5);
            var together = Images(2);
            var alone = together.AsSpan(ImageLength, ImageLength).ToArray();

            augmentation.Apply(together, Channels, Height, Width, [9, 21], epoch: 1);
            augmentation.Apply(alone, Channels, Height, Width, [21], epoch: 1);

            Assert.True(alone.AsSpan().SequenceEqual(together.AsSpan(ImageLength, ImageLength)));
        }

        [Fact]
        public void Shifts_are_a_function_of_seed_epoch_and_sample()
        {
            List<(int, int)> Shifts(int seed, int epoch) =>
                Enumerable.Range(0, 200).Select(sample => new RandomShift(2, seed).ShiftOf(epoch, sample)).ToList();

            Assert.Equal(Shifts(seed: 1, epoch: 0), Shifts(seed: 1, epoch: 0));
            Assert.NotEqual(Shifts(seed: 1, epoch: 0), Shifts(seed: 2, epoch: 0));
            Assert.NotEqual(Shifts(seed: 1, epoch: 0), Shifts(seed: 1, epoch: 1));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Shifts_stay_within_the_bound_and_reach_every_value_in_it(int maxShift)
        {
            var augmentation = new RandomShift(maxShift, seed: 3);
            var shifts = Enumerable.Range(0, 2000).Select(sample => augmentation.ShiftOf(epoch: 2, sample)).ToList();

            var allowed = Enumerable.Range(-maxShift, 2 * maxShift + 1).ToArray();
            Assert.Equal(allowed, shifts.Select(s => s.Dy).Distinct().Order());
            Assert.Equal(allowed, shifts.Select(s => s.Dx).Distinct().Order());

            // Each of the (2n+1)² pairs should come up about 2000 / (2n+1)² times; a lopsided draw would miss this by far.
            var expected = 2000.0 / (allowed.Length * allowed.Length);
            Assert.All(shifts.GroupBy(s => s).Select(g => g.Count()), count => Assert.InRange(count, expected * 0.6, expected * 1.4));
        }

        [Fact]
        public void Bad_arguments_are_reported_with_what_is_wrong()
        {
            Assert.Contains("must not be negative", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomShift(-1, seed: 0)).Message);

            var exception = Assert.Throws<ArgumentException>(() => new RandomShift(2, 0).Apply(new float[ImageLength + 1], Channels, Height, Width, [0], 0));
            Assert.Contains($"need {ImageLength} floats", exception.Message);
            Assert.Contains($"holds {ImageLength + 1}", exception.Message);

            Assert.Contains("must be positive", Assert.Throws<ArgumentException>(() => RandomShift.Shift(new float[4], 0, 2, 2, 1, 1)).Message);
            Assert.Contains("has 8 floats, not 4", Assert.Throws<ArgumentException>(() => RandomShift.Shift(new float[4], 2, 2, 2, 1, 1)).Message);
        }
    }
}
