using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels
{
    /// <summary>
    /// Single-precision matrix multiply, row-major with leading dimensions:
    /// <c>C[m×n] = (accumulate ? C : 0) + op(A)[m×k] · op(B)[k×n]</c>.
    /// </summary>
    /// <remarks>
    /// The vector paths follow the packed (Goto / BLIS) design: the k dimension is cut into blocks of <see cref="KC"/>,
    /// op(B) is packed into panels of NR columns and op(A) into panels of MR rows (zero padded at the edges) in per-thread
    /// buffers, and a register-tile micro-kernel (AVX2 6×16, AVX-512 8×32) computes each MR×NR tile of C. Tiles that
    /// stick out of C are computed into a small scratch tile and only their valid part is added to C (storing them
    /// straight from the registers under masks measured no faster on AVX2). The last B panel,
    /// when at most half of its columns are in C (on AVX2 a conv's 7×7 plane: 49 = 3·16 + 1 columns), goes through a
    /// narrow kernel instead (AVX2 12×8 over two A panels, or 6×8; AVX-512 16×16 or 8×16) that stores its valid part to
    /// C under a mask: half the multiply-adds of full tiles there, each element summed as a full tile sums it. When
    /// op(A) fits one MC block (m ≤ 144, most conv layers), each B micro-panel is taken right before the micro-kernels
    /// use it.
    /// A full-width (NR-column) micro-panel of a B that is not transposed is not packed ahead: the first micro-kernel
    /// reads it in place (rows ldb apart) and stores the rows it loads as the packed panel the tiles below it read, so
    /// the copy costs a store per row instead of a separate pass (with few rows of C, as in 1×1 convolutions with few
    /// output channels, that pass cost more than half as much as the multiply-adds). Transposed B and edge panels are
    /// packed first.
    /// Packing of transposed operands uses 8×8 register transposes. C must not overlap A or B.
    /// A single row (m = 1) or a single column (n = 1) goes through a dedicated matrix-vector path without packing.
    /// A caller may grant more than one thread: see <c>Multiply</c> and the splitting rules in Gemm.Parallel.cs.
    /// </remarks>
    public static unsafe partial class Gemm
    {
        // Cache blocking. KC: depth of one packed block (a B micro-panel KC×NR stays in L1).
        // MC×KC block of A lives in L2; KC×NC panel of B in L2/L3.
        private const int KC = 256;
        private const int MC = 144;   // multiple of both MR values (6 and 8)
        private const int NC = 2048;  // multiple of both NR values (16 and 32)

        // A micro-kernel reading a B panel in place prefetches the panel this many rows ahead, and the same row of the
        // next panel (the next NR columns), which the next panel's first tile then finds in cache.
        private const int PrefetchRows = 16;

        private const int MaxMR = 8;
        private const int MaxNR = 32;

        /// <summary>
        /// When set, the blocked paths pack every B micro-panel before the micro-kernels read it, as they did before a B
        /// that is not transposed was read in place. Tests and measurements compare the two ways: the result is
        /// bit-identical (a micro-kernel sums the same products in the same order wherever its B panel comes from).
        /// </summary>
        internal static bool AlwaysPackB { get; set; }

        // Per-thread packing buffers, allocated on the pinned object heap once and grown on demand.
        [ThreadStatic] private static float[]? t_packA;
        [ThreadStatic] private static float[]? t_packB;

        /// <summary>
        /// Computes <c>C = (accumulate ? C : 0) + op(A)·op(B)</c>. op(A) is m×k: A stored m×k (lda ≥ k) or, with
        /// <paramref name="transA"/>, stored k×m (lda ≥ m). op(B) is k×n: B stored k×n (ldb ≥ n) or, with
        /// <paramref name="transB"/>, stored n×k (ldb ≥ k). C is m×n with ldc ≥ n.
        /// </summary>
        /// <remarks>
        /// <paramref name="threads"/> is how many threads (the caller's included) may share the product through
        /// <see cref="Threading.WorkerPool"/>. The split cuts C into blocks of rows or columns, never k, so every element
        /// is summed in the same order as on one thread: the result is bit-identical for every thread count. One thread
        /// is used anyway when the product is too small to pay for the fork and join, and when the call runs inside a
        /// <see cref="Threading.WorkerPool"/> body (the caller already parallelizes around it).
        /// </remarks>
        /// <exception cref="ArgumentException">A size is negative, a leading dimension is too small, or a span is too short.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Multiply(bool transA, bool transB, int m, int n, int k,
            ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate, int threads = 1) =>
            Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, default, default, default, null, threads, packed: null);

        /// <summary>
        /// Computes <c>C[i, j] = f(op(A)·op(B)[i, j] · rowScale[i] + rowShift[i])</c>: the product of
        /// <see cref="Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool, int)"/>
        /// followed by a per-row epilogue, as <see cref="VectorOps.ScaleShiftActivate"/> on each row (an empty
        /// <paramref name="rowScale"/> is 1, an empty <paramref name="rowShift"/> 0). A conv's output channels are the rows,
        /// so bias, a folded BatchNorm and the activation come with the product.
        /// </summary>
        /// <remarks>
        /// When the product is split, each block of C gets the epilogue on the thread that computed it, right after its
        /// product: one fork and join for both. The values are those of the product followed by
        /// <see cref="VectorOps.ScaleShiftActivate"/> on whole rows (element-wise, so where a row is cut does not matter).
        /// </remarks>
        /// <exception cref="ArgumentException">
        /// A size is negative, a leading dimension is too small, a span is too short, a row factor span is neither empty nor
        /// m long, or <paramref name="activation"/> is not element-wise.
        /// </exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Multiply(bool transA, bool transB, int m, int n, int k,
            ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
            ReadOnlySpan<float> rowScale, ReadOnlySpan<float> rowShift, Activation activation, int threads = 1) =>
            Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, rowScale, rowShift, addend: default, activation, threads);

        /// <summary>
        /// Computes <c>C[i, j] = f(op(A)·op(B)[i, j] · rowScale[i] + rowShift[i] + addend[i·ldc + j])</c>: the product and
        /// per-row epilogue of
        /// <see cref="Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Activation, int)"/>
        /// with a residual Add fused in before the activation. <paramref name="addend"/> is laid out like C (m×n, leading
        /// dimension <paramref name="ldc"/>); an empty one adds nothing.
        /// </summary>
        /// <remarks>
        /// The addend is added in the epilogue's one pass over each block of C. The result is bit-identical to this product
        /// with <see cref="Activation.None"/> followed, row by row, by <see cref="VectorOps.AddActivate"/> of the addend's row
        /// with <paramref name="activation"/>, for every thread count.
        /// The addend must lie apart from C: the product is stored in C before the epilogue reads the addend, so an addend
        /// overlapping C (even C itself, in place) is refused.
        /// </remarks>
        /// <exception cref="ArgumentException">
        /// A size is negative, a leading dimension is too small, a span is too short (<paramref name="addend"/>, when given,
        /// needs as many floats as <paramref name="c"/>), a row factor span is neither empty nor m long,
        /// <paramref name="addend"/> overlaps C, or <paramref name="activation"/> is not element-wise.
        /// </exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Multiply(bool transA, bool transB, int m, int n, int k,
            ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
            ReadOnlySpan<float> rowScale, ReadOnlySpan<float> rowShift, ReadOnlySpan<float> addend, Activation activation, int threads = 1)
        {
            CheckEpilogue(rowScale.Length, rowShift.Length, m, activation);
            Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate: false, rowScale, rowShift, addend, activation, threads, packed: null);
        }

        /// <summary>
        /// Computes <c>C[i, j] = f((A·B)[i, j] · rowScale[i] + rowShift[i])</c> as the overload with a plain A and its
        /// epilogue does, with A (m×k) packed ahead by <see cref="PackedMatrix.SetValues"/>: a layer's weights, packed
        /// once while they stay unchanged instead of on every call. B is k×n, not transposed (ldb ≥ n).
        /// </summary>
        /// <remarks>
        /// On the vector paths the product always takes the packed path, even for one row or one column, where the plain
        /// overload would take a matrix-vector loop: for those shapes the sums may then differ in the last bits from the
        /// plain overload's, and cost more. For every other shape the result is bit-identical to the plain overload's with
        /// the same A, for every thread count.
        /// </remarks>
        /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
        /// <exception cref="InvalidOperationException">
        /// <paramref name="a"/> holds no values yet, or was packed at another <see cref="Simd.Level"/> than the kernels run now.
        /// </exception>
        /// <exception cref="ArgumentException">
        /// <paramref name="n"/> is negative, a leading dimension is too small, a span is too short, a row factor span is
        /// neither empty nor m long, or <paramref name="activation"/> is not element-wise.
        /// </exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Multiply(PackedMatrix a, int n, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
            ReadOnlySpan<float> rowScale, ReadOnlySpan<float> rowShift, Activation activation, int threads = 1) =>
            Multiply(a, n, b, ldb, c, ldc, rowScale, rowShift, addend: default, activation, threads);

        /// <summary>
        /// Computes <c>C[i, j] = f((A·B)[i, j] · rowScale[i] + rowShift[i] + addend[i·ldc + j])</c> as the overload with a
        /// plain A and an addend does, with A packed ahead as in
        /// <see cref="Multiply(PackedMatrix, int, ReadOnlySpan{float}, int, Span{float}, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Activation, int)"/>
        /// (whose remarks on one row or one column hold here too). <paramref name="addend"/> is laid out like C; an empty
        /// one adds nothing; it must lie apart from C.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
        /// <exception cref="InvalidOperationException">
        /// <paramref name="a"/> holds no values yet, or was packed at another <see cref="Simd.Level"/> than the kernels run now.
        /// </exception>
        /// <exception cref="ArgumentException">
        /// <paramref name="n"/> is negative, a leading dimension is too small, a span is too short, a row factor span is
        /// neither empty nor m long, <paramref name="addend"/> overlaps C, or <paramref name="activation"/> is not element-wise.
        /// </exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Multiply(PackedMatrix a, int n, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
            ReadOnlySpan<float> rowScale, ReadOnlySpan<float> rowShift, ReadOnlySpan<float> addend, Activation activation, int threads = 1)
        {
            ArgumentNullException.ThrowIfNull(a);
            CheckEpilogue(rowScale.Length, rowShift.Length, a.Rows, activation);
            Multiply(false, false, a.Rows, n, a.Columns, a.Packed(Simd.Level), a.Columns, b, ldb, c, ldc, accumulate: false, rowScale, rowShift, addend, activation, threads, a);
        }

        /// <summary>
        /// Computes <c>C = f(A[row0 .. row0 + rows, :] · op(B) + rowShift)</c> for a block of rows of A packed ahead (a Dense
        /// layer's weights, <see cref="DenseForward"/>), B not transposed (k×n, ldb ≥ n) or, with
        /// <paramref name="transB"/>, stored n×k (ldb ≥ k). The block starts where a panel of the packed matrix does.
        /// </summary>
        /// <exception cref="ArgumentException">The block does not start at a panel, or lies outside A; or as the public packed overloads.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static void MultiplyRows(PackedMatrix a, int row0, int rows, int n, ReadOnlySpan<float> b, int ldb, bool transB,
            Span<float> c, int ldc, ReadOnlySpan<float> rowShift, Activation activation, int threads)
        {
            var level = Simd.Level;
            var panelRows = Math.Max(1, PanelRows(level));
            if (row0 < 0 || rows < 0 || row0 + rows > a.Rows || row0 % panelRows != 0)
            {
                throw new ArgumentException($"Rows [{row0}, {row0 + rows}) are not a block of the {a.Rows}×{a.Columns} matrix starting at a panel of {panelRows} rows.", nameof(row0));
            }

            CheckEpilogue(0, rowShift.Length, rows, activation);
            var values = a.Packed(level).Slice(row0 * a.Columns);
            Multiply(false, transB, rows, n, a.Columns, values, a.Columns, b, ldb, c, ldc, accumulate: false, default, rowShift, default, activation, threads, a);
        }

        /// <summary>
        /// The product, with A either plain or, when <paramref name="packed"/> is given, that matrix's values
        /// (<paramref name="a"/> then holds its panels, or on the scalar path its plain rows).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Multiply(bool transA, bool transB, int m, int n, int k,
            ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate,
            ReadOnlySpan<float> rowScale, ReadOnlySpan<float> rowShift, ReadOnlySpan<float> addend, Activation? activation, int threads,
            PackedMatrix? packed)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
            if (m < 0) ThrowNegativeSize(m, nameof(m));
            if (n < 0) ThrowNegativeSize(n, nameof(n));
            if (k < 0) ThrowNegativeSize(k, nameof(k));
            CheckMatrix(a.Length, transA ? k : m, transA ? m : k, lda, nameof(a), nameof(lda));
            CheckMatrix(b.Length, transB ? n : k, transB ? k : n, ldb, nameof(b), nameof(ldb));
            CheckMatrix(c.Length, m, n, ldc, nameof(c), nameof(ldc));
            if (!addend.IsEmpty)
            {
                CheckAddend(addend, c, m, n, ldc);
            }

            if (m == 0 || n == 0)
            {
                return;
            }

            fixed (float* pc = c)
            fixed (float* pScale = rowScale)
            fixed (float* pShift = rowShift)
            fixed (float* pAddend = addend)
            {
                // No factors, no addend and no activation leave every value as it is: no pass over C.
                var identity = pScale == null && pShift == null && pAddend == null && activation == Activation.None;
                var epilogue = new RowEpilogue(activation.HasValue && !identity, pScale, pShift, pAddend, activation.GetValueOrDefault());
                if (k == 0)
                {
                    if (!accumulate)
                    {
                        for (int i = 0; i < m; i++)
                        {
                            new Span<float>(pc + (nint)i * ldc, n).Clear();
                        }
                    }

                    epilogue.Apply(0, 0, m, n, pc, ldc);
                    return;
                }

                fixed (float* pa = a)
                fixed (float* pb = b)
                {
                    var path = packed is null ? ChoosePath(m, n) : PackedPath(Simd.Level);
                    float* packedA = packed is null || path == Path.Scalar ? null : pa;
                    int parts = Parts(path, m, n, k, threads);
                    if (parts == 1)
                    {
                        Run(path, transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, packedA);
                        epilogue.Apply(0, 0, m, n, pc, ldc);
                    }
                    else
                    {
                        RunSplit(path, transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, epilogue, parts, packedA);
                    }
                }
            }
        }

        /// <summary>
        /// The per-row epilogue of a product, or none: f(value·scale[i] + shift[i] + addend[i, j]) on row i, a null factor
        /// pointer meaning 1 (scale) or 0 (shift), a null addend none; the addend is laid out like C. The pointers are valid
        /// while the caller keeps the spans pinned.
        /// </summary>
        /// <remarks>
        /// A block of a split product is cut at a multiple of 8 columns, so the vector loops of the <see cref="VectorOps"/>
        /// kernels end where they end on whole rows: each element meets the same code (vector or scalar tail) as in a
        /// product that is not split. Without factors the addend goes through <see cref="VectorOps.AddActivate"/>, so the
        /// values are exactly those of the product followed by that Add (a scale of 1 and a shift of 0 would turn −0 to +0).
        /// </remarks>
        private readonly struct RowEpilogue(bool present, float* scale, float* shift, float* addend, Activation activation)
        {
            /// <summary>
            /// Applies the epilogue to the block of C of <paramref name="rows"/> × <paramref name="columns"/> values from
            /// row <paramref name="row0"/>, column <paramref name="column0"/>; <paramref name="c"/> is C's first value.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public void Apply(int row0, int column0, int rows, int columns, float* c, nint ldc)
            {
                if (!present)
                {
                    return;
                }

                for (int i = row0; i < row0 + rows; i++)
                {
                    nint offset = (i * ldc) + column0;
                    var row = new Span<float>(c + offset, columns);
                    if (addend == null)
                    {
                        VectorOps.ScaleShiftActivate(row, scale == null ? 1f : scale[i], shift == null ? 0f : shift[i], activation);
                    }
                    else if (scale == null && shift == null)
                    {
                        VectorOps.AddActivate(row, new ReadOnlySpan<float>(addend + offset, columns), row, activation);
                    }
                    else
                    {
                        VectorOps.ScaleShiftAddActivate(row, scale == null ? 1f : scale[i], shift == null ? 0f : shift[i],
                            new ReadOnlySpan<float>(addend + offset, columns), activation);
                    }
                }
            }
        }

        /// <summary>The code path a product takes: chosen from the whole product's shape and the SIMD level.</summary>
        private enum Path
        {
            Scalar,
            RowTimesMatrix,
            MatrixTimesColumn,
            BlockedAvx2,
            BlockedAvx512,
        }

        private static Path ChoosePath(int m, int n)
        {
            var level = Simd.Level;
            if (level == SimdLevel.Scalar) return Path.Scalar;
            if (m == 1) return Path.RowTimesMatrix;
            if (n == 1) return Path.MatrixTimesColumn;
            return level == SimdLevel.Avx512 ? Path.BlockedAvx512 : Path.BlockedAvx2;
        }

        /// <summary>The path of a product with A packed ahead at <paramref name="level"/>: the packed path whatever the shape.</summary>
        private static Path PackedPath(SimdLevel level) => level switch
        {
            SimdLevel.Avx512 => Path.BlockedAvx512,
            SimdLevel.Avx2 => Path.BlockedAvx2,
            _ => Path.Scalar,
        };

        /// <summary>Rows per A panel of the packed path at <paramref name="level"/> (0 on the scalar path, which packs nothing).</summary>
        internal static int PanelRows(SimdLevel level) => PackedPath(level) switch
        {
            Path.BlockedAvx512 => Kernel8x32.MR,
            Path.BlockedAvx2 => Kernel6x16.MR,
            _ => 0,
        };

        /// <summary>
        /// Packs A (m×k, row-major, lda ≥ k) into <paramref name="dst"/> as <see cref="Blocked{TKernel}"/> reads a packed A: panels of
        /// <paramref name="panelRows"/> rows (the last zero padded), each k deep, one after another. <paramref name="dst"/> needs
        /// RoundUp(m, panelRows)·k floats and 8 more of slack.
        /// </summary>
        internal static void PackPanels(ReadOnlySpan<float> a, int lda, int m, int k, int panelRows, float* dst)
        {
            fixed (float* pa = a)
            {
                PackA(false, pa, lda, 0, m, 0, k, panelRows, dst);
            }
        }

        /// <summary>Runs <paramref name="path"/> on the whole product (or on one block of it) on the calling thread.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Run(Path path, bool transA, bool transB, int m, int n, int k,
            float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* packedA)
        {
            switch (path)
            {
                case Path.Scalar:
                    ScalarMultiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                    break;
                case Path.RowTimesMatrix:
                    RowTimesMatrix(transA, transB, n, k, a, lda, b, ldb, c, accumulate);
                    break;
                case Path.MatrixTimesColumn:
                    MatrixTimesColumn(transA, transB, m, k, a, lda, b, ldb, c, ldc, accumulate);
                    break;
                case Path.BlockedAvx512:
                    Blocked<Kernel8x32>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, packedA);
                    break;
                default:
                    Blocked<Kernel6x16>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, packedA);
                    break;
            }
        }

        // The checks inline into the fully optimized entry points; their messages are built apart, in the throw helpers,
        // so that compiling an entry point on its first call does not compile the formatting too.

        private static void CheckEpilogue(int scaleLength, int shiftLength, int m, Activation activation)
        {
            CheckFactors(scaleLength, m, "rowScale");
            CheckFactors(shiftLength, m, "rowShift");
            if (activation is not (Activation.None or Activation.ReLU or Activation.ReLU6 or Activation.Tanh or Activation.Sigmoid))
            {
                ThrowActivation(activation);
            }
        }

        private static void CheckFactors(int length, int m, string name)
        {
            if (length != 0 && length != m)
            {
                ThrowFactors(length, m, name);
            }
        }

        /// <summary>An addend needs as many floats as C (C's checks passed) and must not share any of them with C.</summary>
        private static void CheckAddend(ReadOnlySpan<float> addend, ReadOnlySpan<float> c, int m, int n, int ldc)
        {
            CheckMatrix(addend.Length, m, n, ldc, nameof(addend), nameof(ldc));
            int used = m == 0 || n == 0 ? 0 : ((m - 1) * ldc) + n;
            if (addend[..used].Overlaps(c[..used]))
            {
                ThrowAddendOverlap();
            }
        }

        private static void CheckMatrix(int length, int rows, int cols, int ld, string name, string ldName)
        {
            if (ld < 0 || ld < cols)
            {
                ThrowLeadingDimension(cols, ld, name, ldName);
            }

            long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
            if (length < needed)
            {
                ThrowShortMatrix(length, rows, cols, ld, needed, name);
            }
        }

        [DoesNotReturn]
        private static void ThrowNegativeSize(int size, string name) =>
            throw new ArgumentException($"{name} must be non-negative, got {size}.", name);

        [DoesNotReturn]
        private static void ThrowActivation(Activation activation) =>
            throw new ArgumentException($"The epilogue applies an element-wise activation; {activation} is not one.", "activation");

        private static void ThrowFactors(int length, int m, string name) =>
            throw new ArgumentException($"{name} holds {length} factors for a product of {m} rows: give one per row, or none.", name);

        [DoesNotReturn]
        private static void ThrowAddendOverlap() =>
            throw new ArgumentException("Span addend overlaps c: the product is stored in C before the epilogue reads the addend, so the addend must lie apart from C.", "addend");

        [DoesNotReturn]
        private static void ThrowLeadingDimension(int cols, int ld, string name, string ldName) =>
            throw new ArgumentException($"Leading dimension {ldName} = {ld} is smaller than the {cols} columns the matrix {name} has in storage.", ldName);

        [DoesNotReturn]
        private static void ThrowShortMatrix(int length, int rows, int cols, int ld, long needed, string name) =>
            throw new ArgumentException($"Span {name} holds {length} floats; a {rows}×{cols} matrix with leading dimension {ld} needs {needed}.", name);

        // ------------------------------------------------------------------------------------------------ scalar

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ScalarMultiply(bool transA, bool transB, int m, int n, int k,
            float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate)
        {
            for (int i = 0; i < m; i++)
            {
                float* crow = c + i * ldc;
                if (transB)
                {
                    for (int j = 0; j < n; j++)
                    {
                        float* brow = b + j * ldb;
                        float s = 0f;
                        for (int p = 0; p < k; p++)
                        {
                            float av = transA ? a[p * lda + i] : a[i * lda + p];
                            s += av * brow[p];
                        }

                        crow[j] = accumulate ? crow[j] + s : s;
                    }
                }
                else
                {
                    if (!accumulate)
                    {
                        for (int j = 0; j < n; j++) crow[j] = 0f;
                    }

                    for (int p = 0; p < k; p++)
                    {
                        float av = transA ? a[p * lda + i] : a[i * lda + p];
                        float* brow = b + p * ldb;
                        for (int j = 0; j < n; j++)
                        {
                            crow[j] += av * brow[j];
                        }
                    }
                }
            }
        }

        // ------------------------------------------------------------------------------------------------ m = 1

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowTimesMatrix(bool transA, bool transB, int n, int k,
            float* a, nint lda, float* b, nint ldb, float* c, bool accumulate)
        {
            // Make the single row of op(A) contiguous.
            float* row = a;
            float[]? buffer = null;
            if (transA && lda != 1)
            {
                buffer = Buffer(ref t_packA, k);
            }

            fixed (float* pbuf = buffer)
            {
                if (buffer != null)
                {
                    row = Align(pbuf);
                    for (int p = 0; p < k; p++) row[p] = a[p * lda];
                }

                if (transB)
                {
                    // Four rows of B at a time: one load of the row of A feeds four independent streams of B.
                    int j = 0;
                    for (; j + 4 <= n; j += 4)
                    {
                        Dot4(row, b + j * ldb, ldb, k, c + j, accumulate);
                    }

                    for (; j < n; j++)
                    {
                        float s = Dot(row, b + j * ldb, k);
                        c[j] = accumulate ? c[j] + s : s;
                    }
                }
                else
                {
                    if (!accumulate)
                    {
                        new Span<float>(c, n).Clear();
                    }

                    // Four rows of B at a time: one pass over c per four rows.
                    int p = 0;
                    for (; p + 4 <= k; p += 4)
                    {
                        Axpy4(row[p], row[p + 1], row[p + 2], row[p + 3], b + p * ldb, ldb, c, n);
                    }

                    for (; p < k; p++)
                    {
                        float s = row[p];
                        float* brow = b + p * ldb;
                        int j = 0;
                        var vs = Vector256.Create(s);
                        for (; j + 8 <= n; j += 8)
                        {
                            Avx.Store(c + j, Fma.MultiplyAdd(vs, Avx.LoadVector256(brow + j), Avx.LoadVector256(c + j)));
                        }

                        for (; j < n; j++) c[j] += s * brow[j];
                    }
                }
            }
        }

        // ------------------------------------------------------------------------------------------------ n = 1

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void MatrixTimesColumn(bool transA, bool transB, int m, int k,
            float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate)
        {
            // op(B) is one column: contiguous when B is stored 1×k (transB) or k×1 with ldb = 1, else gathered.
            float[] buffer = Buffer(ref t_packB, RoundUp(k, 16) + m);
            fixed (float* pbuf = buffer)
            {
                float* col = Align(pbuf);
                float* y = col + RoundUp(k, 16);
                if (transB || ldb == 1)
                {
                    col = b;
                }
                else
                {
                    for (int p = 0; p < k; p++) col[p] = b[p * ldb];
                }

                if (!transA)
                {
                    for (int i = 0; i < m; i++)
                    {
                        float s = Dot(a + i * lda, col, k);
                        c[i * ldc] = accumulate ? c[i * ldc] + s : s;
                    }

                    return;
                }

                // op(A)[i, p] = A[p, i]: y = Σp col[p] · (row p of A).
                new Span<float>(y, m).Clear();
                int q = 0;
                for (; q + 4 <= k; q += 4)
                {
                    Axpy4(col[q], col[q + 1], col[q + 2], col[q + 3], a + q * lda, lda, y, m);
                }

                for (; q < k; q++)
                {
                    float s = col[q];
                    float* arow = a + q * lda;
                    for (int i = 0; i < m; i++) y[i] += s * arow[i];
                }

                for (int i = 0; i < m; i++)
                {
                    c[i * ldc] = accumulate ? c[i * ldc] + y[i] : y[i];
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Axpy4(float s0, float s1, float s2, float s3, float* b, nint ldb, float* c, int n)
        {
            float* b0 = b, b1 = b + ldb, b2 = b + 2 * ldb, b3 = b + 3 * ldb;
            var v0 = Vector256.Create(s0);
            var v1 = Vector256.Create(s1);
            var v2 = Vector256.Create(s2);
            var v3 = Vector256.Create(s3);
            int j = 0;
            for (; j + 8 <= n; j += 8)
            {
                var acc = Avx.LoadVector256(c + j);
                acc = Fma.MultiplyAdd(v0, Avx.LoadVector256(b0 + j), acc);
                acc = Fma.MultiplyAdd(v1, Avx.LoadVector256(b1 + j), acc);
                acc = Fma.MultiplyAdd(v2, Avx.LoadVector256(b2 + j), acc);
                acc = Fma.MultiplyAdd(v3, Avx.LoadVector256(b3 + j), acc);
                Avx.Store(c + j, acc);
            }

            for (; j < n; j++)
            {
                c[j] += s0 * b0[j] + s1 * b1[j] + s2 * b2[j] + s3 * b3[j];
            }
        }

        /// <summary>c[r] (+)= x · y_r for the four rows y_r = y + r·ldy, each of length k.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Dot4(float* x, float* y, nint ldy, int k, float* c, bool accumulate)
        {
            float* y1 = y + ldy, y2 = y1 + ldy, y3 = y2 + ldy;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
            int p = 0;
            for (; p + 16 <= k; p += 16)
            {
                var xa = Avx.LoadVector256(x + p);
                var xb = Avx.LoadVector256(x + p + 8);
                a0 = Fma.MultiplyAdd(xa, Avx.LoadVector256(y + p), a0);
                a1 = Fma.MultiplyAdd(xa, Avx.LoadVector256(y1 + p), a1);
                a2 = Fma.MultiplyAdd(xa, Avx.LoadVector256(y2 + p), a2);
                a3 = Fma.MultiplyAdd(xa, Avx.LoadVector256(y3 + p), a3);
                b0 = Fma.MultiplyAdd(xb, Avx.LoadVector256(y + p + 8), b0);
                b1 = Fma.MultiplyAdd(xb, Avx.LoadVector256(y1 + p + 8), b1);
                b2 = Fma.MultiplyAdd(xb, Avx.LoadVector256(y2 + p + 8), b2);
                b3 = Fma.MultiplyAdd(xb, Avx.LoadVector256(y3 + p + 8), b3);
            }

            float s0 = Vector256.Sum(a0 + b0), s1 = Vector256.Sum(a1 + b1), s2 = Vector256.Sum(a2 + b2), s3 = Vector256.Sum(a3 + b3);
            for (; p < k; p++)
            {
                s0 += x[p] * y[p];
                s1 += x[p] * y1[p];
                s2 += x[p] * y2[p];
                s3 += x[p] * y3[p];
            }

            c[0] = accumulate ? c[0] + s0 : s0;
            c[1] = accumulate ? c[1] + s1 : s1;
            c[2] = accumulate ? c[2] + s2 : s2;
            c[3] = accumulate ? c[3] + s3 : s3;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static float Dot(float* x, float* y, int k)
        {
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            var s2 = Vector256<float>.Zero;
            var s3 = Vector256<float>.Zero;
            int p = 0;
            for (; p + 32 <= k; p += 32)
            {
                s0 = Fma.MultiplyAdd(Avx.LoadVector256(x + p), Avx.LoadVector256(y + p), s0);
                s1 = Fma.MultiplyAdd(Avx.LoadVector256(x + p + 8), Avx.LoadVector256(y + p + 8), s1);
                s2 = Fma.MultiplyAdd(Avx.LoadVector256(x + p + 16), Avx.LoadVector256(y + p + 16), s2);
                s3 = Fma.MultiplyAdd(Avx.LoadVector256(x + p + 24), Avx.LoadVector256(y + p + 24), s3);
            }

            for (; p + 8 <= k; p += 8)
            {
                s0 = Fma.MultiplyAdd(Avx.LoadVector256(x + p), Avx.LoadVector256(y + p), s0);
            }

            float s = Vector256.Sum((s0 + s1) + (s2 + s3));
            for (; p < k; p++) s += x[p] * y[p];
            return s;
        }

        // ------------------------------------------------------------------------------------------------ packed

        /// <summary>A register-tile micro-kernel: C[MR×NR] (+)= Apanel[kc×MR]ᵀ-ish · Bpanel[kc×NR].</summary>
        private interface IMicroKernel
        {
            static abstract int MR { get; }
            static abstract int NR { get; }

            /// <summary>
            /// a: kc groups of MR floats; b: kc rows of NR floats at stride ldb (NR for a packed panel, B's own leading
            /// dimension when B is read in place); c: MR rows of NR floats at stride ldc. With <see cref="CopyPanel"/>
            /// (B read in place) the kernel also writes the B rows it reads, packed (kc groups of NR floats), to copy, and
            /// prefetches B <see cref="PrefetchRows"/> rows ahead and the next NR columns of each row.
            /// </summary>
            static abstract void Run<TCopy>(int kc, float* a, float* b, nint ldb, float* copy, float* c, nint ldc, bool add)
                where TCopy : struct, IPanelCopy;

            /// <summary>
            /// The narrow kernel for an edge panel of B with at most NR / 2 valid columns: C[rows×cols] (+)= A · the first
            /// NR / 2 columns of a packed B panel (kc rows NR floats apart), one vector per row. a is one A panel or, with
            /// <see cref="TwoPanels"/>, two (<paramref name="aPanels"/> floats apart, rows up to 2·MR: enough independent
            /// accumulators to hide the FMA latency). The valid part goes straight from the registers to C under a column
            /// mask, without the scratch tile. Each element is summed as <see cref="Run"/> sums it (from zero, one FMA per
            /// k step in order, then C added), so its value does not depend on which kernel computed it.
            /// </summary>
            static abstract void RunNarrow<TPanels>(int kc, float* a, nint aPanels, float* b, float* c, nint ldc, bool add, int rows, int cols)
                where TPanels : struct, IPanelCount;
        }

        /// <summary>Whether a narrow micro-kernel reads two A panels or one (a type argument, as <see cref="IPanelCopy"/>).</summary>
        private interface IPanelCount
        {
            static abstract bool Two { get; }
        }

        private readonly struct OnePanel : IPanelCount
        {
            public static bool Two => false;
        }

        private readonly struct TwoPanels : IPanelCount
        {
            public static bool Two => true;
        }

        /// <summary>Whether a micro-kernel copies the B panel it reads (a type argument, so each variant compiles without the test).</summary>
        private interface IPanelCopy
        {
            static abstract bool Copies { get; }
        }

        private readonly struct CopyPanel : IPanelCopy
        {
            public static bool Copies => true;
        }

        private readonly struct NoCopy : IPanelCopy
        {
            public static bool Copies => false;
        }

        /// <summary>
        /// The packed product: op(A) block by block (MC rows × KC deep) into this thread's buffer, unless
        /// <paramref name="packedA"/> holds all of it already (<see cref="PackedMatrix"/>: panels of MR rows, each all k deep,
        /// so the block of rows ic.. and depth pc.. starts at packedA + ic·k + pc·MR and its panels are MR·k apart).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Blocked<TKernel>(bool transA, bool transB, int m, int n, int k,
            float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* packedA)
            where TKernel : struct, IMicroKernel
        {
            int mr = TKernel.MR;
            int nr = TKernel.NR;
            int kcMax = Math.Min(k, KC);
            int mcMax = Math.Min(RoundUp(m, mr), MC);
            int ncMax = Math.Min(RoundUp(n, nr), NC);

            // Full-width micro-panels of a B that is not transposed are read where they are, by the first row of tiles.
            bool inPlace = !transB && !AlwaysPackB;
            bool prepacked = packedA != null;
            float[]? bufA = prepacked ? null : Buffer(ref t_packA, mcMax * kcMax);
            float[] bufB = Buffer(ref t_packB, ncMax * kcMax);
            float* tile = stackalloc float[MaxMR * MaxNR + 16];
            tile = Align(tile);

            fixed (float* pbufA = bufA)
            fixed (float* pbufB = bufB)
            {
                float* packA = Align(pbufA);
                float* packB = Align(pbufB);

                for (int jc = 0; jc < n; jc += NC)
                {
                    int nc = Math.Min(NC, n - jc);
                    for (int pc = 0; pc < k; pc += KC)
                    {
                        int kc = Math.Min(KC, k - pc);
                        bool add = accumulate || pc > 0;
                        nint aPanels = (nint)mr * (prepacked ? k : kc); // floats from one A panel of the block to the next
                        float* bBlock = b + pc * ldb + jc; // op(B)[pc, jc] when B is read in place
                        if (m <= MC)
                        {
                            // All of op(A) fits one block: pack it once, then take each B micro-panel just before the
                            // micro-kernels use it: in place (copied by the first tile for the others), or packed right
                            // then so the copy is still in L1.
                            float* blockA = prepacked ? packedA + (nint)pc * mr : PackA(transA, a, lda, 0, m, pc, kc, mr, packA);
                            for (int jr = 0; jr < nc; jr += nr)
                            {
                                int cols = Math.Min(nr, nc - jr);
                                if (inPlace && cols == nr)
                                {
                                    MacroKernel<TKernel>(kc, m, cols, blockA, aPanels, bBlock + jr, 1, ldb, packB, c + jc + jr, ldc, add, tile);
                                }
                                else
                                {
                                    PackB(transB, b, ldb, pc, kc, jc + jr, cols, nr, packB);
                                    MacroKernel<TKernel>(kc, m, cols, blockA, aPanels, packB, kc, nr, null, c + jc + jr, ldc, add, tile);
                                }
                            }
                        }
                        else
                        {
                            // The block is packed once for all of op(A); read in place, its full-width panels are packed
                            // by the first row of tiles that reads them, and only the edge panel beforehand.
                            int full = inPlace ? nc / nr * nr : 0;
                            if (full < nc)
                            {
                                PackB(transB, b, ldb, pc, kc, jc + full, nc - full, nr, packB + (nint)full * kc);
                            }

                            for (int ic = 0; ic < m; ic += MC)
                            {
                                int mc = Math.Min(MC, m - ic);
                                float* blockA = prepacked ? packedA + (nint)ic * k + (nint)pc * mr : PackA(transA, a, lda, ic, mc, pc, kc, mr, packA);
                                float* cb = c + ic * ldc + jc;
                                if (full > 0 && ic == 0)
                                {
                                    MacroKernel<TKernel>(kc, mc, full, blockA, aPanels, bBlock, 1, ldb, packB, cb, ldc, add, tile);
                                    if (full < nc)
                                    {
                                        MacroKernel<TKernel>(kc, mc, nc - full, blockA, aPanels, packB + (nint)full * kc, kc, nr, null, cb + full, ldc, add, tile);
                                    }
                                }
                                else
                                {
                                    MacroKernel<TKernel>(kc, mc, nc, blockA, aPanels, packB, kc, nr, null, cb, ldc, add, tile);
                                }
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// C[mc×nc] (+)= packed A block · B block, one MR×NR tile at a time. The A panels (MR rows, kc deep each) are
        /// <paramref name="aPanels"/> floats apart. The B micro-panel of columns jr.. starts at
        /// <paramref name="b"/> + jr·<paramref name="columnStep"/> and its kc rows are <paramref name="ldb"/> apart: a packed
        /// block has columnStep = kc and ldb = NR; B read in place has columnStep = 1 and its own leading dimension, and
        /// then <paramref name="copy"/> is given: the panels are full width, and the first tile of each panel packs it to
        /// copy + jr·kc while it computes, for the tiles below it to read.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void MacroKernel<TKernel>(int kc, int mc, int nc, float* packA, nint aPanels, float* b, nint columnStep, nint ldb,
            float* copy, float* c, nint ldc, bool add, float* tile)
            where TKernel : struct, IMicroKernel
        {
            int mr = TKernel.MR;
            int nr = TKernel.NR;
            for (int jr = 0; jr < nc; jr += nr)
            {
                int nValid = Math.Min(nr, nc - jr);
                float* bp = b + jr * columnStep;
                if (2 * nValid <= nr)
                {
                    // An edge panel (always packed: B is read in place only by full-width panels) with at most half its
                    // columns valid: the narrow kernel, two A panels at a time, then the last one alone.
                    int ir = 0;
                    for (; ir + mr < mc; ir += 2 * mr)
                    {
                        TKernel.RunNarrow<TwoPanels>(kc, packA + ir / mr * aPanels, aPanels, bp, c + ir * ldc + jr, ldc, add, Math.Min(2 * mr, mc - ir), nValid);
                    }

                    if (ir < mc)
                    {
                        TKernel.RunNarrow<OnePanel>(kc, packA + ir / mr * aPanels, aPanels, bp, c + ir * ldc + jr, ldc, add, mc - ir, nValid);
                    }

                    continue;
                }

                nint ldbp = ldb;
                float* ap = packA;
                for (int ir = 0; ir < mc; ir += mr, ap += aPanels)
                {
                    int mValid = Math.Min(mr, mc - ir);
                    float* cp = c + ir * ldc + jr;

                    // A tile that sticks out of C is computed into the scratch tile and its valid part added to C.
                    bool whole = mValid == mr && nValid == nr;
                    float* target = whole ? cp : tile;
                    nint ldt = whole ? ldc : nr;
                    if (copy != null && ir == 0)
                    {
                        float* packed = copy + (nint)jr * kc;
                        TKernel.Run<CopyPanel>(kc, ap, bp, ldbp, packed, target, ldt, add && whole);
                        bp = packed;
                        ldbp = nr;
                    }
                    else
                    {
                        TKernel.Run<NoCopy>(kc, ap, bp, ldbp, null, target, ldt, add && whole);
                    }

                    if (!whole)
                    {
                        for (int i = 0; i < mValid; i++)
                        {
                            float* src = tile + i * nr;
                            float* dst = cp + i * ldc;
                            if (add)
                            {
                                for (int j = 0; j < nValid; j++) dst[j] += src[j];
                            }
                            else
                            {
                                for (int j = 0; j < nValid; j++) dst[j] = src[j];
                            }
                        }
                    }
                }
            }
        }

        /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc] into panels of <paramref name="mr"/> rows: panel-major, then k, then row. Returns <paramref name="dst"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static float* PackA(bool transA, float* a, nint lda, int i0, int mc, int p0, int kc, int mr, float* dst)
        {
            float* packed = dst;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                if (transA)
                {
                    // op(A)[i, p] = A[p, i]: each k step is a contiguous run of rows.
                    float* src = a + (nint)p0 * lda + i0 + ir;
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = src + p * lda;
                        float* d = dst + p * mr;
                        int r = 0;
                        if (rows == 8)
                        {
                            Avx.Store(d, Avx.LoadVector256(s));
                            r = 8;
                        }

                        for (; r < rows; r++) d[r] = s[r];
                        for (; r < mr; r++) d[r] = 0f;
                    }
                }
                else if (rows == mr && mr <= 8)
                {
                    // 8×8 register transposes. For MR < 8 the surplus source rows repeat row 0 and each column store
                    // writes 8 floats where MR belong: the surplus lands on the next k step (rewritten right after) or
                    // in the buffer's slack past the last panel.
                    float* s0 = a + (i0 + ir) * lda + p0;
                    int p = 0;
                    for (; p + 8 <= kc; p += 8)
                    {
                        Transpose8x8(s0 + p, lda, mr, dst + p * mr, mr);
                    }

                    for (; p < kc; p++)
                    {
                        float* d = dst + p * mr;
                        for (int r = 0; r < mr; r++) d[r] = s0[r * lda + p];
                    }
                }
                else
                {
                    for (int r = 0; r < rows; r++)
                    {
                        float* s = a + (i0 + ir + r) * lda + p0;
                        float* d = dst + r;
                        for (int p = 0; p < kc; p++)
                        {
                            d[p * mr] = s[p];
                        }
                    }

                    for (int r = rows; r < mr; r++)
                    {
                        float* d = dst + r;
                        for (int p = 0; p < kc; p++) d[p * mr] = 0f;
                    }
                }

                dst += (nint)mr * kc;
            }

            return packed;
        }

        /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nc] into panels of <paramref name="nr"/> columns: panel-major, then k, then column.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void PackB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int nc, int nr, float* dst)
        {
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                if (!transB)
                {
                    float* src = b + (nint)p0 * ldb + j0 + jr;
                    if (cols == nr)
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            float* s = src + p * ldb;
                            float* d = dst + p * nr;
                            for (int j = 0; j < nr; j += 8)
                            {
                                Avx.Store(d + j, Avx.LoadVector256(s + j));
                            }
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            float* s = src + p * ldb;
                            float* d = dst + p * nr;
                            int j = 0;
                            for (; j < cols; j++) d[j] = s[j];
                            for (; j < nr; j++) d[j] = 0f;
                        }
                    }
                }
                else
                {
                    // op(B)[p, j] = B[j, p]: 8×8 register transposes of rows of B, scalar gathers at the edges.
                    int j = 0;
                    for (; j + 8 <= cols; j += 8)
                    {
                        float* s = b + (j0 + jr + j) * ldb + p0;
                        float* d = dst + j;
                        int p = 0;
                        for (; p + 8 <= kc; p += 8)
                        {
                            Transpose8x8(s + p, ldb, 8, d + p * nr, nr);
                        }

                        for (; p < kc; p++)
                        {
                            for (int r = 0; r < 8; r++) d[p * nr + r] = s[r * ldb + p];
                        }
                    }

                    for (; j < cols; j++)
                    {
                        float* s = b + (j0 + jr + j) * ldb + p0;
                        float* d = dst + j;
                        for (int p = 0; p < kc; p++)
                        {
                            d[p * nr] = s[p];
                        }
                    }

                    for (j = cols; j < nr; j++)
                    {
                        float* d = dst + j;
                        for (int p = 0; p < kc; p++) d[p * nr] = 0f;
                    }
                }

                dst += (nint)nr * kc;
            }
        }

        /// <summary>AVX2 + FMA: 6 rows × 16 columns, 12 ymm accumulators.</summary>
        private readonly struct Kernel6x16 : IMicroKernel
        {
            public static int MR => 6;
            public static int NR => 16;

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public static void Run<TCopy>(int kc, float* a, float* b, nint ldb, float* copy, float* c, nint ldc, bool add)
                where TCopy : struct, IPanelCopy
            {
                Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
                Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
                if (add)
                {
                    // Bring the C tile towards L1 while the FMAs run; it is read back only after the k loop.
                    for (int i = 0; i < 6; i++)
                    {
                        Sse.Prefetch0(c + i * ldc);
                        Sse.Prefetch0(c + i * ldc + 15);
                    }
                }

                nint ahead = PrefetchRows * ldb;
                for (int p = 0; p < kc; p++)
                {
                    var b0 = Avx.LoadVector256(b);
                    var b1 = Avx.LoadVector256(b + 8);
                    if (TCopy.Copies)
                    {
                        Sse.Prefetch0(b + ahead);
                        Sse.Prefetch0(b + ahead + 15);
                        Sse.Prefetch0(b + 16);
                        Sse.Prefetch0(b + 31);
                        Avx.Store(copy, b0);
                        Avx.Store(copy + 8, b1);
                        copy += 16;
                    }

                    var av = Vector256.Create(a[0]);
                    c00 = Fma.MultiplyAdd(av, b0, c00);
                    c01 = Fma.MultiplyAdd(av, b1, c01);
                    av = Vector256.Create(a[1]);
                    c10 = Fma.MultiplyAdd(av, b0, c10);
                    c11 = Fma.MultiplyAdd(av, b1, c11);
                    av = Vector256.Create(a[2]);
                    c20 = Fma.MultiplyAdd(av, b0, c20);
                    c21 = Fma.MultiplyAdd(av, b1, c21);
                    av = Vector256.Create(a[3]);
                    c30 = Fma.MultiplyAdd(av, b0, c30);
                    c31 = Fma.MultiplyAdd(av, b1, c31);
                    av = Vector256.Create(a[4]);
                    c40 = Fma.MultiplyAdd(av, b0, c40);
                    c41 = Fma.MultiplyAdd(av, b1, c41);
                    av = Vector256.Create(a[5]);
                    c50 = Fma.MultiplyAdd(av, b0, c50);
                    c51 = Fma.MultiplyAdd(av, b1, c51);
                    a += 6;
                    b += ldb;
                }

                Store2(c, c00, c01, add);
                Store2(c + ldc, c10, c11, add);
                Store2(c + 2 * ldc, c20, c21, add);
                Store2(c + 3 * ldc, c30, c31, add);
                Store2(c + 4 * ldc, c40, c41, add);
                Store2(c + 5 * ldc, c50, c51, add);
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private static void Store2(float* c, Vector256<float> v0, Vector256<float> v1, bool add)
            {
                if (add)
                {
                    v0 += Avx.LoadVector256(c);
                    v1 += Avx.LoadVector256(c + 8);
                }

                Avx.Store(c, v0);
                Avx.Store(c + 8, v1);
            }

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public static void RunNarrow<TPanels>(int kc, float* a, nint aPanels, float* b, float* c, nint ldc, bool add, int rows, int cols)
                where TPanels : struct, IPanelCount
            {
                Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
                Vector256<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
                if (add)
                {
                    for (int i = 0; i < rows; i++)
                    {
                        Sse.Prefetch0(c + i * ldc);
                    }
                }

                float* a2 = a + aPanels;
                for (int p = 0; p < kc; p++)
                {
                    var bv = Avx.LoadVector256(b);
                    c0 = Fma.MultiplyAdd(Vector256.Create(a[0]), bv, c0);
                    c1 = Fma.MultiplyAdd(Vector256.Create(a[1]), bv, c1);
                    c2 = Fma.MultiplyAdd(Vector256.Create(a[2]), bv, c2);
                    c3 = Fma.MultiplyAdd(Vector256.Create(a[3]), bv, c3);
                    c4 = Fma.MultiplyAdd(Vector256.Create(a[4]), bv, c4);
                    c5 = Fma.MultiplyAdd(Vector256.Create(a[5]), bv, c5);
                    if (TPanels.Two)
                    {
                        c6 = Fma.MultiplyAdd(Vector256.Create(a2[0]), bv, c6);
                        c7 = Fma.MultiplyAdd(Vector256.Create(a2[1]), bv, c7);
                        c8 = Fma.MultiplyAdd(Vector256.Create(a2[2]), bv, c8);
                        c9 = Fma.MultiplyAdd(Vector256.Create(a2[3]), bv, c9);
                        c10 = Fma.MultiplyAdd(Vector256.Create(a2[4]), bv, c10);
                        c11 = Fma.MultiplyAdd(Vector256.Create(a2[5]), bv, c11);
                        a2 += 6;
                    }

                    a += 6;
                    b += NR;
                }

                var mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(cols)).AsSingle();
                StoreRow(c, ldc, 0, rows, c0, mask, add);
                StoreRow(c, ldc, 1, rows, c1, mask, add);
                StoreRow(c, ldc, 2, rows, c2, mask, add);
                StoreRow(c, ldc, 3, rows, c3, mask, add);
                StoreRow(c, ldc, 4, rows, c4, mask, add);
                StoreRow(c, ldc, 5, rows, c5, mask, add);
                if (TPanels.Two)
                {
                    StoreRow(c, ldc, 6, rows, c6, mask, add);
                    StoreRow(c, ldc, 7, rows, c7, mask, add);
                    StoreRow(c, ldc, 8, rows, c8, mask, add);
                    StoreRow(c, ldc, 9, rows, c9, mask, add);
                    StoreRow(c, ldc, 10, rows, c10, mask, add);
                    StoreRow(c, ldc, 11, rows, c11, mask, add);
                }
            }

            /// <summary>Row i of the tile, when it is one of the valid rows: its masked columns (+)= v.</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private static void StoreRow(float* c, nint ldc, int i, int rows, Vector256<float> v, Vector256<float> mask, bool add)
            {
                if (i < rows)
                {
                    float* row = c + i * ldc;
                    if (add)
                    {
                        v += Avx.MaskLoad(row, mask);
                    }

                    Avx.MaskStore(row, mask, v);
                }
            }
        }

        /// <summary>AVX-512F: 8 rows × 32 columns, 16 zmm accumulators.</summary>
        private readonly struct Kernel8x32 : IMicroKernel
        {
            public static int MR => 8;
            public static int NR => 32;

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public static void Run<TCopy>(int kc, float* a, float* b, nint ldb, float* copy, float* c, nint ldc, bool add)
                where TCopy : struct, IPanelCopy
            {
                Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
                Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
                Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
                Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
                if (add)
                {
                    for (int i = 0; i < 8; i++)
                    {
                        Sse.Prefetch0(c + i * ldc);
                        Sse.Prefetch0(c + i * ldc + 31);
                    }
                }

                nint ahead = PrefetchRows * ldb;
                for (int p = 0; p < kc; p++)
                {
                    var b0 = Avx512F.LoadVector512(b);
                    var b1 = Avx512F.LoadVector512(b + 16);
                    if (TCopy.Copies)
                    {
                        Sse.Prefetch0(b + ahead);
                        Sse.Prefetch0(b + ahead + 16);
                        Sse.Prefetch0(b + ahead + 31);
                        Sse.Prefetch0(b + 32);
                        Sse.Prefetch0(b + 48);
                        Sse.Prefetch0(b + 63);
                        Avx512F.Store(copy, b0);
                        Avx512F.Store(copy + 16, b1);
                        copy += 32;
                    }

                    var av = Vector512.Create(a[0]);
                    c00 = Avx512F.FusedMultiplyAdd(av, b0, c00);
                    c01 = Avx512F.FusedMultiplyAdd(av, b1, c01);
                    av = Vector512.Create(a[1]);
                    c10 = Avx512F.FusedMultiplyAdd(av, b0, c10);
                    c11 = Avx512F.FusedMultiplyAdd(av, b1, c11);
                    av = Vector512.Create(a[2]);
                    c20 = Avx512F.FusedMultiplyAdd(av, b0, c20);
                    c21 = Avx512F.FusedMultiplyAdd(av, b1, c21);
                    av = Vector512.Create(a[3]);
                    c30 = Avx512F.FusedMultiplyAdd(av, b0, c30);
                    c31 = Avx512F.FusedMultiplyAdd(av, b1, c31);
                    av = Vector512.Create(a[4]);
                    c40 = Avx512F.FusedMultiplyAdd(av, b0, c40);
                    c41 = Avx512F.FusedMultiplyAdd(av, b1, c41);
                    av = Vector512.Create(a[5]);
                    c50 = Avx512F.FusedMultiplyAdd(av, b0, c50);
                    c51 = Avx512F.FusedMultiplyAdd(av, b1, c51);
                    av = Vector512.Create(a[6]);
                    c60 = Avx512F.FusedMultiplyAdd(av, b0, c60);
                    c61 = Avx512F.FusedMultiplyAdd(av, b1, c61);
                    av = Vector512.Create(a[7]);
                    c70 = Avx512F.FusedMultiplyAdd(av, b0, c70);
                    c71 = Avx512F.FusedMultiplyAdd(av, b1, c71);
                    a += 8;
                    b += ldb;
                }

                Store2(c, c00, c01, add);
                Store2(c + ldc, c10, c11, add);
                Store2(c + 2 * ldc, c20, c21, add);
                Store2(c + 3 * ldc, c30, c31, add);
                Store2(c + 4 * ldc, c40, c41, add);
                Store2(c + 5 * ldc, c50, c51, add);
                Store2(c + 6 * ldc, c60, c61, add);
                Store2(c + 7 * ldc, c70, c71, add);
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private static void Store2(float* c, Vector512<float> v0, Vector512<float> v1, bool add)
            {
                if (add)
                {
                    v0 += Avx512F.LoadVector512(c);
                    v1 += Avx512F.LoadVector512(c + 16);
                }

                Avx512F.Store(c, v0);
                Avx512F.Store(c + 16, v1);
            }

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public static void RunNarrow<TPanels>(int kc, float* a, nint aPanels, float* b, float* c, nint ldc, bool add, int rows, int cols)
                where TPanels : struct, IPanelCount
            {
                Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
                Vector512<float> c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
                if (add)
                {
                    for (int i = 0; i < rows; i++)
                    {
                        Sse.Prefetch0(c + i * ldc);
                    }
                }

                float* a2 = a + aPanels;
                for (int p = 0; p < kc; p++)
                {
                    var bv = Avx512F.LoadVector512(b);
                    c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[0]), bv, c0);
                    c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[1]), bv, c1);
                    c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[2]), bv, c2);
                    c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[3]), bv, c3);
                    c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[4]), bv, c4);
                    c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[5]), bv, c5);
                    c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[6]), bv, c6);
                    c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[7]), bv, c7);
                    if (TPanels.Two)
                    {
                        c8 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[0]), bv, c8);
                        c9 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[1]), bv, c9);
                        c10 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[2]), bv, c10);
                        c11 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[3]), bv, c11);
                        c12 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[4]), bv, c12);
                        c13 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[5]), bv, c13);
                        c14 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[6]), bv, c14);
                        c15 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[7]), bv, c15);
                        a2 += 8;
                    }

                    a += 8;
                    b += NR;
                }

                var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols)).AsSingle();
                StoreRow(c, ldc, 0, rows, c0, mask, add);
                StoreRow(c, ldc, 1, rows, c1, mask, add);
                StoreRow(c, ldc, 2, rows, c2, mask, add);
                StoreRow(c, ldc, 3, rows, c3, mask, add);
                StoreRow(c, ldc, 4, rows, c4, mask, add);
                StoreRow(c, ldc, 5, rows, c5, mask, add);
                StoreRow(c, ldc, 6, rows, c6, mask, add);
                StoreRow(c, ldc, 7, rows, c7, mask, add);
                if (TPanels.Two)
                {
                    StoreRow(c, ldc, 8, rows, c8, mask, add);
                    StoreRow(c, ldc, 9, rows, c9, mask, add);
                    StoreRow(c, ldc, 10, rows, c10, mask, add);
                    StoreRow(c, ldc, 11, rows, c11, mask, add);
                    StoreRow(c, ldc, 12, rows, c12, mask, add);
                    StoreRow(c, ldc, 13, rows, c13, mask, add);
                    StoreRow(c, ldc, 14, rows, c14, mask, add);
                    StoreRow(c, ldc, 15, rows, c15, mask, add);
                }
            }

            /// <summary>Row i of the tile, when it is one of the valid rows: its masked columns (+)= v.</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private static void StoreRow(float* c, nint ldc, int i, int rows, Vector512<float> v, Vector512<float> mask, bool add)
            {
                if (i < rows)
                {
                    float* row = c + i * ldc;
                    if (add)
                    {
                        v += Avx512F.MaskLoad(row, mask, Vector512<float>.Zero);
                    }

                    Avx512F.MaskStore(row, mask, v);
                }
            }
        }

        // ------------------------------------------------------------------------------------------------ helpers

        /// <summary>
        /// Reads 8 floats from each of the first <paramref name="rows"/> rows at <paramref name="src"/> (stride
        /// <paramref name="lds"/>; missing rows repeat row 0) and writes column c as 8 floats at dst + c·ldd, c = 0..7.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static void Transpose8x8(float* src, nint lds, int rows, float* dst, nint ldd)
        {
            var r0 = Avx.LoadVector256(src);
            var r1 = Avx.LoadVector256(src + (rows > 1 ? lds : 0));
            var r2 = Avx.LoadVector256(src + (rows > 2 ? 2 * lds : 0));
            var r3 = Avx.LoadVector256(src + (rows > 3 ? 3 * lds : 0));
            var r4 = Avx.LoadVector256(src + (rows > 4 ? 4 * lds : 0));
            var r5 = Avx.LoadVector256(src + (rows > 5 ? 5 * lds : 0));
            var r6 = Avx.LoadVector256(src + (rows > 6 ? 6 * lds : 0));
            var r7 = Avx.LoadVector256(src + (rows > 7 ? 7 * lds : 0));

            RegisterTranspose.Store8x8(r0, r1, r2, r3, r4, r5, r6, r7, dst, ldd);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

        /// <summary>Rounds a pointer up to a 64-byte boundary (buffers are allocated with 16 floats of slack).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float* Align(float* p) => (float*)(((nuint)p + 63) & ~(nuint)63);

        private static float[] Buffer(ref float[]? slot, int floats)
        {
            int needed = floats + 64; // room to align to 64 bytes, plus slack for the overlapping transpose stores
            var buf = slot;
            if (buf == null || buf.Length < needed)
            {
                buf = GC.AllocateUninitializedArray<float>(Math.Max(needed, buf == null ? 0 : buf.Length * 2), pinned: true);
                slot = buf;
            }

            return buf;
        }
    }
}
