using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Threading;

namespace ConvGen.Runtime.Tests
{
    /// <summary>
    /// <see cref="WorkerPool.KeepWorkersSpinning"/>: a scope keeps workers polling between forks and wakes sleeping ones,
    /// and once every scope is closed the workers go back to sleep. Waits have a generous limit that only turns a hang
    /// into a failure; nothing here measures time.
    /// </summary>
    [Collection("WorkerPool spinning")]
    public sealed class WorkerPoolSpinningTests
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

        [Fact]
        public void Scopes_count_while_open_nest_and_close_in_any_order()
        {
            if (Environment.ProcessorCount < 2) return; // one core: no worker ever polls, so no scope opens
            var before = WorkerPool.OpenSpinningScopes;

            var outer = WorkerPool.KeepWorkersSpinning(2);
            var inner = WorkerPool.KeepWorkersSpinning(4);
            Assert.Equal(before + 2, WorkerPool.OpenSpinningScopes);

            outer.Dispose();
            Assert.Equal(before + 1, WorkerPool.OpenSpinningScopes);
            inner.Dispose();
            Assert.Equal(before, WorkerPool.OpenSpinningScopes);
        }

        [Fact]
        public void One_thread_a_pool_body_and_the_default_scope_open_nothing()
        {
            var before = WorkerPool.OpenSpinningScopes;
            using (WorkerPool.KeepWorkersSpinning(1))
            {
                Assert.Equal(before, WorkerPool.OpenSpinningScopes);
            }

            var inBody = new int[2];
            WorkerPool.For(2, 2, i =>
            {
                using var scope = WorkerPool.KeepWorkersSpinning(2);
                inBody[i] = WorkerPool.OpenSpinningScopes - before;
            });
            Assert.Equal(new[] { 0, 0 }, inBody);

            default(WorkerPool.SpinningScope).Dispose();
            Assert.Equal(before, WorkerPool.OpenSpinningScopes);
        }

        [Fact]
        public void Every_index_runs_exactly_once_while_scopes_of_several_callers_are_open()
        {
            const int Callers = 3;
            var hits = new int[Callers * 200];
            Parallel.For(0, Callers, new ParallelOptions { MaxDegreeOfParallelism = Callers }, caller =>
            {
                using var scope = WorkerPool.KeepWorkersSpinning(2);
                for (int call = 0; call < 50; call++)
                {
                    WorkerPool.For(200, 2, i => Interlocked.Increment(ref hits[(caller * 200) + i]));
                }
            });
            Assert.All(hits, h => Assert.Equal(50, h));
        }

        [Fact]
        public void A_scope_wakes_a_sleeping_worker_which_polls_until_the_last_scope_closes_and_then_sleeps_again()
        {
            if (Environment.ProcessorCount < 2) return;
            WorkerPool.For(2, 2, _ => { }); // at least one worker exists
            Assert.True(WaitUntil(() => WorkerPool.SleepingWorkers == WorkerPool.WorkerCount), "the workers never fell asleep after their last job");

            var first = WorkerPool.KeepWorkersSpinning(2);
            Assert.True(WaitUntil(() => WorkerPool.SleepingWorkers == WorkerPool.WorkerCount - 1), "opening a scope woke no worker");
            var second = WorkerPool.KeepWorkersSpinning(2);
            first.Dispose();

            // A thousand spin windows later the woken worker is still polling, because a scope is still open.
            Thread.Sleep(50);
            Assert.Equal(WorkerPool.WorkerCount - 1, WorkerPool.SleepingWorkers);

            second.Dispose();
            Assert.True(WaitUntil(() => WorkerPool.SleepingWorkers == WorkerPool.WorkerCount), "a worker kept polling after the last scope closed");
        }

        /// <summary>Polls <paramref name="condition"/> until it holds (true) or <see cref="Patience"/> runs out (false).</summary>
        private static bool WaitUntil(Func<bool> condition)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > Patience)
                {
                    return false;
                }

                Thread.Sleep(1);
            }

            return true;
        }
    }
}
