namespace ConvGen.Threading
{
    /// <summary>Splits a range into contiguous parts the same way every time, so a given part count gives the same work to each part.</summary>
    public static class Partition
    {
        /// <summary>The half-open range [Start, End) of part <paramref name="part"/> of <paramref name="parts"/> over [0, <paramref name="total"/>).</summary>
        public static (int Start, int End) Range(int total, int part, int parts)
        {
            var start = (int)((long)total * part / parts);
            var end = (int)((long)total * (part + 1) / parts);
            return (start, end);
        }

        /// <summary>
        /// Part <paramref name="part"/> of <paramref name="parts"/> of a run of <paramref name="total"/> floats cut into
        /// <see cref="BlockLength"/>-float blocks: its start and length. Blocks are a multiple of every vector width, so each
        /// element of an element-wise kernel takes the same vector or scalar path whatever the part count.
        /// </summary>
        public static (int Start, int Length) Block(int total, int part, int parts)
        {
            var (first, end) = Range((total + BlockLength - 1) / BlockLength, part, parts);
            var start = first * BlockLength;
            return (start, System.Math.Min(end * BlockLength, total) - start);
        }

        /// <summary>The floats in one block of <see cref="Block"/>.</summary>
        public const int BlockLength = 64;

        /// <summary>
        /// Multiply-adds a part must hold before another thread is worth its fork and join through
        /// <see cref="WorkerPool"/>: about 3 µs of a packed product on one AVX2 core (40 multiply-adds per ns). Measured on
        /// the 2-core AVX2 machine with the workers polling: the fork and join itself costs under a microsecond, but the
        /// second core also reads operands that sit in the first one's cache (and, when measured, packed its own copy of the
        /// shared one, which the parts of a split by columns now share), so
        /// products of 16×64×{64–256} and 64×64×{64–128}, and max pools of 150–190 thousand (estimated) multiply-adds, ran
        /// no faster or slower on two threads, and from about 2 × this much on they ran 1.1–1.5× faster.
        /// </summary>
        internal const long MinMultiplyAddsPerPart = 128 * 1024;

        /// <summary>
        /// How many parts one kernel call of <paramref name="multiplyAdds"/> in <paramref name="units"/> indivisible units
        /// splits into when granted <paramref name="threads"/>: 1 inside a pool body (never nested) or when the work is too
        /// small, else as many as the grant, the units and the work allow.
        /// </summary>
        internal static int Parts(int threads, long units, long multiplyAdds)
        {
            if (threads == 1 || WorkerPool.IsRunningBody)
            {
                return 1;
            }

            return (int)System.Math.Max(1, System.Math.Min(System.Math.Min(threads, units), multiplyAdds / MinMultiplyAddsPerPart));
        }
    }
}
