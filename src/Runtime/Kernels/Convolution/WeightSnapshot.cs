using System;
using System.Runtime.InteropServices;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// A copy of the weights a convolution kernel last packed (or transformed), so it repacks only when they change: the
    /// callers pass the live parameters on every call, and an unchanged tensor costs one vectorized comparison.
    /// Not thread-safe: the kernels use it under their packing lock.
    /// </summary>
    internal sealed class WeightSnapshot
    {
        private float[] _values = Array.Empty<float>();
        private bool _taken;

        /// <summary>Whether <paramref name="weights"/> are, bit for bit, the weights of the last <see cref="Take"/>.</summary>
        public bool Matches(ReadOnlySpan<float> weights) =>
            _taken && MemoryMarshal.AsBytes(weights).SequenceEqual(MemoryMarshal.AsBytes(_values.AsSpan()));

        /// <summary>Remembers <paramref name="weights"/> as the ones just packed.</summary>
        public void Take(ReadOnlySpan<float> weights)
        {
            if (_values.Length != weights.Length)
            {
                _values = new float[weights.Length];
            }

            weights.CopyTo(_values);
            _taken = true;
        }
    }
}
