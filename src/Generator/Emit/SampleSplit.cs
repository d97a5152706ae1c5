namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// A step that can split each sample's work: its method takes <c>(worker, part, parts)</c> and does part <c>part</c> of
    /// <c>parts</c> of <paramref name="Units"/> independent units (channels, 64-float blocks) of each of the worker's samples.
    /// The runner splits them when the whole batch runs on one worker and <paramref name="Work"/> (multiply-adds per sample, or
    /// their equivalent) is worth a fork and join; every unit is computed by the same code whatever the split.
    /// </summary>
    internal sealed record SampleSplit(int Units, long Work)
    {
        /// <summary>
        /// What moving one value through memory (a read or a write of an element-wise pass) counts as, in multiply-adds of
        /// a packed product: both run at a few per nanosecond on one core, the pass a few times slower.
        /// </summary>
        private const long MultiplyAddsPerValue = 4;

        /// <summary>
        /// The float block a <see cref="Blocks"/> split cuts samples into: a multiple of every vector width (4, 8, 16); the
        /// runtime's <c>Partition.BlockLength</c>, which cuts them in the generated code.
        /// </summary>
        public const int BlockLength = 64;

        /// <summary>A pass over <paramref name="units"/> independent units that reads and writes <paramref name="values"/> values per sample.</summary>
        public static SampleSplit Pass(int units, long values) => new(units, values * MultiplyAddsPerValue);

        /// <summary>
        /// An element-wise pass over <paramref name="length"/> floats per sample in <see cref="BlockLength"/>-float blocks
        /// (<c>Partition.Block</c> in the runtime), touching <paramref name="valuesPerElement"/> values per element.
        /// </summary>
        public static SampleSplit Blocks(int length, int valuesPerElement) => Pass((length + BlockLength - 1) / BlockLength, (long)length * valuesPerElement);
    }
}
