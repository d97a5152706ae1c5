using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests
{
    /// <summary>
    /// The last B panel of the packed paths, when at most half of its columns are in C, goes through a narrow
    /// micro-kernel (AVX2 12×8 or 6×8, AVX-512 16×16 or 8×16) that stores under a column mask. Its elements must be the
    /// float64 product to rounding, leave C's other columns alone, and be bit-identical to the same elements computed
    /// by the full-width kernel (when more columns follow), for every thread count and with B packed or read in place.
    /// </summary>
    [Collection("Simd")]
    public class GemmEdgeTests
    {
        public static IEnumerable<object[]> Levels() => GemmTests.Levels();

        // Every width of the last 16-column panel (n mod 16 = 1..15) behind 0–3 full panels, every n up to 17 (one panel,
        // narrow up to 8 columns, full kernel from 9), and the 7×7 and 14×14 planes of 1×1 convs. On AVX-512 (32-column
        // panels) the same widths give narrow edges of every width from 1 to 16 columns, and wider ones.
        private static readonly int[] Widths =
            Enumerable.Range(1, 17).Concat(Enumerable.Range(1, 15).Select(r => 16 * (1 + r % 3) + r)).Concat(new[] { 49, 196 }).ToArray();

        // No row count is a multiple of 6 or 8: the narrow kernel runs two A panels at a time (12 or 16 rows), then one
        // panel that sticks out of C (5: only that; 13: two then one row; 23: two and 11 rows of the next two).
        private static readonly int[] Rows = { 5, 13, 23 };

        [Theory]
        [MemberData(nameof(Levels))]
        public void Edge_columns_are_the_float64_product_and_the_full_width_kernels_values_bit_for_bit(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(41 + (int)level);
                int run = 0;
                foreach (int n in Widths)
                foreach (bool tb in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                {
                    int m = Rows[run % Rows.Length];
                    int k = run % 2 == 0 ? 37 : 300; // one k block, or two (the second adds to what the first stored)
                    run++;

                    // The product is the first n columns of a product 64 columns wider, in which all of them sit in
                    // full-width panels; B has those columns as real values, so only the kernels differ.
                    int wide = n + 64;
                    var problem = Problem.Random(rng, m, wide, k, tb);
                    string what = $"{level} {m}×{n}×{k} tb={tb} acc={accumulate}";
                    var narrow = problem.Run(n, accumulate, threads: 1, alwaysPackB: false);
                    problem.AssertNearReference(narrow, n, accumulate, what);
                    problem.AssertBitEqual(problem.Run(n, accumulate, threads: 1, alwaysPackB: true), narrow, n, what + " with every B panel packed");
                    if (n > 1)
                    {
                        problem.AssertBitEqual(problem.Run(wide, accumulate, threads: 1, alwaysPackB: false), narrow, n, what + " against the wider product");
                    }
                    else if (!tb && !accumulate)
                    {
                        // One column takes the matrix-vector path unless A is packed ahead, which takes the packed path.
                        problem.AssertBitEqual(problem.RunPackedA(wide, threads: 1), problem.RunPackedA(n, threads: 1), n, what + " A packed ahead, against the wider product");
                    }
                }
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void Split_products_with_narrow_edges_equal_the_single_threaded_result_bit_for_bit(SimdLevel level)
        {
            // Split by rows (m > n: blocks of whole A panels, so the narrow kernel's pairs of panels fall elsewhere) and by
            // columns (the last block ends in the edge panel). Every n leaves a narrow edge on AVX2 (n mod 16 ≤ 8); all but
            // 49 (32 + 17) on AVX-512 too.
            (int M, int N, int K)[] shapes = { (200, 49, 100), (203, 9, 260), (23, 196, 300), (29, 200, 100) };
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(43 + (int)level);
                foreach (var (m, n, k) in shapes)
                foreach (bool tb in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                {
                    var problem = Problem.Random(rng, m, n, k, tb);
                    string what = $"{level} {m}×{n}×{k} tb={tb} acc={accumulate}";
                    var expected = problem.Run(n, accumulate, threads: 1, alwaysPackB: false);
                    problem.AssertNearReference(expected, n, accumulate, what);
                    foreach (int threads in new[] { 2, 3 })
                    {
                        Assert.True(Gemm.Blocks(m, n, k, threads) > 1, $"{m}×{n}×{k} with {threads} threads is not split, so this case tests nothing");
                        problem.AssertBitEqual(expected, problem.Run(n, accumulate, threads, alwaysPackB: false), n, $"{what} threads={threads}");
                        problem.AssertBitEqual(expected, problem.Run(n, accumulate, threads, alwaysPackB: true), n, $"{what} threads={threads} B packed");
                    }

                    if (!tb && !accumulate)
                    {
                        problem.AssertBitEqual(expected, problem.RunPackedA(n, threads: 2), n, what + " with A packed ahead, threads=2");
                    }
                }
            });
        }

        /// <summary>
        /// A product of up to <see cref="Wide"/> columns: A is m×k (lda = k + 1), B k×Wide or, transposed, Wide×k (padded
        /// leading dimensions), C m×Wide with two padding columns. A run over the first n columns returns C, after
        /// checking that its other columns kept their starting values.
        /// </summary>
        private sealed record Problem(int M, int Wide, int K, bool TransB, float[] A, float[] B, int Ldb, float[] C)
        {
            private int Ldc => Wide + 2;

            public static Problem Random(Random rng, int m, int wide, int k, bool transB)
            {
                int ldb = (transB ? k : wide) + 3;
                return new Problem(m, wide, k, transB, GemmTests.Random(rng, m * (k + 1)),
                    GemmTests.Random(rng, (transB ? wide : k) * ldb), ldb, GemmTests.Random(rng, m * (wide + 2)));
            }

            public float[] Run(int n, bool accumulate, int threads, bool alwaysPackB)
            {
                var c = (float[])C.Clone();
                bool saved = Gemm.AlwaysPackB;
                try
                {
                    Gemm.AlwaysPackB = alwaysPackB;
                    Gemm.Multiply(false, TransB, M, n, K, A, K + 1, B, Ldb, c, Ldc, accumulate, threads);
                }
                finally
                {
                    Gemm.AlwaysPackB = saved;
                }

                AssertUntouchedPast(c, n);
                return c;
            }

            /// <summary>C = A·B over the first n columns with A packed ahead (B not transposed).</summary>
            public float[] RunPackedA(int n, int threads)
            {
                var dense = new float[M * K];
                for (int i = 0; i < M; i++)
                {
                    A.AsSpan(i * (K + 1), K).CopyTo(dense.AsSpan(i * K));
                }

                var packed = new PackedMatrix(M, K);
                packed.SetValues(dense);
                var c = (float[])C.Clone();
                Gemm.Multiply(packed, n, B, Ldb, c, Ldc, default, default, Activation.None, threads);
                AssertUntouchedPast(c, n);
                return c;
            }

            public void AssertNearReference(float[] actual, int n, bool accumulate, string what)
            {
                for (int i = 0; i < M; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double s = accumulate ? C[i * Ldc + j] : 0.0, magnitude = Math.Abs(s);
                        for (int p = 0; p < K; p++)
                        {
                            double product = (double)A[i * (K + 1) + p] * (TransB ? B[j * Ldb + p] : B[p * Ldb + j]);
                            s += product;
                            magnitude += Math.Abs(product);
                        }

                        float got = actual[i * Ldc + j];
                        if (!(Math.Abs(got - s) <= 1e-5 * magnitude + 1e-6))
                        {
                            Assert.Fail($"{what}: C[{i},{j}] = {got:R}, float64 product {s:R} (magnitude {magnitude:G3})");
                        }
                    }
                }
            }

            /// <summary>Checks that the first n columns of <paramref name="actual"/> hold exactly the values of <paramref name="expected"/>.</summary>
            public void AssertBitEqual(float[] expected, float[] actual, int n, string what)
            {
                for (int i = 0; i < M; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        float e = expected[i * Ldc + j], got = actual[i * Ldc + j];
                        if (BitConverter.SingleToInt32Bits(e) != BitConverter.SingleToInt32Bits(got))
                        {
                            Assert.Fail($"{what}: C[{i},{j}] = {got:R}, expected {e:R}");
                        }
                    }
                }
            }

            /// <summary>Checks that a product over the first n columns left C's other columns at their starting values.</summary>
            private void AssertUntouchedPast(float[] c, int n)
            {
                for (int i = 0; i < M; i++)
                {
                    for (int j = n; j < Ldc; j++)
                    {
                        if (BitConverter.SingleToInt32Bits(c[i * Ldc + j]) != BitConverter.SingleToInt32Bits(C[i * Ldc + j]))
                        {
                            Assert.Fail($"C[{i},{j}] changed, outside the {n} columns of the product");
                        }
                    }
                }
            }
        }
    }
}
