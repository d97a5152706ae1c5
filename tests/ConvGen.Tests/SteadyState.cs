using System;

namespace ConvGen.Tests
{
    /// <summary>Measures what a call allocates once the process has settled.</summary>
    internal static class SteadyState
    {
        /// <summary>
        /// Bytes this thread allocates over <paramref name="calls"/> calls of <paramref name="call"/>, measured in up to five
        /// windows and reporting the first that allocates nothing (else the last). One-time runtime work — tiered-JIT
        /// promotion, objects the runtime creates lazily — can land in one window; an allocation per call shows in every one.
        /// </summary>
        public static long AllocatedBytes(Action call, int calls)
        {
            long allocated = 0;
            for (var window = 0; window < 5; window++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < calls; i++)
                {
                    call();
                }

                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated == 0)
                {
                    break;
                }
            }

            return allocated;
        }
    }
}
