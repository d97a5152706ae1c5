using System;

namespace ConvGen
{
    /// <summary>One named tensor of a network: a view into the network's flat parameter (or buffer) storage.</summary>
    public sealed class Parameter
    {
        private readonly float[] _values;
        private readonly float[]? _gradients;
        private readonly int[] _shape;

        /// <summary>Creates a view of <paramref name="values"/>[<paramref name="offset"/>..] with the given shape.</summary>
        public Parameter(string name, int[] shape, float[] values, float[]? gradients, int offset)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            _shape = (int[])shape.Clone();
            var length = 1;
            foreach (var dimension in _shape)
            {
                if (dimension <= 0)
                {
                    throw new ArgumentException($"Parameter '{name}' has a non-positive dimension in its shape.", nameof(shape));
                }

                length = checked(length * dimension);
            }

            if (offset < 0 || offset + length > values.Length || (gradients is not null && gradients.Length != values.Length))
            {
                throw new ArgumentException($"Parameter '{name}' does not fit its storage.", nameof(offset));
            }

            Length = length;
            Offset = offset;
            _values = values;
            _gradients = gradients;
        }

        /// <summary>PyTorch's name, e.g. <c>conv1.weight</c>.</summary>
        public string Name { get; }

        /// <summary>The shape in PyTorch's layout (a copy).</summary>
        public int[] Shape => (int[])_shape.Clone();

        /// <summary>The number of dimensions.</summary>
        public int Rank => _shape.Length;

        /// <summary>The size of dimension <paramref name="axis"/>.</summary>
        public int Dimension(int axis) => _shape[axis];

        /// <summary>Elements (product of <see cref="Shape"/>).</summary>
        public int Length { get; }

        /// <summary>Where this tensor starts in the network's flat storage.</summary>
        public int Offset { get; }

        /// <summary>The values, writable; writes take effect on the next forward pass.</summary>
        public Span<float> Values => _values.AsSpan(Offset, Length);

        /// <summary>Accumulated gradients (empty for buffers, which are not trained).</summary>
        public Span<float> Gradients => _gradients is null ? Span<float>.Empty : _gradients.AsSpan(Offset, Length);

        /// <summary>Whether this tensor is trained (has gradients).</summary>
        public bool IsTrainable => _gradients is not null;

        /// <summary>"conv1.weight [20, 1, 5, 5]".</summary>
        public override string ToString() => Name + " [" + string.Join(", ", _shape) + "]";
    }
}
