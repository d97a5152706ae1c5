using System;
using System.Collections.Generic;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests
{
    /// <summary>A product with A packed ahead (<see cref="PackedMatrix"/>) against the same product packing A on the call.</summary>
    [Collection("Simd")]
    public class PackedMatrixTests
    {
        public static IEnumerable<object[]> Levels() => GemmTests.Levels();

        // A in one MC block and several (m > 144), one KC block and several (k > 256), rows that fill the last panel and
        // rows that do not, split by columns (n ≥ m) and by rows (m > n); GoogLeNet's 832→384 1×1 conv on 7×7 and its
        // 480→192 on 14×14.
        private static readonly (int M, int N, int K)[] Shapes =
        {
            (384, 49, 832), (192, 196, 480), (301, 70, 41), (7, 1000, 66), (48, 49, 300), (6, 16, 257),
        };

        [Theory]
        [MemberData(nameof(Levels))]
        public void The_product_is_bit_identical_to_packing_A_on_the_call_on_every_thread_count(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(61 + (int)level);
                var split = false;
                foreach (var (m, n, k) in Shapes)
                {
                    int ldb = n + 2, ldc = n + 3;
                    var a = GemmTests.Random(rng, m * k);
                    var b = GemmTests.Random(rng, k * ldb);
                    var start = GemmTests.Random(rng, m * ldc);
                    var scale = GemmTests.Random(rng, m);
                    var shift = GemmTests.Random(rng, m);
                    var expected = (float[])start.Clone();
                    Gemm.Multiply(false, false, m, n, k, a, k, b, ldb, expected, ldc, scale, shift, Activation.ReLU);

                    var packed = new PackedMatrix(m, k);
                    Assert.True(packed.SetValues(a));
                    foreach (int threads in new[] { 1, 2, 3 })
                    {
                        split |= Gemm.Blocks(m, n, k, threads) > 1;
                        var actual = (float[])start.Clone();
                        Gemm.Multiply(packed, n, b, ldb, actual, ldc, scale, shift, Activation.ReLU, threads);
                        GemmEpilogueTests.AssertBitEqual(expected, actual, $"{level} {m}×{n}×{k} threads={threads}");
                    }
                }

                Assert.True(split || level == SimdLevel.Scalar, "no product was split, so the threads were not tested");
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void One_row_or_one_column_follows_a_float64_reference(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(67 + (int)level);
                foreach (var (m, n, k) in new[] { (1, 300, 70), (90, 1, 500), (1, 1, 9) })
                {
                    var a = GemmTests.Random(rng, m * k);
                    var b = GemmTests.Random(rng, k * n);
                    var c = new float[m * n];
                    var packed = new PackedMatrix(m, k);
                    packed.SetValues(a);
                    Gemm.Multiply(packed, n, b, n, c, n, default, default, Activation.None, threads: 2);
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            double s = 0, magnitude = 0;
                            for (int p = 0; p < k; p++)
                            {
                                s += (double)a[(i * k) + p] * b[(p * n) + j];
                                magnitude += Math.Abs((double)a[(i * k) + p] * b[(p * n) + j]);
                            }

                            Assert.True(Math.Abs(c[(i * n) + j] - s) <= (1e-5 * magnitude) + 1e-6, $"{level} {m}×{n}×{k}: C[{i},{j}] = {c[(i * n) + j]}, float64 gives {s}");
                        }
                    }
                }
            });
        }

        [Fact]
        public void Changed_values_are_repacked_and_unchanged_ones_are_not()
        {
            var rng = new Random(71);
            var (m, n, k) = (20, 40, 30);
            var a = GemmTests.Random(rng, m * k);
            var b = GemmTests.Random(rng, k * n);
            var packed = new PackedMatrix(m, k);
            Assert.True(packed.SetValues(a));
            Assert.False(packed.SetValues(a), "the same values, compared bit for bit, were packed again");

            a[(7 * k) + 29] += 1f;
            Assert.True(packed.SetValues(a), "a changed value was not repacked");
            var expected = new float[m * n];
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, expected, n, default, default, Activation.None);
            var actual = new float[m * n];
            Gemm.Multiply(packed, n, b, n, actual, n, default, default, Activation.None);
            GemmEpilogueTests.AssertBitEqual(expected, actual, "after the change");

            // A stamp promises the values: an equal one skips the comparison, a new one repacks.
            Assert.True(packed.SetValues(a, stamp: 5));
            Assert.False(packed.SetValues(a, stamp: 5));
            Assert.True(packed.SetValues(a, stamp: 6));
        }

        [Fact]
        public void A_matrix_packed_for_another_level_or_never_set_is_refused_until_set()
        {
            var a = GemmTests.Random(new Random(73), 12 * 10);
            var b = GemmTests.Random(new Random(74), 10 * 20);
            var c = new float[12 * 20];
            var packed = new PackedMatrix(12, 10);
            var unset = Assert.Throws<InvalidOperationException>(() => Gemm.Multiply(packed, 20, b, 20, c, 20, default, default, Activation.None));
            Assert.Contains("12×10 matrix holds no values", unset.Message);

            packed.SetValues(a);
            if (Simd.Supported == SimdLevel.Scalar)
            {
                return;
            }

            GemmTests.WithLevel(SimdLevel.Scalar, () =>
            {
                var stale = Assert.Throws<InvalidOperationException>(() => Gemm.Multiply(packed, 20, b, 20, c, 20, default, default, Activation.None));
                Assert.Contains($"packed for the {Simd.Supported} kernels, but the Scalar kernels run now", stale.Message);

                Assert.True(packed.SetValues(a), "a new level did not repack");
                var expected = new float[12 * 20];
                Gemm.Multiply(false, false, 12, 20, 10, a, 10, b, 20, expected, 20, accumulate: false);
                Gemm.Multiply(packed, 20, b, 20, c, 20, default, default, Activation.None);
                GemmEpilogueTests.AssertBitEqual(expected, c, "scalar");
            });
        }

        [Fact]
        public void Wrong_sizes_are_refused_naming_what_is_wrong()
        {
            Assert.Throws<ArgumentOutOfRangeException>("rows", () => new PackedMatrix(0, 5));
            Assert.Throws<ArgumentOutOfRangeException>("columns", () => new PackedMatrix(5, -1));
            var packed = new PackedMatrix(4, 5);
            var length = Assert.Throws<ArgumentException>("values", () => packed.SetValues(new float[19]));
            Assert.Contains("values holds 19 floats; a 4×5 matrix needs 20", length.Message);

            packed.SetValues(new float[20]);
            var shortB = Assert.Throws<ArgumentException>("b", () => Gemm.Multiply(packed, 3, new float[14], 3, new float[12], 3, default, default, Activation.None));
            Assert.Contains("Span b holds 14 floats; a 5×3 matrix", shortB.Message);
            Assert.Throws<ArgumentException>("rowShift", () => Gemm.Multiply(packed, 3, new float[15], 3, new float[12], 3, default, new float[3], Activation.None));
            Assert.Throws<ArgumentException>("activation", () => Gemm.Multiply(packed, 3, new float[15], 3, new float[12], 3, default, default, Activation.Softmax));
            Assert.Throws<ArgumentNullException>("a", () => Gemm.Multiply(null!, 3, new float[15], 3, new float[12], 3, default, default, Activation.None));
        }
    }
}
