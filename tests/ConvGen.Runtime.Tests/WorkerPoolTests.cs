using System;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Threading;

namespace ConvGen.Runtime.Tests
{
    public class WorkerPoolTests
    {
        [Fact]
        public void EveryIndexRunsExactlyOnce()
        {
            foreach (int threads in new[] { 0, 1, 2, 3, 4, 8 })
            {
                foreach (int count in new[] { 0, 1, 2, 5, 64, 1000 })
                {
                    for (int repeat = 0; repeat < 5; repeat++)
                    {
                        var hits = new int[count];
                        WorkerPool.For(count, threads, i => Interlocked.Increment(ref hits[i]));
                        for (int i = 0; i < count; i++)
                        {
                            Assert.True(hits[i] == 1, $"threads={threads} count={count}: index {i} ran {hits[i]} times");
                        }
                    }
                }
            }
        }

        [Fact]
        public void AllBodiesHaveFinishedWhenForReturns()
        {
            // Many tiny jobs back to back: a helper finishing late would leave a slot unset at return.
            var done = new int[4];
            Action<int> body = i =>
            {
                Thread.SpinWait(50 * (i + 1));
                Volatile.Write(ref done[i], 1);
            };
            for (int call = 0; call < 3000; call++)
            {
                Array.Clear(done);
                WorkerPool.For(4, 3, body);
                for (int i = 0; i < 4; i++)
                {
                    Assert.True(Volatile.Read(ref done[i]) == 1, $"call {call}: index {i} unfinished at return");
                }
            }
        }

        [Fact]
        public void UsesMoreThanOneThread()
        {
            if (Environment.ProcessorCount < 2) return;
            int distinct = 0;
            for (int attempt = 0; attempt < 20 && distinct < 2; attempt++)
            {
                var ids = new int[8];
                WorkerPool.For(8, 4, i =>
                {
                    ids[i] = Environment.CurrentManagedThreadId;
                    Thread.Sleep(2);
                });
                distinct = new System.Collections.Generic.HashSet<int>(ids).Count;
            }

            Assert.True(distinct >= 2);
        }

        [Fact]
        public void FirstExceptionIsRethrownOnCaller()
        {
            var ex = Assert.Throws<InvalidOperationException>(() =>
                WorkerPool.For(100, 4, i =>
                {
                    if (i == 37) throw new InvalidOperationException("boom 37");
                }));
            Assert.Equal("boom 37", ex.Message);

            // Inline path too.
            Assert.Throws<InvalidOperationException>(() => WorkerPool.For(3, 1, i => throw new InvalidOperationException()));

            // The pool still works afterwards.
            int sum = 0;
            WorkerPool.For(100, 4, i => Interlocked.Add(ref sum, i));
            Assert.Equal(4950, sum);
        }

        [Fact]
        public void NestedAndConcurrentCallsComplete()
        {
            var hits = new int[16 * 16];
            WorkerPool.For(16, 4, i => WorkerPool.For(16, 4, j => Interlocked.Increment(ref hits[i * 16 + j])));
            Assert.All(hits, h => Assert.Equal(1, h));

            var counts = new int[4 * 500];
            Parallel.For(0, 4, t =>
            {
                for (int r = 0; r < 20; r++)
                {
                    WorkerPool.For(500, 3, i => Interlocked.Increment(ref counts[t * 500 + i]));
                }
            });
            Assert.All(counts, h => Assert.Equal(20, h));
        }

        [Fact]
        public void NoAllocationInSteadyState()
        {
            var data = new long[256];
            Action<int> body = i => data[i]++;
            var calls = 0;
            void Call()
            {
                WorkerPool.For(256, 4, body);
                calls++;
            }

            for (int i = 0; i < 50; i++) Call();
            Assert.Equal(0, ConvGen.Tests.SteadyState.AllocatedBytes(Call, calls: 500));
            Assert.All(data, v => Assert.Equal(calls, v));
        }

        [Fact]
        public void Concurrent_callers_run_their_jobs_at_the_same_time()
        {
            // Each caller's body waits for the other caller's body: this completes only if the two jobs really run at
            // once (a pool that serialized callers would leave each waiting for the other until the timeout).
            using var meeting = new Barrier(2);
            var met = new bool[2];
            Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, caller =>
                WorkerPool.For(2, 2, i =>
                {
                    if (i == 0)
                    {
                        met[caller] = meeting.SignalAndWait(TimeSpan.FromSeconds(30));
                    }
                }));
            Assert.Equal(new[] { true, true }, met);
        }

        [Fact]
        public void Concurrent_jobs_keep_their_own_results_and_exceptions()
        {
            const int Callers = 4;
            var sums = new long[Callers];
            var failures = new int[Callers];
            Parallel.For(0, Callers, new ParallelOptions { MaxDegreeOfParallelism = Callers }, caller =>
            {
                for (int call = 0; call < 300; call++)
                {
                    try
                    {
                        WorkerPool.For(7, 3, i =>
                        {
                            if (caller == 0 && i == 5)
                            {
                                throw new InvalidOperationException("caller 0");
                            }

                            Interlocked.Add(ref sums[caller], i + 1);
                        });
                    }
                    catch (InvalidOperationException exception)
                    {
                        Assert.Equal("caller 0", exception.Message);
                        failures[caller]++;
                    }
                }
            });

            Assert.Equal(300, failures[0]);
            Assert.Equal(new[] { 0, 0, 0 }, failures[1..]);
            Assert.All(sums[1..], sum => Assert.Equal(300L * 28, sum));
        }
    }
}
