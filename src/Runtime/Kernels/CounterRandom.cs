namespace ConvGen.Kernels
{
    /// <summary>
    /// A stateless, counter-based random source: the value for (seed, stream, index) is a hash of the three, so
    /// parallel workers draw the same numbers whatever the thread count (Dropout masks, initialization).
    /// </summary>
    public static class CounterRandom
    {
        /// <summary>A 64-bit hash of the key (SplitMix64's finalizer over a combined key).</summary>
        public static ulong Hash(ulong seed, ulong stream, ulong index)
        {
            var z = seed + (stream * 0x9E3779B97F4A7C15UL) + (index * 0xD1B54A32D192ED03UL) + 0x632BE59BD9B4E019UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>A float uniform in [0, 1), with 24 random bits.</summary>
        /// <remarks>The 24 bits go through a signed conversion (exact below 2²⁴): x64 has no unsigned 64-bit one, and the JIT's
        /// substitute made this the cost of initializing a network's parameters (13 ns a value).</remarks>
        public static float Uniform(ulong seed, ulong stream, ulong index) =>
            (long)(Hash(seed, stream, index) >> 40) * (1f / (1 << 24));
    }
}
