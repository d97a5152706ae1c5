using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ConvGen.Threading
{
    /// <summary>
    /// A tiny fork-join pool for data-parallel loops: persistent background workers, no per-call allocation.
    /// </summary>
    /// <remarks>
    /// One job runs at a time: concurrent callers from different threads wait for each other (a lock), and a nested call
    /// (made from inside a body) runs inline on its thread. Indices are handed out one by one through an atomic counter,
    /// so uneven bodies balance themselves. After a body throws, indices not yet started are skipped and the first
    /// exception is rethrown on the caller once every running body has returned. A body must not block on another thread
    /// that itself calls <see cref="For"/> (that call would wait for the running job).
    /// </remarks>
    public static class WorkerPool
    {
        // More helpers than a few per core only adds switching; the cap keeps a huge `threads` from creating hundreds.
        private static readonly int s_maxHelpers = Math.Clamp(4 * Environment.ProcessorCount, 8, 256) - 1;
        private const int SpinIterations = 2000;

        private static readonly object s_gate = new object();
        private static readonly SemaphoreSlim s_wake = new SemaphoreSlim(0, int.MaxValue);
        private static readonly ManualResetEventSlim s_done = new ManualResetEventSlim(false, 64);
        private static Thread[] s_workers = Array.Empty<Thread>();

        // The current job. Written under s_gate before workers are released; read by workers after they wake.
        private static Action<int>? s_body;
        private static int s_count;
        private static int s_next;
        private static int s_active;
        private static Exception? s_error;

        [ThreadStatic] private static bool t_inBody;

        static WorkerPool()
        {
            // The event creates its internal lock object on the first blocking wait; do that now rather than in a
            // steady-state call (keeps For allocation-free from the first call on).
            s_done.Wait(1);
        }

        /// <summary>Number of persistent worker threads created so far.</summary>
        public static int WorkerCount => Volatile.Read(ref s_workers).Length;

        /// <summary>
        /// Runs <paramref name="body"/>(0 … <paramref name="count"/>−1), each index exactly once, over at most
        /// <paramref name="threads"/> threads (the caller's included), and returns when all have finished.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
        public static void For(int count, int threads, Action<int> body)
        {
            ArgumentNullException.ThrowIfNull(body);
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            if (count == 0)
            {
                return;
            }

            int helpers = Math.Min(Math.Min(threads, count) - 1, s_maxHelpers);
            if (helpers <= 0 || t_inBody)
            {
                RunInline(count, body);
                return;
            }

            lock (s_gate)
            {
                EnsureWorkers(helpers);

                s_body = body;
                s_count = count;
                s_error = null;
                Volatile.Write(ref s_next, 0);
                Volatile.Write(ref s_active, helpers);
                s_done.Reset();
                s_wake.Release(helpers);

                Work();

                // Wait until every released helper has checked out, so none still touches this job's state.
                var spinner = new SpinWait();
                for (int i = 0; i < SpinIterations && Volatile.Read(ref s_active) != 0; i++)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }

                // Always consume the last helper's Set (it may come just after the counter reached zero); a Set left
                // over from this job must not end the next job's wait early.
                s_done.Wait();

                var error = s_error;
                s_body = null;
                s_error = null;
                if (error != null)
                {
                    ExceptionDispatchInfo.Capture(error).Throw();
                }
            }
        }

        private static void RunInline(int count, Action<int> body)
        {
            bool outer = !t_inBody;
            t_inBody = true;
            try
            {
                for (int i = 0; i < count; i++)
                {
                    body(i);
                }
            }
            finally
            {
                if (outer)
                {
                    t_inBody = false;
                }
            }
        }

        /// <summary>Claims and runs indices of the current job until none remain.</summary>
        private static void Work()
        {
            var body = s_body!;
            int count = s_count;
            t_inBody = true;
            try
            {
                while (true)
                {
                    int i = Interlocked.Increment(ref s_next) - 1;
                    if (i >= count)
                    {
                        break;
                    }

                    try
                    {
                        body(i);
                    }
                    catch (Exception ex)
                    {
                        Interlocked.CompareExchange(ref s_error, ex, null);
                        // Skip the indices nobody has claimed yet.
                        Interlocked.Exchange(ref s_next, count);
                        break;
                    }
                }
            }
            finally
            {
                t_inBody = false;
            }
        }

        private static void EnsureWorkers(int needed)
        {
            var workers = s_workers;
            if (workers.Length >= needed)
            {
                return;
            }

            var grown = new Thread[needed];
            Array.Copy(workers, grown, workers.Length);
            for (int i = workers.Length; i < needed; i++)
            {
                var thread = new Thread(WorkerLoop, 256 * 1024)
                {
                    IsBackground = true,
                    Name = "ConvGen worker " + i,
                };
                thread.Start();
                grown[i] = thread;
            }

            Volatile.Write(ref s_workers, grown);
        }

        private static void WorkerLoop()
        {
            while (true)
            {
                // SemaphoreSlim spins briefly before it blocks.
                s_wake.Wait();
                Work();
                if (Interlocked.Decrement(ref s_active) == 0)
                {
                    s_done.Set();
                }
            }
        }
    }
}
