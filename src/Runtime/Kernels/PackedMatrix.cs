using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels.Convolution;
using ConvGen.Networks;

namespace ConvGen.Kernels
{
    /// <summary>
    /// The left operand A (m×k, row-major) of many products, kept in the order <see cref="Gemm"/>'s micro-kernels read it:
    /// a layer's weights, packed when they change instead of on every call
    /// (<see cref="Gemm.Multiply(PackedMatrix, int, ReadOnlySpan{float}, int, Span{float}, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Activation, int)"/>).
    /// </summary>
    /// <remarks>
    /// <para>The vector paths pack A into panels of as many rows as their micro-kernel has (6 on AVX2, 8 on AVX-512; the
    /// last panel zero padded), each panel all k deep, so any block of rows and depth the product or a thread of a split
    /// product reads is found in place. On the scalar path the values are kept as they are.</para>
    /// <para>Repacking costs a pass over the values, which is what each call of the plain <c>Multiply</c> spends on A. With
    /// few columns in the product (a 1×1 convolution on a 7×7 plane: 49) that pass is a fifth of the call, and every block
    /// of a product split over threads by columns used to repeat it.</para>
    /// <para>Threading: <see cref="SetValues"/> may run on several threads at once as long as they pass the same values (the
    /// workers of a layer): the check-and-pack runs under a lock, and products read the packed values only.</para>
    /// </remarks>
    public sealed unsafe class PackedMatrix
    {
        private readonly object _packing = new();
        private readonly WeightSnapshot _packedFrom = new();
        private float[] _buffer = Array.Empty<float>();
        private float* _values;
        private int _length;
        private SimdLevel _level;
        private bool _packed;

        /// <param name="rows">m: rows of A (a conv's output channels).</param>
        /// <param name="columns">k: columns of A (a conv's input channels × kernel taps).</param>
        /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
        public PackedMatrix(int rows, int columns)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
            Rows = rows;
            Columns = columns;
        }

        /// <summary>m: rows of A.</summary>
        public int Rows { get; }

        /// <summary>k: columns of A.</summary>
        public int Columns { get; }

        /// <summary>
        /// Packs <paramref name="values"/> (A, m×k, row-major) for the current <see cref="Simd.Level"/> unless they are the
        /// values packed last time at the same level. Returns true when it packed.
        /// </summary>
        /// <param name="values">A, <see cref="Rows"/> × <see cref="Columns"/>, row-major.</param>
        /// <param name="stamp">
        /// The parameters' version the values belong to (<see cref="ParameterWrites.Stamp"/>): a stamp equal to the last
        /// call's promises unchanged values, which are then not compared. <see cref="ParameterWrites.Unknown"/> (the default)
        /// promises nothing: the values are compared bit for bit with the ones packed last.
        /// </param>
        /// <exception cref="ArgumentException">The span does not hold exactly <see cref="Rows"/> × <see cref="Columns"/> floats.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool SetValues(ReadOnlySpan<float> values, long stamp = ParameterWrites.Unknown)
        {
            if (values.Length != (long)Rows * Columns)
            {
                ThrowLength(values.Length);
            }

            lock (_packing)
            {
                var level = Simd.Level;
                if (_packed && _level == level && _packedFrom.Matches(values, stamp))
                {
                    return false;
                }

                var panelRows = Gemm.PanelRows(level);
                var length = panelRows == 0 ? values.Length : ((Rows + panelRows - 1) / panelRows * panelRows * Columns);
                if (_buffer.Length < length + 24)
                {
                    // Pinned, so the aligned pointer stays valid; 8 floats of slack for the packing's transpose stores and 16 to align.
                    _buffer = GC.AllocateUninitializedArray<float>(length + 24, pinned: true);
                }

                fixed (float* buffer = _buffer)
                {
                    var aligned = (float*)(((nuint)buffer + 63) & ~(nuint)63);
                    if (panelRows == 0)
                    {
                        values.CopyTo(new Span<float>(aligned, length));
                    }
                    else
                    {
                        Gemm.PackPanels(values, Columns, Rows, Columns, panelRows, aligned);
                    }

                    _values = aligned;
                }

                _length = length;
                _level = level;
                _packedFrom.Take(values, stamp);
                _packed = true;
                return true;
            }
        }

        /// <summary>The packed values, for a product at <paramref name="level"/>.</summary>
        /// <exception cref="InvalidOperationException">Nothing was packed yet, or it was packed at another level.</exception>
        internal ReadOnlySpan<float> Packed(SimdLevel level)
        {
            if (!_packed || _level != level)
            {
                ThrowNotPacked(level);
            }

            return new ReadOnlySpan<float>(_values, _length);
        }

        private void ThrowNotPacked(SimdLevel level) => throw new InvalidOperationException(_packed
            ? $"The {Rows}×{Columns} matrix was packed for the {_level} kernels, but the {level} kernels run now: call SetValues again."
            : $"The {Rows}×{Columns} matrix holds no values: call SetValues before multiplying with it.");

        private void ThrowLength(int length) => throw new ArgumentException(
            $"values holds {length} floats; a {Rows}×{Columns} matrix needs {(long)Rows * Columns}.", "values");
    }
}
