using System;
using System.Collections.Generic;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests
{
    /// <summary>
    /// A product whose epilogue adds a matrix laid out like C (a residual Add fused into a conv):
    /// C[i, j] = f(op(A)·op(B)[i, j] · scale[i] + shift[i] + addend[i, j]), bit for bit the product with its factors
    /// followed by <see cref="VectorOps.AddActivate"/> on each row.
    /// </summary>
    [Collection("Simd")]
    public class GemmAddendTests
    {
        private static readonly Activation[] Activations = { Activation.None, Activation.ReLU, Activation.ReLU6, Activation.Tanh, Activation.Sigmoid };

        // Every path: the matrix-vector ones (m = 1, n = 1), packed split by columns (n ≥ m) and by rows (m > n), a small
        // product that stays on one thread, an empty depth; n not a multiple of 8 so rows end in a scalar tail.
        private static readonly (int M, int N, int K)[] Shapes =
        {
            (1, 500, 2450), (500, 1, 600), (50, 196, 500), (500, 196, 50), (7, 1000, 66), (13, 29, 17), (5, 19, 0),
        };

        public static IEnumerable<object[]> Levels() => GemmTests.Levels();

        [Theory]
        [MemberData(nameof(Levels))]
        public void The_addend_equals_the_product_then_AddActivate_per_row_bit_for_bit_on_every_thread_count(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(71 + (int)level);
                var split = false;
                for (int s = 0; s < Shapes.Length; s++)
                {
                    var (m, n, k) = Shapes[s];
                    bool ta = s % 2 == 1, tb = s % 3 == 1;
                    int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
                    var a = GemmTests.Random(rng, (ta ? k : m) * lda);
                    var b = GemmTests.Random(rng, (tb ? n : k) * ldb);
                    var start = GemmTests.Random(rng, m * ldc);
                    var addend = WithSpecialValues(GemmTests.Random(rng, m * ldc), n, ldc);
                    for (int f = 0; f < Activations.Length; f++)
                    {
                        var activation = Activations[f];

                        // Both factors, a shift alone, and none (the epilogue still runs for the addend alone).
                        var scale = (s + f) % 3 == 0 ? GemmEpilogueTests.Scaled(GemmTests.Random(rng, m), 3f) : Array.Empty<float>();
                        var shift = (s + f) % 3 != 2 ? GemmTests.Random(rng, m) : Array.Empty<float>();
                        var expected = (float[])start.Clone();
                        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, scale, shift, Activation.None, threads: 1);
                        AddActivatePerRow(expected, addend, m, n, ldc, activation);

                        foreach (int threads in new[] { 1, 2, 3 })
                        {
                            split |= Gemm.Blocks(m, n, k, threads) > 1;
                            var actual = (float[])start.Clone();
                            Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, actual, ldc, scale, shift, addend, activation, threads);
                            GemmEpilogueTests.AssertBitEqual(expected, actual,
                                $"{level} {activation} ta={ta} tb={tb} {m}×{n}×{k} scale={scale.Length} shift={shift.Length} threads={threads}");
                        }
                    }
                }

                Assert.True(split, "no product was split, so the threads were not tested");
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void Packed_A_with_an_addend_equals_its_product_then_AddActivate_per_row_bit_for_bit(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(73 + (int)level);
                var split = false;
                foreach (var (m, n, k) in new[] { (128, 49, 64), (301, 70, 41), (7, 1000, 66), (1, 300, 70), (90, 1, 500) })
                {
                    int ldb = n + 2, ldc = n + 3;
                    var a = GemmTests.Random(rng, m * k);
                    var b = GemmTests.Random(rng, k * ldb);
                    var start = GemmTests.Random(rng, m * ldc);
                    var addend = WithSpecialValues(GemmTests.Random(rng, m * ldc), n, ldc);
                    var scale = GemmTests.Random(rng, m);
                    var shift = GemmTests.Random(rng, m);
                    var packed = new PackedMatrix(m, k);
                    packed.SetValues(a);
                    foreach (var activation in Activations)
                    {
                        var expected = (float[])start.Clone();
                        Gemm.Multiply(packed, n, b, ldb, expected, ldc, scale, shift, Activation.None, threads: 1);
                        AddActivatePerRow(expected, addend, m, n, ldc, activation);
                        foreach (int threads in new[] { 1, 2, 3 })
                        {
                            split |= Gemm.Blocks(m, n, k, threads) > 1;
                            var actual = (float[])start.Clone();
                            Gemm.Multiply(packed, n, b, ldb, actual, ldc, scale, shift, addend, activation, threads);
                            GemmEpilogueTests.AssertBitEqual(expected, actual, $"{level} {activation} {m}×{n}×{k} threads={threads}");
                        }
                    }
                }

                Assert.True(split || level == SimdLevel.Scalar, "no product was split, so the threads were not tested");
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void The_addend_epilogue_follows_a_float64_reference(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(79 + (int)level);
                foreach (var (m, n, k) in new[] { (37, 53, 70), (1, 45, 30), (45, 1, 30) })
                foreach (var activation in Activations)
                {
                    var a = GemmTests.Random(rng, m * k);
                    var b = GemmTests.Random(rng, k * n);
                    var scale = GemmEpilogueTests.Scaled(GemmTests.Random(rng, m), 4f);
                    var shift = GemmTests.Random(rng, m);
                    var addend = GemmEpilogueTests.Scaled(GemmTests.Random(rng, m * n), 3f);
                    var c = new float[m * n];
                    Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, scale, shift, addend, activation, threads: 2);
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            double sum = 0, magnitude = 0;
                            for (int p = 0; p < k; p++)
                            {
                                sum += (double)a[(i * k) + p] * b[(p * n) + j];
                                magnitude += Math.Abs((double)a[(i * k) + p] * b[(p * n) + j]);
                            }

                            double expected = GemmEpilogueTests.Activate((sum * scale[i]) + shift[i] + addend[(i * n) + j], activation);
                            double tolerance = (1e-5 * ((magnitude * Math.Abs(scale[i])) + Math.Abs(shift[i]) + Math.Abs(addend[(i * n) + j]))) + 1e-6;
                            Assert.True(Math.Abs(c[(i * n) + j] - expected) <= tolerance,
                                $"{level} {activation} {m}×{n}×{k}: C[{i},{j}] = {c[(i * n) + j]}, float64 gives {expected}");
                        }
                    }
                }
            });
        }

        [Fact]
        public void An_empty_depth_gives_the_epilogue_of_zero_plus_the_addend()
        {
            // ldc = 4: the padding column of C stays as it was, and the addend's padding is not read into C.
            var c = new[] { 5f, 5f, 5f, 9f, 5f, 5f, 5f, 9f };
            var addend = new[] { 0.5f, -3f, 4f, 100f, 2f, -2f, 6f, 100f };
            Gemm.Multiply(false, false, 2, 3, 0, Array.Empty<float>(), 0, Array.Empty<float>(), 3, c, 4,
                new[] { 2f, 2f }, new[] { -1f, 1.5f }, addend, Activation.ReLU6);
            Assert.Equal(new[] { 0f, 0f, 3f, 9f, 3.5f, 0f, 6f, 9f }, c);
        }

        [Fact]
        public void Without_factors_or_activation_the_addend_is_still_added()
        {
            var rng = new Random(83);
            var (m, n, k) = (9, 21, 14);
            var a = GemmTests.Random(rng, m * k);
            var b = GemmTests.Random(rng, k * n);
            var addend = GemmTests.Random(rng, m * n);
            var product = new float[m * n];
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, product, n, accumulate: false);
            var expected = new float[m * n];
            for (int i = 0; i < expected.Length; i++) expected[i] = product[i] + addend[i];

            var actual = new float[m * n];
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, actual, n, default, default, addend, Activation.None);
            GemmEpilogueTests.AssertBitEqual(expected, actual, "addend alone");
        }

        [Fact]
        public void An_addend_too_short_for_C_is_refused_naming_it()
        {
            var (m, n, k, ldc) = (3, 5, 4, 7);
            var a = new float[m * k];
            var b = new float[k * n];
            var c = new float[((m - 1) * ldc) + n];
            var plain = Assert.Throws<ArgumentException>("addend",
                () => Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, ldc, default, default, new float[c.Length - 1], Activation.ReLU));
            Assert.Contains("Span addend holds 18 floats; a 3×5 matrix with leading dimension 7 needs 19", plain.Message);

            var packed = new PackedMatrix(m, k);
            packed.SetValues(a);
            var withPacked = Assert.Throws<ArgumentException>("addend",
                () => Gemm.Multiply(packed, n, b, n, c, ldc, default, default, new float[5], Activation.None));
            Assert.Contains("Span addend holds 5 floats", withPacked.Message);

            // Exactly as long as C needs (the last row without its padding) is enough.
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, ldc, default, default, new float[c.Length], Activation.None);
        }

        [Fact]
        public void An_addend_overlapping_C_is_refused_and_one_beside_it_in_the_same_buffer_is_not()
        {
            var rng = new Random(89);
            var (m, n, k) = (4, 6, 5);
            var a = GemmTests.Random(rng, m * k);
            var b = GemmTests.Random(rng, k * n);
            var buffer = GemmTests.Random(rng, 3 * m * n);
            var error = Assert.Throws<ArgumentException>("addend",
                () => Gemm.Multiply(false, false, m, n, k, a, k, b, n, buffer.AsSpan(0, m * n), n, default, default, buffer.AsSpan(0, m * n), Activation.None));
            Assert.Contains("addend overlaps c", error.Message);
            Assert.Throws<ArgumentException>("addend",
                () => Gemm.Multiply(false, false, m, n, k, a, k, b, n, buffer.AsSpan(0, 2 * m * n), n, default, default, buffer.AsSpan((m * n) - 1), Activation.None));

            // C spans the buffer's first m·n floats, the addend the next m·n: apart, though C's span runs on over it.
            var addend = buffer.AsSpan(m * n, m * n).ToArray();
            var expected = new float[m * n];
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, expected, n, default, default, addend, Activation.ReLU);
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, buffer.AsSpan(0, (2 * m * n) + 1), n, default, default, buffer.AsSpan(m * n, m * n), Activation.ReLU);
            GemmEpilogueTests.AssertBitEqual(expected, buffer.AsSpan(0, m * n).ToArray(), "addend beside C");
        }

        /// <summary>NaN and ±∞ at the start of the first row (a vector on the vector paths) and at the end of the last (the scalar tail when n is not a multiple of 8).</summary>
        private static float[] WithSpecialValues(float[] addend, int n, int ldc)
        {
            int last = addend.Length - ldc + n - 1;
            addend[0] = float.NaN;
            addend[Math.Min(1, last)] = float.PositiveInfinity;
            addend[last] = float.NegativeInfinity;
            addend[Math.Max(last - 1, 0)] = float.NaN;
            return addend;
        }

        private static void AddActivatePerRow(float[] c, float[] addend, int m, int n, int ldc, Activation activation)
        {
            for (int i = 0; i < m; i++)
            {
                var row = c.AsSpan(i * ldc, n);
                VectorOps.AddActivate(row, addend.AsSpan(i * ldc, n), row, activation);
            }
        }
    }
}
