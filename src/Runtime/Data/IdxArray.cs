using System;

namespace ConvGen.Data
{
    /// <summary>The contents of an IDX file of unsigned bytes (element type 0x08): its dimensions and its data in row-major order.</summary>
    public sealed class IdxArray
    {
        private readonly int[] _dimensions;
        private readonly byte[] _data;

        /// <summary>Wraps (without copying) <paramref name="data"/>, whose length must be the product of <paramref name="dimensions"/>.</summary>
        public IdxArray(int[] dimensions, byte[] data)
        {
            ArgumentNullException.ThrowIfNull(dimensions);
            ArgumentNullException.ThrowIfNull(data);
            if (dimensions.Length is 0 or > byte.MaxValue)
            {
                throw new ArgumentException($"An IDX array has 1 to 255 dimensions, not {dimensions.Length}.", nameof(dimensions));
            }

            long product = 1;
            foreach (var dimension in dimensions)
            {
                if (dimension < 0)
                {
                    throw new ArgumentException($"Dimensions must not be negative (got [{string.Join(", ", dimensions)}]).", nameof(dimensions));
                }

                product *= dimension;
                if (product > Array.MaxLength)
                {
                    throw new ArgumentException($"Dimensions [{string.Join(", ", dimensions)}] describe more bytes than an array can hold.", nameof(dimensions));
                }
            }

            if (product != data.Length)
            {
                throw new ArgumentException(
                    $"Dimensions [{string.Join(", ", dimensions)}] need {product} bytes, but the data holds {data.Length}.", nameof(data));
            }

            _dimensions = (int[])dimensions.Clone();
            _data = data;
        }

        /// <summary>The size of each dimension, outermost first (a copy).</summary>
        public int[] Dimensions => (int[])_dimensions.Clone();

        /// <summary>The number of dimensions.</summary>
        public int Rank => _dimensions.Length;

        /// <summary>The size of dimension <paramref name="axis"/>.</summary>
        public int Dimension(int axis) => _dimensions[axis];

        /// <summary>The elements in row-major order.</summary>
        public ReadOnlySpan<byte> Data => _data;
    }
}
