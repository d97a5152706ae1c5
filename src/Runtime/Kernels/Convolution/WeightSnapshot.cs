using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ConvGen.Networks;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// Which weights a convolution kernel last packed (or transformed), so it repacks only when they change. A caller that
    /// knows the parameters' version passes it as a stamp (<see cref="ParameterWrites.Stamp"/>): an equal stamp means
    /// unchanged weights and costs nothing, and no copy is kept. Without one (<see cref="ParameterWrites.Unknown"/>) the
    /// snapshot keeps a copy of the packed weights and an unchanged tensor costs one vectorized comparison.
    /// Not thread-safe: the kernels use it under their packing lock.
    /// </summary>
    internal sealed class WeightSnapshot
    {
        private float[]? _values;
        private long _stamp;
        private bool _taken;

        /// <summary>Whether <paramref name="weights"/>, stamped <paramref name="stamp"/>, are the weights of the last <see cref="Take"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Matches(ReadOnlySpan<float> weights, long stamp)
        {
            if (!_taken)
            {
                return false;
            }

            if (stamp != ParameterWrites.Unknown)
            {
                return stamp == _stamp;
            }

            return _values is not null && MemoryMarshal.AsBytes(weights).SequenceEqual(MemoryMarshal.AsBytes(_values.AsSpan()));
        }

        /// <summary>Remembers <paramref name="weights"/>, stamped <paramref name="stamp"/>, as the ones just packed.</summary>
        public void Take(ReadOnlySpan<float> weights, long stamp)
        {
            _taken = true;
            _stamp = stamp;
            if (stamp != ParameterWrites.Unknown)
            {
                _values = null;
                return;
            }

            if (_values is null || _values.Length != weights.Length)
            {
                _values = new float[weights.Length];
            }

            weights.CopyTo(_values);
        }
    }
}
