using System;
using System.Collections;
using System.Collections.Generic;

namespace ConvGen
{
    /// <summary>A network's named tensors, by position and by name.</summary>
    public sealed class ParameterList : IReadOnlyList<Parameter>
    {
        private readonly Parameter[] _items;
        private readonly Dictionary<string, Parameter> _byName;

        /// <summary>Creates the list; names must be unique.</summary>
        public ParameterList(params Parameter[] items)
        {
            _items = (Parameter[])items.Clone();
            _byName = new Dictionary<string, Parameter>(StringComparer.Ordinal);
            foreach (var item in _items)
            {
                if (!_byName.TryAdd(item.Name, item))
                {
                    throw new ArgumentException($"Two parameters are named '{item.Name}'.", nameof(items));
                }
            }
        }

        /// <summary>
        /// The network's whole flat storage, for a writer that reports its write (the optimizer step of
        /// <see cref="Optimizer.Step(INetwork)"/>): found when the tensors view one array, one after another from its start
        /// through <paramref name="length"/> floats, and share one non-null <see cref="Networks.ParameterWrites"/>, as a generated
        /// network's parameters do. Anything else (a hand-built list) is not found, and the caller takes the exposing path.
        /// </summary>
        internal bool TryGetStorage(int length, out Span<float> values, out Networks.ParameterWrites writes)
        {
            values = default;
            writes = null!;
            if (_items.Length == 0)
            {
                return false;
            }

            var (storage, shared) = _items[0].Backing;
            var next = 0;
            foreach (var item in _items)
            {
                var (itemStorage, itemWrites) = item.Backing;
                if (itemStorage != storage || itemWrites is null || itemWrites != shared || item.Offset != next)
                {
                    return false;
                }

                next += item.Length;
            }

            if (next != length || storage.Length != length)
            {
                return false;
            }

            values = storage;
            writes = shared!;
            return true;
        }

        /// <summary>The number of tensors.</summary>
        public int Count => _items.Length;

        /// <summary>Total elements over all tensors.</summary>
        public int TotalLength
        {
            get
            {
                var total = 0;
                foreach (var item in _items)
                {
                    total += item.Length;
                }

                return total;
            }
        }

        /// <summary>The tensor at <paramref name="index"/>.</summary>
        public Parameter this[int index] => _items[index];

        /// <summary>The tensor named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> listing the names there are.</summary>
        public Parameter this[string name] => _byName.TryGetValue(name, out var item)
            ? item
            : throw new KeyNotFoundException($"No parameter named '{name}'. The network has: {string.Join(", ", _byName.Keys)}.");

        /// <summary>Looks a tensor up by name.</summary>
        public bool TryGet(string name, out Parameter parameter) => _byName.TryGetValue(name, out parameter!);

        /// <inheritdoc />
        public IEnumerator<Parameter> GetEnumerator() => ((IEnumerable<Parameter>)_items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
    }
}
