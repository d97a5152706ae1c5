using System;
using ConvGen.Threading;

namespace ConvGen.Kernels
{
    /// <summary>Splitting one product over the threads a caller grants.</summary>
    /// <remarks>
    /// C is cut into contiguous blocks of columns (or rows), one block per thread, and every block runs the path the
    /// whole product chose, on its own columns (rows) of op(B) (op(A)) and all of the other operand. No element's sum
    /// is cut, and every element meets the same code in each path — the packed micro-kernels compute each element of a
    /// tile alike wherever the tile sits, and block edges fall on multiples of the paths' vector groups — so the result
    /// does not depend on the thread count. A product with a row epilogue gets it block by block, on the thread that
    /// computed the block, while the block is still in its cache. Each block packs what it reads of the operands for
    /// itself, so no block waits for another: blocks of columns pack all of op(A) each (an op(A) packed once and shared
    /// was tried: it saved at most 3 % of the blocks' CPU time and, each block waiting for the panels another packs, was
    /// slower on two threads of a busy machine, docs/performance.md); blocks of rows read op(B) in place where they can
    /// (its full-width panels when not transposed) and pack the rest, which is why the blocked path splits along the
    /// larger of m and n.
    /// </remarks>
    public static unsafe partial class Gemm
    {
        // Each calling thread reuses its own split: a thread runs one product at a time.
        [ThreadStatic] private static Split? t_split;

        /// <summary>How many blocks <c>Multiply</c> cuts an m×n×k product into when granted <paramref name="threads"/>, on this thread now.</summary>
        internal static int Blocks(int m, int n, int k, int threads) => Parts(ChoosePath(m, n), m, n, k, threads);

        /// <summary>How many blocks to cut the product into: 1 unless the grant, the shape and the work all allow more.</summary>
        private static int Parts(Path path, int m, int n, int k, int threads)
        {
            var (columns, granule) = SplitOf(path, m, n);
            return Partition.Parts(threads, units: ((columns ? n : m) + granule - 1) / granule, multiplyAdds: (long)m * n * k);
        }

        /// <summary>
        /// Which dimension of C a path splits, and the multiple its block edges keep: the matrix-vector paths group
        /// columns (rows) by 4 and 8 for their vector loops; the packed paths cut at whole register tiles.
        /// </summary>
        private static (bool Columns, int Granule) SplitOf(Path path, int m, int n) => path switch
        {
            Path.RowTimesMatrix => (true, 8),
            Path.MatrixTimesColumn => (false, 8),
            Path.BlockedAvx2 => n >= m ? (true, Kernel6x16.NR) : (false, Kernel6x16.MR),
            Path.BlockedAvx512 => n >= m ? (true, Kernel8x32.NR) : (false, Kernel8x32.MR),
            _ => (n >= m, 8),
        };

        private static void RunSplit(Path path, bool transA, bool transB, int m, int n, int k,
            float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate, RowEpilogue epilogue, int parts, float* packedA)
        {
            var split = t_split ??= new Split();
            split.Start(path, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, epilogue, parts, packedA);
            try
            {
                WorkerPool.For(parts, parts, split.RunBlock);
            }
            finally
            {
                split.Finish();
            }
        }

        /// <summary>One product being split: its operands (pinned by the caller for the duration) and how to cut it.</summary>
        private sealed class Split
        {
            public readonly Action<int> RunBlock;

            private Path _path;
            private bool _transA, _transB, _accumulate, _columns;
            private int _m, _n, _k, _granule, _parts;
            private float* _a, _b, _c, _packedA;
            private nint _lda, _ldb, _ldc;
            private RowEpilogue _epilogue;

            public Split()
            {
                RunBlock = Block;
            }

            public void Start(Path path, bool transA, bool transB, int m, int n, int k,
                float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate, RowEpilogue epilogue, int parts, float* packedA)
            {
                _path = path;
                _transA = transA;
                _transB = transB;
                _m = m;
                _n = n;
                _k = k;
                _a = a;
                _lda = lda;
                _b = b;
                _ldb = ldb;
                _c = c;
                _ldc = ldc;
                _accumulate = accumulate;
                _epilogue = epilogue;
                _parts = parts;
                _packedA = packedA;
                (_columns, _granule) = SplitOf(path, m, n);
            }

            /// <summary>Forgets the operands: the pointers are valid only while the caller keeps them pinned.</summary>
            public void Finish()
            {
                _a = _b = _c = _packedA = null;
                _epilogue = default;
            }

            private void Block(int part)
            {
                int total = _columns ? _n : _m;
                var (first, end) = Partition.Range((total + _granule - 1) / _granule, part, _parts);
                int start = first * _granule;
                int size = Math.Min(end * _granule, total) - start;
                if (size <= 0)
                {
                    return;
                }

                if (_columns)
                {
                    // Columns [start, start + size) of C need the same columns of op(B): B's columns, or B's rows when transposed.
                    float* b = _transB ? _b + start * _ldb : _b + start;
                    Run(_path, _transA, _transB, _m, size, _k, _a, _lda, b, _ldb, _c + start, _ldc, _accumulate, _packedA);
                    _epilogue.Apply(0, start, _m, size, _c, _ldc);
                }
                else
                {
                    // Rows [start, start + size) of C need the same rows of op(A): A's rows, or A's columns when transposed,
                    // or the packed A's panels from row start on (start is a whole number of panels).
                    float* a = _transA ? _a + start : _a + start * _lda;
                    float* packed = _packedA == null ? null : _packedA + (nint)start * _k;
                    Run(_path, _transA, _transB, size, _n, _k, a, _lda, _b, _ldb, _c + start * _ldc, _ldc, _accumulate, packed);
                    _epilogue.Apply(start, 0, size, _n, _c, _ldc);
                }
            }
        }
    }
}
