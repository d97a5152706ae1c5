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
    }
}
