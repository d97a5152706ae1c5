using System;

namespace ConvGen
{
    /// <summary>One named tensor of a network: a view into the network's flat parameter (or buffer) storage.</summary>
    public sealed class Parameter
    {
        private readonly float[] _values;
        private readonly float[]? _gradients;
        private readonly int[] _shape;
        private readonly Networks.ParameterWrites? _writes;

        /// <summary>
        /// Creates a view of <paramref name="values"/>[<paramref name="offset"/>..] with the given shape. A network passes its
        /// <paramref name="writes"/> for tensors its kernels pack (the trained parameters), so handing out <see cref="Values"/>
        /// and <see cref="Write"/> reach them.
        /// </summary>
        public Parameter(string name, int[] shape, float[] values, float[]? gradients, int offset, Networks.ParameterWrites? writes = null)
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
            _writes = writes;
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

        /// <summary>
        /// The values, writable; writes take effect on the next forward pass, whenever they happen. Since the network cannot
        /// see writes through this span, handing it out makes the network's convolution kernels compare their packed weights
        /// with the parameters on every later call (a vectorized comparison of the weights); read through
        /// <see cref="ReadOnlyValues"/> and write through <see cref="Write"/> to spare them that.
        /// </summary>
        public Span<float> Values
        {
            get
            {
                _writes?.Expose();
                return _values.AsSpan(Offset, Length);
            }
        }

        /// <summary>The values, read-only.</summary>
        public ReadOnlySpan<float> ReadOnlyValues => _values.AsSpan(Offset, Length);

        /// <summary>Copies <paramref name="source"/> into the values, as a load does; the network's kernels repack on their next call.</summary>
        /// <exception cref="ArgumentException"><paramref name="source"/> does not hold exactly <see cref="Length"/> floats.</exception>
        public void Write(ReadOnlySpan<float> source)
        {
            if (source.Length != Length)
            {
                throw new ArgumentException($"Parameter '{Name}' holds {Length} floats; the source holds {source.Length}.", nameof(source));
            }

            source.CopyTo(_values.AsSpan(Offset, Length));
            _writes?.Changed();
        }

        /// <summary>The flat storage this tensor views and the network's record of writes to it (null for a stand-alone tensor).</summary>
        internal (float[] Storage, Networks.ParameterWrites? Writes) Backing => (_values, _writes);

        /// <summary>Accumulated gradients (empty for buffers, which are not trained).</summary>
        public Span<float> Gradients => _gradients is null ? Span<float>.Empty : _gradients.AsSpan(Offset, Length);

        /// <summary>Whether this tensor is trained (has gradients).</summary>
        public bool IsTrainable => _gradients is not null;

        /// <summary>"conv1.weight [20, 1, 5, 5]".</summary>
        public override string ToString() => Name + " [" + string.Join(", ", _shape) + "]";
    }
}
