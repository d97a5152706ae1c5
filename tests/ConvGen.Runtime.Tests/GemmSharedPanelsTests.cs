using System;
using System.Collections.Generic;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests
{
    /// <summary>Blocks of columns of a split product read one packed op(A), packed by whichever block claims each part first.</summary>
    [Collection("Simd")]
    public class GemmSharedPanelsTests
    {
        public static IEnumerable<object[]> Levels() => GemmTests.Levels();

        // Split by columns (n ≥ m): op(A) in one MC block (m ≤ 144) and in several, one KC block (k ≤ 256) and several,
        // m not a multiple of the micro-kernel's rows; the 1×1 convs of GoogLeNet (480→192 on 14×14) and ResNet-18.
        private static readonly (int M, int N, int K)[] Shapes =
        {
            (192, 196, 480), (128, 784, 64), (50, 196, 500), (301, 420, 41), (149, 600, 530), (7, 1000, 66),
        };

        [Theory]
        [MemberData(nameof(Levels))]
        public void Sharing_op_A_changes_no_bit_for_any_thread_count(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(53 + (int)level);
                foreach (var (m, n, k) in Shapes)
                foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
                    var a = GemmTests.Random(rng, (ta ? k : m) * lda);
                    var b = GemmTests.Random(rng, (tb ? n : k) * ldb);
                    var start = GemmTests.Random(rng, m * ldc);
                    bool accumulate = (m + k) % 2 == 1;
                    var expected = (float[])start.Clone();
                    Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate, threads: 1);
                    foreach (int threads in new[] { 2, 3, 4 })
                    {
                        Assert.True(Gemm.Blocks(m, n, k, threads) > 1, $"{m}×{n}×{k} with {threads} threads is not split, so this case tests nothing");
                        // Shared over the pool; packed by each block; shared, every block on the calling thread (which then packs all of op(A)).
                        foreach (var (perPart, callingThread) in new[] { (false, false), (true, false), (false, true) })
                        {
                            var actual = (float[])start.Clone();
                            try
                            {
                                Gemm.PackSharedOperandPerPart = perPart;
                                Gemm.SplitOnCallingThread = callingThread;
                                Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, actual, ldc, accumulate, threads);
                            }
                            finally
                            {
                                Gemm.PackSharedOperandPerPart = false;
                                Gemm.SplitOnCallingThread = false;
                            }

                            GemmEpilogueTests.AssertBitEqual(expected, actual,
                                $"{level} ta={ta} tb={tb} {m}×{n}×{k} acc={accumulate} threads={threads} packed per part={perPart} on the calling thread={callingThread}");
                        }
                    }
                }
            });
        }

        [Fact]
        public void Successive_products_of_other_shapes_repack_the_shared_operand()
        {
            // The same calling thread's split keeps its shared buffer: a smaller product after a larger one, and a new A of
            // the same shape, must not read what the previous product packed.
            var rng = new Random(59);
            var shapes = new[] { (M: 192, N: 196, K: 480), (M: 64, N: 300, K: 200), (M: 64, N: 300, K: 200), (M: 192, N: 196, K: 480) };
            foreach (var (m, n, k) in shapes)
            {
                var a = GemmTests.Random(rng, m * k);
                var b = GemmTests.Random(rng, k * n);
                var expected = new float[m * n];
                var actual = new float[m * n];
                Gemm.Multiply(false, false, m, n, k, a, k, b, n, expected, n, accumulate: false, threads: 1);
                Gemm.Multiply(false, false, m, n, k, a, k, b, n, actual, n, accumulate: false, threads: 2);
                GemmEpilogueTests.AssertBitEqual(expected, actual, $"{m}×{n}×{k} after another product");
            }
        }

        [Fact]
        public void Four_callers_splitting_at_once_all_finish_with_the_single_threaded_result()
        {
            // Four callers share the pool, each granting its products 2 threads: a product's helper is often busy with another
            // caller's, so a caller then runs both blocks itself and packs every block of op(A) alone.
            var rng = new Random(61);
            var a = GemmTests.Random(rng, 192 * 480);
            var b = GemmTests.Random(rng, 480 * 196);
            var expected = new float[192 * 196];
            Gemm.Multiply(false, false, 192, 196, 480, a, 480, b, 196, expected, 196, accumulate: false, threads: 1);
            var results = new float[4][];
            var callers = new System.Threading.Thread[4];
            for (int t = 0; t < callers.Length; t++)
            {
                int caller = t;
                callers[t] = new System.Threading.Thread(() =>
                {
                    var c = new float[192 * 196];
                    for (int call = 0; call < 20; call++)
                    {
                        Gemm.Multiply(false, false, 192, 196, 480, a, 480, b, 196, c, 196, accumulate: false, threads: 2);
                    }

                    results[caller] = c;
                });
                callers[t].Start();
            }

            foreach (var thread in callers)
            {
                Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "a caller did not finish: a block waits for a packing nobody runs");
            }

            foreach (var result in results)
            {
                GemmEpilogueTests.AssertBitEqual(expected, result, "four callers at once");
            }
        }
    }
}
