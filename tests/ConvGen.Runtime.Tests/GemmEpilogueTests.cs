using System;
using System.Collections.Generic;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests
{
    /// <summary>A product with a per-row epilogue: C[i, j] = f(op(A)·op(B)[i, j] · scale[i] + shift[i]).</summary>
    [Collection("Simd")]
    public class GemmEpilogueTests
    {
        public static IEnumerable<object[]> Levels() => GemmTests.Levels();

        // Split by columns (n ≥ m) and by rows (m > n), op(A) in one MC block and several, one KC block and several, the
        // matrix-vector paths (m = 1, n = 1), and GoogLeNet's 480→192 1×1 conv on 14×14.
        private static readonly (int M, int N, int K)[] Shapes =
        {
            (192, 196, 480), (50, 196, 300), (301, 70, 41), (7, 1000, 66), (1, 500, 2450), (500, 1, 600),
        };

        [Theory]
        [MemberData(nameof(Levels))]
        public void Epilogue_follows_a_float64_reference(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(41 + (int)level);
                foreach (var activation in new[] { Activation.None, Activation.ReLU, Activation.ReLU6, Activation.Tanh, Activation.Sigmoid })
                {
                    var (m, n, k) = (37, 53, 70);
                    var a = GemmTests.Random(rng, m * k);
                    var b = GemmTests.Random(rng, k * n);
                    var scale = Scaled(GemmTests.Random(rng, m), 4f);
                    var shift = Scaled(GemmTests.Random(rng, m), 2f);
                    var c = new float[m * n];
                    Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, scale, shift, activation, threads: 1);
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            double s = 0, magnitude = 0;
                            for (int p = 0; p < k; p++)
                            {
                                s += (double)a[i * k + p] * b[p * n + j];
                                magnitude += Math.Abs((double)a[i * k + p] * b[p * n + j]);
                            }

                            double expected = Activate((s * scale[i]) + shift[i], activation);
                            double tolerance = (1e-5 * ((magnitude * Math.Abs(scale[i])) + Math.Abs(shift[i]))) + 1e-6;
                            Assert.True(Math.Abs(c[(i * n) + j] - expected) <= tolerance,
                                $"{level} {activation}: C[{i},{j}] = {c[(i * n) + j]}, float64 gives {expected}");
                        }
                    }
                }
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void Epilogue_equals_the_product_then_ScaleShiftActivate_per_row_on_every_thread_count(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(43 + (int)level);
                foreach (var (m, n, k) in Shapes)
                foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
                    var a = GemmTests.Random(rng, (ta ? k : m) * lda);
                    var b = GemmTests.Random(rng, (tb ? n : k) * ldb);
                    var start = GemmTests.Random(rng, m * ldc);
                    var scale = (m + n) % 2 == 0 ? GemmTests.Random(rng, m) : Array.Empty<float>();
                    var shift = GemmTests.Random(rng, m);
                    var activation = ta ? Activation.ReLU : Activation.ReLU6;

                    var expected = (float[])start.Clone();
                    Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate: false);
                    for (int i = 0; i < m; i++)
                    {
                        VectorOps.ScaleShiftActivate(expected.AsSpan(i * ldc, n), scale.Length == 0 ? 1f : scale[i], shift[i], activation);
                    }

                    foreach (int threads in new[] { 1, 2, 3 })
                    {
                        var actual = (float[])start.Clone();
                        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, actual, ldc, scale, shift, activation, threads);
                        AssertBitEqual(expected, actual, $"{level} ta={ta} tb={tb} {m}×{n}×{k} threads={threads}");
                    }
                }
            });
        }

        [Fact]
        public void Empty_factors_are_a_scale_of_one_and_a_shift_of_zero()
        {
            var rng = new Random(47);
            var a = GemmTests.Random(rng, 20 * 30);
            var b = GemmTests.Random(rng, 30 * 40);
            var expected = new float[20 * 40];
            Gemm.Multiply(false, false, 20, 40, 30, a, 30, b, 40, expected, 40, accumulate: false);
            for (int i = 0; i < expected.Length; i++) expected[i] = MathF.Max(expected[i], 0f);

            var actual = new float[20 * 40];
            Gemm.Multiply(false, false, 20, 40, 30, a, 30, b, 40, actual, 40, rowScale: default, rowShift: default, Activation.ReLU);
            AssertBitEqual(expected, actual, "no factors, ReLU");
            Assert.Contains(actual, v => v == 0f);
            Assert.Contains(actual, v => v > 0f);
        }

        [Fact]
        public void An_empty_depth_gives_the_epilogue_of_zero()
        {
            var c = new[] { 5f, 5f, 5f, 5f, 5f, 5f };
            Gemm.Multiply(false, false, 2, 3, 0, Array.Empty<float>(), 0, Array.Empty<float>(), 3, c, 3, new[] { 2f, 2f }, new[] { -1f, 1.5f }, Activation.ReLU);
            Assert.Equal(new[] { 0f, 0f, 0f, 1.5f, 1.5f, 1.5f }, c);
        }

        [Fact]
        public void Factor_spans_of_the_wrong_length_and_Softmax_are_refused()
        {
            var a = new float[6];
            var b = new float[6];
            var c = new float[4];
            var scale = Assert.Throws<ArgumentException>("rowScale",
                () => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, new float[3], default, Activation.None));
            Assert.Contains("3 factors for a product of 2 rows", scale.Message);
            var shift = Assert.Throws<ArgumentException>("rowShift",
                () => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, default, new float[1], Activation.None));
            Assert.Contains("1 factors for a product of 2 rows", shift.Message);
            var softmax = Assert.Throws<ArgumentException>("activation",
                () => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, default, default, Activation.Softmax));
            Assert.Contains("Softmax is not one", softmax.Message);
        }

        internal static float[] Scaled(float[] values, float factor)
        {
            for (int i = 0; i < values.Length; i++) values[i] *= factor;
            return values;
        }

        internal static double Activate(double x, Activation activation) => activation switch
        {
            Activation.ReLU => Math.Max(x, 0),
            Activation.ReLU6 => Math.Clamp(x, 0, 6),
            Activation.Tanh => Math.Tanh(x),
            Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
            _ => x,
        };

        internal static void AssertBitEqual(float[] expected, float[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                {
                    Assert.Fail($"{what}: C[{i}] = {actual[i]:R}, expected {expected[i]:R}");
                }
            }
        }
    }
}
