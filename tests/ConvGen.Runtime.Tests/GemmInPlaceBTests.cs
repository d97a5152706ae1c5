using System;
using System.Collections.Generic;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests
{
    /// <summary>
    /// The blocked paths read the full-width micro-panels of a B that is not transposed in place (the first tile of a
    /// panel packs it for the tiles below): the product must be the float64 product to rounding and bit-identical to
    /// packing every panel first.
    /// </summary>
    [Collection("Simd")]
    public class GemmInPlaceBTests
    {
        public static IEnumerable<object[]> Levels() => GemmTests.Levels();

        // Around the edges of the paths: m ≤ MR (6 or 8: one row of tiles, nothing to copy), m just over MR (the first
        // tile copies the panel for one more), m at and beyond MC = 144 (the first MC block copies, the others read the
        // copy); n below NR (16 or 32: only an edge panel), at NR, with and without an edge panel, across NC = 2048;
        // k across KC = 256; and conv-like shapes (1×1 over 28×28, 14×14 and 7×7 planes).
        private static readonly (int M, int N, int K)[] Shapes =
        {
            (2, 16, 9), (5, 33, 40), (6, 32, 257), (7, 16, 1), (8, 64, 30), (9, 47, 31), (13, 15, 20), (16, 49, 300),
            (64, 96, 256), (96, 196, 64), (143, 31, 70), (144, 48, 33), (145, 80, 260), (300, 49, 100), (20, 2100, 12),
        };

        [Theory]
        [MemberData(nameof(Levels))]
        public void In_place_B_gives_the_float64_product_and_the_packed_result_bit_for_bit(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(17 + (int)level);
                int split = 0;
                foreach (var (m, n, k) in Shapes)
                foreach (bool ta in new[] { false, true })
                foreach (int padB in new[] { 0, 3, 61 })
                {
                    bool accumulate = (m + padB + (ta ? 1 : 0)) % 2 == 0;
                    var problem = Problem.Random(rng, ta, m, n, k, padB);
                    // In place first: the packing buffers then hold another product's panels, not this one's.
                    var inPlace = problem.Run(accumulate, threads: 1, alwaysPackB: false);
                    var packed = problem.Run(accumulate, threads: 1, alwaysPackB: true);
                    string what = $"{level} ta={ta} {m}×{n}×{k} ldb={problem.Ldb} acc={accumulate}";
                    problem.AssertNearReference(inPlace, accumulate, what);
                    AssertBitEqual(packed, inPlace, what);
                    AssertBitEqual(packed, problem.Run(accumulate, threads: 2, alwaysPackB: false), what + " threads=2");

                    if (Gemm.Blocks(m, n, k, threads: 2) > 1) split++;
                }

                Assert.True(split > 0, "no shape is split over two threads, so the two-thread runs test nothing new");
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void Products_too_big_for_one_block_of_either_operand_match_bit_for_bit(SimdLevel level)
        {
            // m > MC, n > NC and k > KC at once: the blocks of op(A) after the first read the panels the first one copied,
            // the next k block reads B in place again, and the second column block (42 columns) ends in an edge panel.
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(23 + (int)level);
                foreach (bool accumulate in new[] { false, true })
                {
                    var problem = Problem.Random(rng, transA: accumulate, 150, 2090, 260, padB: 5);
                    var inPlace = problem.Run(accumulate, threads: 1, alwaysPackB: false);
                    AssertBitEqual(problem.Run(accumulate, threads: 1, alwaysPackB: true), inPlace, $"{level} acc={accumulate}");
                }
            });
        }

        private static void AssertBitEqual(float[] expected, float[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                {
                    Assert.Fail($"{what}: C[{i}] = {actual[i]:R} with B in place, {expected[i]:R} with B packed");
                }
            }
        }

        /// <summary>
        /// One product with B not transposed. B's padding columns hold NaN and B ends right after its last row's n columns,
        /// so a panel that reaches past column n poisons C; C's padding columns are random and must stay as they are.
        /// </summary>
        private sealed record Problem(bool TransA, int M, int N, int K, float[] A, int Lda, float[] B, int Ldb, float[] C, int Ldc)
        {
            public static Problem Random(Random rng, bool transA, int m, int n, int k, int padB)
            {
                int lda = (transA ? m : k) + 1, ldb = n + padB, ldc = n + 2;
                var b = GemmTests.Random(rng, (k - 1) * ldb + n);
                for (int p = 0; p + 1 < k; p++)
                {
                    b.AsSpan(p * ldb + n, padB).Fill(float.NaN);
                }

                return new Problem(transA, m, n, k, GemmTests.Random(rng, (transA ? k : m) * lda), lda, b, ldb, GemmTests.Random(rng, m * ldc), ldc);
            }

            /// <summary>C (+)= op(A)·B on a copy of the starting C, returned.</summary>
            public float[] Run(bool accumulate, int threads, bool alwaysPackB)
            {
                var c = (float[])C.Clone();
                bool saved = Gemm.AlwaysPackB;
                try
                {
                    Gemm.AlwaysPackB = alwaysPackB;
                    Gemm.Multiply(TransA, false, M, N, K, A, Lda, B, Ldb, c, Ldc, accumulate, threads);
                }
                finally
                {
                    Gemm.AlwaysPackB = saved;
                }

                return c;
            }

            public void AssertNearReference(float[] actual, bool accumulate, string what)
            {
                for (int i = 0; i < M; i++)
                {
                    for (int j = 0; j < Ldc; j++)
                    {
                        float got = actual[i * Ldc + j], start = C[i * Ldc + j];
                        if (j >= N)
                        {
                            Assert.True(BitConverter.SingleToInt32Bits(got) == BitConverter.SingleToInt32Bits(start), $"{what}: padding C[{i},{j}] changed");
                            continue;
                        }

                        double s = accumulate ? start : 0.0, magnitude = Math.Abs(s);
                        for (int p = 0; p < K; p++)
                        {
                            double product = (double)(TransA ? A[p * Lda + i] : A[i * Lda + p]) * B[p * Ldb + j];
                            s += product;
                            magnitude += Math.Abs(product);
                        }

                        if (!(Math.Abs(got - s) <= 1e-5 * magnitude + 1e-6))
                        {
                            Assert.Fail($"{what}: C[{i},{j}] = {got:R}, float64 product {s:R} (magnitude {magnitude:G3})");
                        }
                    }
                }
            }
        }
    }
}
