using System;
using System.Collections.Generic;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests
{
    [Collection("Simd")]
    public class GemmTests
    {
        public static IEnumerable<object[]> Levels()
        {
            foreach (SimdLevel level in Enum.GetValues<SimdLevel>())
            {
                if (level <= Simd.Supported)
                {
                    yield return new object[] { level };
                }
            }
        }

        /// <summary>
        /// Runs <paramref name="action"/> at <paramref name="level"/>, AVX-512 taken as full width, so that the
        /// AVX-512 level runs the 16-float kernels on any AVX-512 CPU (the double-pumped choice: <see cref="WithKernels"/>).
        /// </summary>
        internal static void WithLevel(SimdLevel level, Action action) => WithKernels(level, doublePumped: false, action);

        /// <summary>Runs <paramref name="action"/> at <paramref name="level"/> with <see cref="Simd.Avx512DoublePumped"/> set to <paramref name="doublePumped"/>.</summary>
        internal static void WithKernels(SimdLevel level, bool doublePumped, Action action)
        {
            var saved = (Simd.Level, Simd.Avx512DoublePumped);
            try
            {
                Simd.Level = level;
                Simd.Avx512DoublePumped = doublePumped;
                action();
            }
            finally
            {
                (Simd.Level, Simd.Avx512DoublePumped) = saved;
            }
        }

        internal static float[] Random(Random rng, int length)
        {
            var x = new float[length];
            for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
            return x;
        }

        /// <summary>Runs one case against a float64 reference; checks C's padding columns stay untouched.</summary>
        private static void Check(Random rng, bool ta, bool tb, int m, int n, int k, int padA, int padB, int padC, bool accumulate)
        {
            int lda = (ta ? m : k) + padA, ldb = (tb ? k : n) + padB, ldc = n + padC;
            int rowsA = ta ? k : m, rowsB = tb ? n : k;
            var a = Random(rng, rowsA * lda);
            var b = Random(rng, rowsB * ldb);
            var c = Random(rng, m * ldc);
            var c0 = (float[])c.Clone();

            Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < ldc; j++)
                {
                    if (j >= n)
                    {
                        Assert.True(c[i * ldc + j] == c0[i * ldc + j], $"padding C[{i},{j}] changed");
                        continue;
                    }

                    double s = accumulate ? c0[i * ldc + j] : 0.0, mag = Math.Abs(s);
                    for (int p = 0; p < k; p++)
                    {
                        double av = ta ? a[p * lda + i] : a[i * lda + p];
                        double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                        s += av * bv;
                        mag += Math.Abs(av * bv);
                    }

                    double err = Math.Abs(c[i * ldc + j] - s);
                    if (err > 1e-5 * mag + 1e-6)
                    {
                        Assert.Fail($"ta={ta} tb={tb} m={m} n={n} k={k} acc={accumulate}: C[{i},{j}]={c[i * ldc + j]} expected {s} (err {err}, magnitude {mag})");
                    }
                }
            }
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void EdgeSizesAllTransposes(SimdLevel level)
        {
            WithLevel(level, () =>
            {
                var rng = new Random(1234 + (int)level);
                int[] sizes = { 1, 7, 15, 17, 33 };
                foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                foreach (int m in sizes)
                foreach (int n in sizes)
                foreach (int k in new[] { 1, 17, 33 })
                {
                    Check(rng, ta, tb, m, n, k, 0, 0, 0, accumulate: (m + n) % 2 == 0);
                }
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void LargeAndBlockedShapes(SimdLevel level)
        {
            WithLevel(level, () =>
            {
                var rng = new Random(99 + (int)level);
                // Shapes that cross the KC (256), MC (144) and NC (2048) block boundaries, and conv-like shapes.
                (int m, int n, int k)[] shapes =
                {
                    (257, 33, 17), (17, 257, 300), (150, 70, 520), (20, 784, 25), (50, 196, 500), (3, 2100, 9), (64, 49, 257),
                };
                foreach (var (m, n, k) in shapes)
                foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    Check(rng, ta, tb, m, n, k, 0, 0, 0, accumulate: ta);
                }
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void RandomShapesWithLeadingDimensions(SimdLevel level)
        {
            WithLevel(level, () =>
            {
                var rng = new Random(7 + (int)level);
                for (int trial = 0; trial < 150; trial++)
                {
                    int m = rng.Next(1, 70), n = rng.Next(1, 90), k = rng.Next(1, 300);
                    if (trial % 10 == 0) m = 1;
                    if (trial % 10 == 5) n = 1;
                    Check(rng, rng.Next(2) == 1, rng.Next(2) == 1, m, n, k, rng.Next(0, 5), rng.Next(0, 5), rng.Next(0, 5), rng.Next(2) == 1);
                }
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void ZeroSizes(SimdLevel level)
        {
            WithLevel(level, () =>
            {
                var c = new float[] { 1, 2, 3, 4, 5, 6 };
                Gemm.Multiply(false, false, 2, 3, 0, Array.Empty<float>(), 0, Array.Empty<float>(), 3, c, 3, accumulate: true);
                Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, c);
                Gemm.Multiply(false, false, 2, 3, 0, Array.Empty<float>(), 0, Array.Empty<float>(), 3, c, 3, accumulate: false);
                Assert.Equal(new float[6], c);
                Gemm.Multiply(false, false, 0, 3, 4, Array.Empty<float>(), 4, new float[12], 3, Array.Empty<float>(), 3, false);
                Gemm.Multiply(false, false, 2, 0, 4, new float[8], 4, Array.Empty<float>(), 0, Array.Empty<float>(), 0, false);
            });
        }

        [Fact]
        public void InvalidArgumentsThrow()
        {
            var a = new float[12];
            var b = new float[12];
            var c = new float[9];
            Assert.Throws<ArgumentException>("m", () => Gemm.Multiply(false, false, -1, 3, 4, a, 4, b, 3, c, 3, false));
            Assert.Throws<ArgumentException>("n", () => Gemm.Multiply(false, false, 3, -1, 4, a, 4, b, 3, c, 3, false));
            Assert.Throws<ArgumentException>("k", () => Gemm.Multiply(false, false, 3, 3, -4, a, 4, b, 3, c, 3, false));
            Assert.Throws<ArgumentException>("lda", () => Gemm.Multiply(false, false, 3, 3, 4, a, 3, b, 3, c, 3, false));
            Assert.Throws<ArgumentException>("lda", () => Gemm.Multiply(true, false, 3, 3, 4, a, 2, b, 3, c, 3, false));
            Assert.Throws<ArgumentException>("ldb", () => Gemm.Multiply(false, false, 3, 3, 4, a, 4, b, 2, c, 3, false));
            Assert.Throws<ArgumentException>("ldb", () => Gemm.Multiply(false, true, 3, 3, 4, a, 4, b, 3, c, 3, false));
            Assert.Throws<ArgumentException>("ldc", () => Gemm.Multiply(false, false, 3, 3, 4, a, 4, b, 3, c, 2, false));
            Assert.Throws<ArgumentException>("a", () => Gemm.Multiply(false, false, 3, 3, 4, new float[11], 4, b, 3, c, 3, false));
            Assert.Throws<ArgumentException>("b", () => Gemm.Multiply(false, false, 3, 3, 4, a, 4, new float[11], 3, c, 3, false));
            Assert.Throws<ArgumentException>("c", () => Gemm.Multiply(false, false, 3, 3, 4, a, 4, b, 3, new float[8], 3, false));
            Assert.Throws<ArgumentException>("c", () => Gemm.Multiply(false, false, 3, 3, 4, a, 4, b, 3, new float[9], 4, false));
            var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 3, 3, 4, a, 5, b, 3, c, 3, false));
            Assert.Contains("14", ex.Message);
            // The last row needs only its own columns, not a full leading dimension.
            Gemm.Multiply(false, false, 3, 3, 4, new float[14], 5, b, 3, c, 3, false);
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void NoAllocationInSteadyState(SimdLevel level)
        {
            WithLevel(level, () =>
            {
                var rng = new Random(5);
                var a = Random(rng, 64 * 300);
                var b = Random(rng, 300 * 200);
                var c = new float[64 * 200];
                void Run()
                {
                    Gemm.Multiply(false, false, 64, 200, 300, a, 300, b, 200, c, 200, false);
                    Gemm.Multiply(true, true, 64, 200, 300, a, 64, b, 300, c, 200, true);
                    Gemm.Multiply(false, true, 1, 200, 300, a, 300, b, 300, c, 200, false);
                    Gemm.Multiply(true, false, 1, 200, 300, a, 64, b, 200, c, 200, true);
                    Gemm.Multiply(false, false, 64, 1, 300, a, 300, b, 200, c, 200, false);
                    Gemm.Multiply(true, true, 64, 1, 300, a, 64, b, 300, c, 200, true);
                }

                Run();
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 20; i++) Run();
                long after = GC.GetAllocatedBytesForCurrentThread();
                Assert.Equal(0, after - before);
            });
        }
    }
}
