using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels;
using ConvGen.Threading;

namespace ConvGen.Networks
{
    /// <summary>
    /// What each worker of a generated network has to itself: im2col scratch (the columns of one conv and their gradients),
    /// room for one conv's per-channel factors (a folded BatchNorm's scale and shift) and private sums of the conv gradients, which <see cref="NetworkRunner"/> adds into the parameter gradients in worker
    /// order at the end of backward, so results do not depend on timing.
    /// </summary>
    public sealed class WorkerScratch
    {
        private readonly int _columnLength;
        private readonly int _factorLength;
        private readonly LocalGradientRange[] _ranges;
        private readonly int _localLength;
        private float[][] _columns = Array.Empty<float[]>();
        private float[][] _columnGradients = Array.Empty<float[]>();
        private float[][] _factors = Array.Empty<float[]>();
        private float[][] _localGradients = Array.Empty<float[]>();

        /// <summary>
        /// Scratch of <paramref name="columnLength"/> floats of columns (the largest im2col matrix of any conv; 0 without
        /// convs), <paramref name="factorLength"/> floats of per-channel factors (twice the most output channels of a conv
        /// that folds a BatchNorm into a runtime kernel's epilogue; 0 without) and private gradient sums laid out as
        /// <paramref name="localGradients"/> says.
        /// </summary>
        public WorkerScratch(int columnLength, int factorLength, params LocalGradientRange[] localGradients)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(columnLength);
            ArgumentOutOfRangeException.ThrowIfNegative(factorLength);
            ArgumentNullException.ThrowIfNull(localGradients);
            foreach (var range in localGradients)
            {
                if (range.Offset < 0 || range.Parameter < 0 || range.Length < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(localGradients), range, "Offsets and lengths of local gradients cannot be negative.");
                }

                _localLength = Math.Max(_localLength, range.Offset + range.Length);
            }

            _columnLength = columnLength;
            _factorLength = factorLength;
            _ranges = (LocalGradientRange[])localGradients.Clone();
        }

        /// <summary>True when some layer sums its gradients privately per worker, so backward ends with the reduction.</summary>
        internal bool HasLocalGradients => _localLength > 0;

        /// <summary>The im2col columns of <paramref name="worker"/>.</summary>
        public float[] Columns(int worker) => _columns[worker];

        /// <summary>The gradients of <paramref name="worker"/>'s im2col columns.</summary>
        public float[] ColumnGradients(int worker) => _columnGradients[worker];

        /// <summary>
        /// <paramref name="worker"/>'s per-channel factors: a conv step computes its scale and shift here rather than on the
        /// stack, because a method with loops and <c>stackalloc</c> cannot start in tier-0 code (no on-stack replacement) and
        /// would be compiled fully optimized on its first call.
        /// </summary>
        public float[] ChannelFactors(int worker) => _factors[worker];

        /// <summary>The private gradient sums of <paramref name="worker"/>, laid out as the <see cref="LocalGradientRange"/>s say.</summary>
        public float[] LocalGradients(int worker) => _localGradients[worker];

        /// <summary>Gives each of <paramref name="workers"/> workers its scratch, keeping what earlier workers already have.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal void Ensure(int workers)
        {
            if (_columns.Length >= workers)
            {
                return;
            }

            var columns = new float[workers][];
            var columnGradients = new float[workers][];
            var factors = new float[workers][];
            var localGradients = new float[workers][];
            for (var i = 0; i < workers; i++)
            {
                columns[i] = i < _columns.Length ? _columns[i] : new float[_columnLength];
                columnGradients[i] = i < _columnGradients.Length ? _columnGradients[i] : new float[_columnLength];
                factors[i] = i < _factors.Length ? _factors[i] : new float[_factorLength];
                localGradients[i] = i < _localGradients.Length ? _localGradients[i] : new float[_localLength];
            }

            _columns = columns;
            _columnGradients = columnGradients;
            _factors = factors;
            _localGradients = localGradients;
        }

        /// <summary>
        /// Adds every worker's private sums into <paramref name="gradients"/> and clears them: <paramref name="worker"/>
        /// takes its share of the sums and adds the <paramref name="workers"/> workers' values of it in worker order.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal void Reduce(Span<float> gradients, int worker, int workers)
        {
            var (start, end) = Partition.Range(_localLength, worker, workers);
            if (start == end)
            {
                return;
            }

            for (var source = 0; source < workers; source++)
            {
                var local = _localGradients[source].AsSpan(start, end - start);
                foreach (var range in _ranges)
                {
                    var from = Math.Max(start, range.Offset);
                    var to = Math.Min(end, range.Offset + range.Length);
                    if (from < to)
                    {
                        VectorOps.Add(local.Slice(from - start, to - from), gradients.Slice(range.Parameter + (from - range.Offset), to - from));
                    }
                }

                local.Clear();
            }
        }
    }
}
