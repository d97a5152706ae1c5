using System;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests.Kernels
{
    /// <summary>The counter-based source that initialization and Dropout draw from.</summary>
    public sealed class CounterRandomTests
    {
        [Theory]
        [InlineData(0UL, 0UL)]
        [InlineData(1UL, 3UL)]
        [InlineData(ulong.MaxValue, ulong.MaxValue)]
        public void Uniform_is_the_top_24_bits_of_the_hash_over_two_to_the_24(ulong seed, ulong stream)
        {
            // Every value the conversion can meet: exact in double, so any rounding or sign slip shows.
            foreach (var index in new[] { 0UL, 1UL, 2UL, 12345UL, 1UL << 40, ulong.MaxValue - 1, ulong.MaxValue })
            {
                var bits = CounterRandom.Hash(seed, stream, index) >> 40;
                var uniform = CounterRandom.Uniform(seed, stream, index);
                Assert.Equal(bits / 16777216.0, (double)uniform);
                Assert.InRange(uniform, 0f, 1f - (1f / 16777216f));
            }
        }

        [Fact]
        public void Uniform_reaches_both_ends_of_its_range_when_the_hash_does()
        {
            // Find indices whose hash has nearly all-ones and all-zero top bits among the first few million: the conversion must map
            // them to within 64·2⁻²⁴ of 1 and of 0 exactly (an unsigned value read as signed would come out negative).
            var (sawHigh, sawLow) = (false, false);
            for (var index = 0UL; index < 4_000_000 && !(sawHigh && sawLow); index++)
            {
                var top = CounterRandom.Hash(7, 0, index) >> 40;
                if (top >= (1UL << 24) - 64)
                {
                    Assert.Equal((float)top / 16777216f, CounterRandom.Uniform(7, 0, index));
                    sawHigh = true;
                }
                else if (top < 64)
                {
                    Assert.Equal(top / 16777216f, CounterRandom.Uniform(7, 0, index));
                    sawLow = true;
                }
            }

            Assert.True(sawHigh && sawLow);
        }
    }
}
