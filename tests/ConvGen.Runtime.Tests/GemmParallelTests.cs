using System;
using System.Collections.Generic;
using System.Threading;
using ConvGen.Kernels;
using ConvGen.Threading;

namespace ConvGen.Runtime.Tests
{
    /// <summary>A product split over the threads its caller grants gives exactly the single-threaded result.</summary>
    [Collection("Simd")]
    public class GemmParallelTests
    {
        public static IEnumerable<object[]> Levels() => GemmTests.Levels();

        // Each path the product can take, with sizes that are not multiples of the block edges and with padded leading
        // dimensions: matrix-vector (m = 1, n = 1), packed split by columns (n ≥ m) and by rows (m > n), one block of A
        // (m ≤ 144) and several, one k block (≤ 256) and several.
        private static readonly (int M, int N, int K)[] Shapes =
        {
            (1, 500, 2450), (1, 2450, 500), (1, 77, 4000), (500, 1, 600), (301, 1, 1040),
            (20, 784, 25), (50, 196, 500), (500, 196, 50), (50, 500, 196), (500, 2450, 1), (150, 70, 520), (7, 1000, 66), (333, 40, 41),
        };

        [Theory]
        [MemberData(nameof(Levels))]
        public void Split_products_equal_the_single_threaded_result_bit_for_bit(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(31 + (int)level);
                foreach (var (m, n, k) in Shapes)
                foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    bool accumulate = (m + n + (ta ? 1 : 0)) % 2 == 0;
                    var problem = Problem.Random(rng, ta, tb, m, n, k, pad: rng.Next(0, 3));
                    var expected = problem.Run(accumulate, threads: 1);
                    foreach (int threads in new[] { 2, 3, 4 })
                    {
                        Assert.True(Gemm.Blocks(m, n, k, threads) > 1, $"{m}×{n}×{k} with {threads} threads is not split, so this case tests nothing");
                        var actual = problem.Run(accumulate, threads);
                        AssertBitEqual(expected, actual, $"{level} ta={ta} tb={tb} {m}×{n}×{k} acc={accumulate} threads={threads}");
                    }
                }
            });
        }

        [Fact]
        public void Small_products_and_products_inside_a_pool_body_stay_on_one_thread()
        {
            Assert.Equal(1, Gemm.Blocks(1, 10, 500, threads: 2));   // 5,000 multiply-adds: less than a fork and join costs
            Assert.Equal(1, Gemm.Blocks(10, 100, 100, threads: 2)); // 100,000: not two blocks' worth
            Assert.Equal(1, Gemm.Blocks(6, 16, 16, threads: 8));
            Assert.Equal(1, Gemm.Blocks(50, 196, 500, threads: 1));
            Assert.Equal(2, Gemm.Blocks(50, 196, 500, threads: 2));
            Assert.Equal(1, Gemm.Blocks(2, 2, 1_000_000, threads: 4)); // one block of columns (and of rows) at most

            var inBody = new int[2];
            var problem = Problem.Random(new Random(3), false, false, 50, 196, 500, pad: 1);
            var expected = problem.Run(accumulate: false, threads: 1);
            var results = new float[2][];
            WorkerPool.For(2, 2, i =>
            {
                inBody[i] = Gemm.Blocks(50, 196, 500, threads: 2);
                results[i] = problem.Run(accumulate: false, threads: 2);
            });
            Assert.Equal(new[] { 1, 1 }, inBody);
            AssertBitEqual(expected, results[0], "inside a pool body");
            AssertBitEqual(expected, results[1], "inside a pool body");
        }

        [Fact]
        public void Callers_on_two_threads_splitting_at_once_each_get_their_own_result()
        {
            // Two callers, each granting two threads to every product, share one pool; neither may wait for the other
            // forever, and neither may see the other's operands.
            var problems = new[]
            {
                Problem.Random(new Random(11), false, false, 50, 196, 500, pad: 0),
                Problem.Random(new Random(12), false, true, 1, 500, 2450, pad: 2),
            };
            var expected = Array.ConvertAll(problems, p => p.Run(accumulate: false, threads: 1));
            var mismatches = new int[2];
            var callers = new Thread[2];
            for (int t = 0; t < 2; t++)
            {
                int caller = t;
                callers[t] = new Thread(() =>
                {
                    for (int call = 0; call < 200; call++)
                    {
                        var actual = problems[caller].Run(accumulate: false, threads: 2);
                        if (!BitEqual(expected[caller], actual))
                        {
                            mismatches[caller]++;
                        }
                    }
                });
                callers[t].Start();
            }

            foreach (var thread in callers)
            {
                Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "a caller did not finish: the two callers' products wait for each other");
            }

            Assert.Equal(new[] { 0, 0 }, mismatches);
        }

        [Fact]
        public void Threads_below_one_are_refused()
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>("threads",
                () => Gemm.Multiply(false, false, 2, 2, 2, new float[4], 2, new float[4], 2, new float[4], 2, false, threads: 0));
            Assert.Contains("0", ex.Message);
        }

        [Fact]
        public void Split_products_allocate_nothing_in_steady_state()
        {
            var rng = new Random(5);
            var problems = new[]
            {
                Problem.Random(rng, false, false, 50, 196, 500, pad: 0),
                Problem.Random(rng, true, false, 500, 196, 50, pad: 0),
                Problem.Random(rng, false, true, 1, 500, 2450, pad: 0),
                Problem.Random(rng, true, true, 500, 1, 300, pad: 0),
            };
            var outputs = Array.ConvertAll(problems, p => new float[p.C.Length]);
            void Run()
            {
                for (int i = 0; i < problems.Length; i++)
                {
                    problems[i].RunInto(outputs[i], accumulate: true, threads: 2);
                }
            }

            Run();
            Assert.Equal(0, ConvGen.Tests.SteadyState.AllocatedBytes(Run, calls: 20));
        }

        private static bool BitEqual(float[] expected, float[] actual)
        {
            if (expected.Length != actual.Length) return false;
            for (int i = 0; i < expected.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i])) return false;
            }

            return true;
        }

        private static void AssertBitEqual(float[] expected, float[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                {
                    Assert.Fail($"{what}: C[{i}] = {actual[i]:R}, one thread gives {expected[i]:R}");
                }
            }
        }

        /// <summary>One product's operands (C's padding columns included, so a write past a block's edge shows).</summary>
        private sealed record Problem(bool TransA, bool TransB, int M, int N, int K, float[] A, int Lda, float[] B, int Ldb, float[] C, int Ldc)
        {
            public static Problem Random(Random rng, bool ta, bool tb, int m, int n, int k, int pad)
            {
                int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
                return new Problem(ta, tb, m, n, k, GemmTests.Random(rng, (ta ? k : m) * lda), lda, GemmTests.Random(rng, (tb ? n : k) * ldb), ldb,
                    GemmTests.Random(rng, m * ldc), ldc);
            }

            /// <summary>C (+)= op(A)·op(B) on a copy of the starting C, returned.</summary>
            public float[] Run(bool accumulate, int threads)
            {
                var c = (float[])C.Clone();
                Gemm.Multiply(TransA, TransB, M, N, K, A, Lda, B, Ldb, c, Ldc, accumulate, threads);
                return c;
            }

            public void RunInto(float[] c, bool accumulate, int threads) =>
                Gemm.Multiply(TransA, TransB, M, N, K, A, Lda, B, Ldb, c, Ldc, accumulate, threads);
        }
    }
}
