using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ConvGen.Threading
{
    /// <summary>
    /// A tiny fork-join pool for data-parallel loops: persistent background workers, no per-call allocation.
    /// </summary>
    /// <remarks>
    /// Each call is its own job, so callers on different threads (separate networks) run at the same time: the caller
    /// always works on its own job, and asks for helpers, which take jobs in the order they were asked for. A caller that
    /// finishes its indices before a helper arrived withdraws that request instead of waiting for a busy pool, so one
    /// long job never holds up another caller. A nested call (made from inside a body) runs inline on its thread.
    /// Indices are handed out one by one through an atomic counter, so uneven bodies balance themselves. After a body
    /// throws, indices not yet started are skipped and the first exception is rethrown on the caller once every running
    /// body of that job has returned.
    /// </remarks>
    public static class WorkerPool
    {
        // More helpers than a few per core only adds switching; the cap keeps a huge `threads` from creating hundreds.
        private static readonly int s_maxHelpers = Math.Clamp(4 * Environment.ProcessorCount, 8, 256) - 1;

        private static readonly SemaphoreSlim s_wake = new SemaphoreSlim(0, int.MaxValue);

        // A worker that has just finished a job, and a caller waiting for its helpers, poll for this long before they
        // block in the kernel: a network's layers fork every few microseconds, and a kernel wake-up costs about as much
        // as a small layer. Only as many workers spin as leave one core to the caller (none on a single core).
        private static readonly long s_spinTicks = Environment.ProcessorCount > 1 ? Stopwatch.Frequency / 20_000 : 0; // 50 µs
        private static readonly int s_maxSpinning = Environment.ProcessorCount - 1;
        private static int s_spinning;

        // Open KeepWorkersSpinning scopes: while there is one, a spinning worker keeps polling past the spin window.
        private static int s_spinningScopes;

        // Workers blocked in the kernel, which a new scope wakes so that its first fork finds them polling.
        private static int s_sleeping;

        // Helper requests, oldest first: one entry per helper a job asked for. Guarded by s_requestsGate.
        private static readonly object s_requestsGate = new object();
        private static Job?[] s_requests = new Job?[64];
        private static int s_requestCount;

        private static readonly object s_workersGate = new object();
        private static Thread[] s_workers = Array.Empty<Thread>();

        // Each thread reuses its own job object: a thread runs one outer job at a time (nested calls run inline).
        [ThreadStatic] private static Job? t_job;
        [ThreadStatic] private static bool t_inBody;

        /// <summary>Number of persistent worker threads created so far.</summary>
        public static int WorkerCount => Volatile.Read(ref s_workers).Length;

        /// <summary>Open <see cref="KeepWorkersSpinning"/> scopes, process-wide.</summary>
        internal static int OpenSpinningScopes => Volatile.Read(ref s_spinningScopes);

        /// <summary>Workers blocked in the kernel waiting for a wake-up, rather than polling or working.</summary>
        internal static int SleepingWorkers => Volatile.Read(ref s_sleeping);

        /// <summary>
        /// True on a thread that is running a body of <see cref="For"/> (where a nested <see cref="For"/> runs inline):
        /// code that could split its own work over the pool stays on one thread there.
        /// </summary>
        public static bool IsRunningBody => t_inBody;

        /// <summary>
        /// Keeps the workers a caller granted <paramref name="threads"/> will fork to polling for jobs instead of sleeping in
        /// the kernel, from now until the scope is disposed (once): for a caller about to fork many jobs in a row, such as
        /// a network's steps, whose serial stretches and uneven parts between two forks would otherwise outlast the spin
        /// window and cost a kernel wake-up at the next fork. Sleeping workers are woken now, so the first fork finds them
        /// polling too. Scopes may overlap, on one thread or several; workers poll while any is open, then return to the
        /// usual spin window. As ever, only as many workers poll as leave one core to the caller, so nothing happens for
        /// one thread or on a single core.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static SpinningScope KeepWorkersSpinning(int threads)
        {
            int helpers = Math.Min(threads - 1, s_maxSpinning);
            if (helpers <= 0 || t_inBody)
            {
                return default;
            }

            EnsureWorkers(helpers);
            Interlocked.Increment(ref s_spinningScopes);
            int wake = Math.Min(Volatile.Read(ref s_sleeping), helpers - Volatile.Read(ref s_spinning));
            if (wake > 0)
            {
                // A worker woken without a request finds none and goes back to polling (as after a withdrawn request).
                s_wake.Release(wake);
            }

            return new SpinningScope(open: true);
        }

        /// <summary>
        /// Runs <paramref name="body"/>(0 … <paramref name="count"/>−1), each index exactly once, over at most
        /// <paramref name="threads"/> threads (the caller's included), and returns when all have finished.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

            EnsureWorkers(helpers);
            var job = t_job ??= new Job();
            job.Start(body, count, helpers);
            Request(job, helpers);

            job.Work();

            // Helpers that have not picked the job up yet are not needed any more.
            int withdrawn = Withdraw(job);
            if (withdrawn == 0 || Interlocked.Add(ref job.Outstanding, -withdrawn) != 0)
            {
                // Some helper is still in a body of this job (or has just signalled): wait for the last one.
                if (!SpinUntil(job.Done))
                {
                    job.Done.Wait();
                }
            }

            job.Done.Reset();
            var error = job.Finish();
            if (error != null)
            {
                ExceptionDispatchInfo.Capture(error).Throw();
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

        private static void Request(Job job, int helpers)
        {
            lock (s_requestsGate)
            {
                if (s_requestCount + helpers > s_requests.Length)
                {
                    Array.Resize(ref s_requests, Math.Max(2 * s_requests.Length, s_requestCount + helpers));
                }

                for (int i = 0; i < helpers; i++)
                {
                    s_requests[s_requestCount++] = job;
                }
            }

            s_wake.Release(helpers);
        }

        /// <summary>Removes the requests of <paramref name="job"/> no helper has taken; returns how many.</summary>
        private static int Withdraw(Job job)
        {
            int removed = 0;
            lock (s_requestsGate)
            {
                int kept = 0;
                for (int i = 0; i < s_requestCount; i++)
                {
                    var request = s_requests[i];
                    if (ReferenceEquals(request, job))
                    {
                        removed++;
                    }
                    else
                    {
                        s_requests[kept++] = request;
                    }
                }

                Array.Clear(s_requests, kept, s_requestCount - kept);
                s_requestCount = kept;
            }

            // Take back the wake-ups those requests would have caused (a worker that wakes anyway finds nothing and sleeps).
            for (int i = 0; i < removed && s_wake.Wait(0); i++)
            {
            }

            return removed;
        }

        private static Job? TakeRequest()
        {
            lock (s_requestsGate)
            {
                if (s_requestCount == 0)
                {
                    return null;
                }

                var job = s_requests[0];
                s_requestCount--;
                Array.Copy(s_requests, 1, s_requests, 0, s_requestCount);
                s_requests[s_requestCount] = null;
                return job;
            }
        }

        private static void EnsureWorkers(int needed)
        {
            if (Volatile.Read(ref s_workers).Length >= needed)
            {
                return;
            }

            lock (s_workersGate)
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
        }

        private static void WorkerLoop()
        {
            while (true)
            {
                if (!SpinUntilWoken())
                {
                    Interlocked.Increment(ref s_sleeping);
                    s_wake.Wait();
                    Interlocked.Decrement(ref s_sleeping);
                }

                var job = TakeRequest();
                if (job is null)
                {
                    continue;
                }

                job.Work();
                if (Interlocked.Decrement(ref job.Outstanding) == 0)
                {
                    job.Done.Set();
                }
            }
        }

        /// <summary>Polls <paramref name="done"/> for the spin window; true when it was set in that time.</summary>
        private static bool SpinUntil(ManualResetEventSlim done)
        {
            long end = Stopwatch.GetTimestamp() + s_spinTicks;
            while (!done.IsSet)
            {
                if (Stopwatch.GetTimestamp() > end)
                {
                    return false;
                }

                Thread.SpinWait(8);
            }

            return true;
        }

        /// <summary>
        /// Polls for a wake-up for the spin window, or as long as a <see cref="KeepWorkersSpinning"/> scope is open, unless
        /// enough workers are spinning already; true when it took one (as <c>s_wake.Wait()</c> would have). Past the
        /// window a scope's polling yields the core between two checks: on a busy machine the caller may be waiting for
        /// this very core, and on an idle one the yield returns at once.
        /// </summary>
        private static bool SpinUntilWoken()
        {
            if (Interlocked.Increment(ref s_spinning) > s_maxSpinning)
            {
                Interlocked.Decrement(ref s_spinning);
                return false;
            }

            try
            {
                long end = Stopwatch.GetTimestamp() + s_spinTicks;
                while (true)
                {
                    if (s_wake.CurrentCount > 0 && s_wake.Wait(0))
                    {
                        return true;
                    }

                    if (Stopwatch.GetTimestamp() <= end)
                    {
                        Thread.SpinWait(8);
                    }
                    else if (Volatile.Read(ref s_spinningScopes) > 0)
                    {
                        Thread.Yield();
                    }
                    else
                    {
                        return false;
                    }
                }
            }
            finally
            {
                Interlocked.Decrement(ref s_spinning);
            }
        }

        /// <summary>An open <see cref="KeepWorkersSpinning"/> scope (or none, when the default value): disposing it closes it.</summary>
        public readonly struct SpinningScope : IDisposable
        {
            private readonly bool _open;

            internal SpinningScope(bool open) => _open = open;

            /// <summary>Closes the scope: workers poll on only while another is open, then for the usual spin window.</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public void Dispose()
            {
                if (_open)
                {
                    Interlocked.Decrement(ref s_spinningScopes);
                }
            }
        }

        /// <summary>One call's loop: its body, the next index to hand out, and the helpers still owed to it.</summary>
        private sealed class Job
        {
            /// <summary>Helper requests not yet withdrawn or finished; the helper that brings it to zero sets <see cref="Done"/>.</summary>
            public int Outstanding;

            public readonly ManualResetEventSlim Done = new ManualResetEventSlim(false, 64);

            private Action<int>? _body;
            private int _count;
            private int _next;
            private Exception? _error;

            public Job()
            {
                // The event creates its internal lock object on the first blocking wait; do that now rather than in a
                // steady-state call (keeps For allocation-free from the first call on).
                Done.Wait(1);
            }

            public void Start(Action<int> body, int count, int helpers)
            {
                _body = body;
                _count = count;
                _error = null;
                Volatile.Write(ref _next, 0);
                Volatile.Write(ref Outstanding, helpers);
            }

            /// <summary>Claims and runs indices until none remain.</summary>
            public void Work()
            {
                var body = _body!;
                int count = _count;
                t_inBody = true;
                try
                {
                    while (true)
                    {
                        int i = Interlocked.Increment(ref _next) - 1;
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
                            Interlocked.CompareExchange(ref _error, ex, null);
                            // Skip the indices nobody has claimed yet.
                            Interlocked.Exchange(ref _next, count);
                            break;
                        }
                    }
                }
                finally
                {
                    t_inBody = false;
                }
            }

            /// <summary>Forgets the body (so the job does not keep it alive) and returns the first exception, if any.</summary>
            public Exception? Finish()
            {
                var error = _error;
                _body = null;
                _error = null;
                return error;
            }
        }
    }
}
