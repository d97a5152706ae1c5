using System.Collections.Generic;
using System.Linq;
using ConvGen.Threading;

namespace ConvGen.Runtime.Tests
{
    /// <summary>How work is cut into parts: contiguous, covering, and for element-wise kernels in whole vector-safe blocks.</summary>
    public sealed class PartitionTests
    {
        public static IEnumerable<object[]> BlockCases() =>
            from total in new[] { 1, 63, 64, 65, 200, 4096, 802816 }
            from parts in new[] { 1, 2, 3, 7 }
            where parts <= (total + Partition.BlockLength - 1) / Partition.BlockLength
            select new object[] { total, parts };

        [Theory]
        [MemberData(nameof(BlockCases))]
        public void Blocks_cover_the_run_in_order_and_every_part_but_the_last_ends_on_a_whole_block(int total, int parts)
        {
            var next = 0;
            for (var part = 0; part < parts; part++)
            {
                var (start, length) = Partition.Block(total, part, parts);
                Assert.Equal(next, start);
                Assert.True(length > 0, $"part {part} of {parts} over {total} is empty");
                Assert.Equal(0, start % Partition.BlockLength);
                next = start + length;
            }

            Assert.Equal(total, next);
        }

        [Fact]
        public void One_part_is_the_whole_run()
        {
            Assert.Equal((0, 802816), Partition.Block(802816, 0, 1));
            Assert.Equal((0, 10), Partition.Block(10, 0, 1));
        }
    }
}
