using System;
using ConvGen.Data;

namespace ConvGen.Runtime.Tests.Data
{
    public class DatasetTests
    {
        private static Dataset Sample() =>
            new(new float[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, new[] { 7, 8, 9 }, channels: 1, height: 2, width: 2);

        [Fact]
        public void Exposes_samples_and_labels()
        {
            var data = Sample();
            Assert.Equal(3, data.Count);
            Assert.Equal(4, data.SampleLength);
            Assert.Equal(new float[] { 4, 5, 6, 7 }, data.Image(1).ToArray());
            Assert.Equal(9, data.Label(2));
            Assert.Throws<ArgumentOutOfRangeException>(() => data.Image(3).ToArray());
        }

        [Fact]
        public void Subsets_copy_ranges_and_index_lists()
        {
            var range = Sample().Subset(1, 2);
            Assert.Equal(new[] { 8, 9 }, range.Labels.ToArray());
            Assert.Equal(new float[] { 4, 5, 6, 7, 8, 9, 10, 11 }, range.Images.ToArray());
            var picked = Sample().Subset(new[] { 2, 0 });
            Assert.Equal(new[] { 9, 7 }, picked.Labels.ToArray());
            Assert.Equal(new float[] { 8, 9, 10, 11, 0, 1, 2, 3 }, picked.Images.ToArray());
            Assert.Throws<ArgumentOutOfRangeException>(() => Sample().Subset(2, 2));
        }

        [Fact]
        public void Rejects_lengths_that_do_not_match()
        {
            var exception = Assert.Throws<ArgumentException>(() => new Dataset(new float[11], new int[3], 1, 2, 2));
            Assert.Contains("need 12 floats", exception.Message);
            Assert.Contains("holds 11", exception.Message);
            Assert.Throws<ArgumentException>(() => new Dataset(new float[0], new int[0], 0, 2, 2));
        }
    }
}
