using System.Runtime.InteropServices;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// CPU time consumed by this whole process (all threads, the JIT's background thread included), from
    /// clock_gettime(CLOCK_PROCESS_CPUTIME_ID): for cold measurements with --cpu-time on a shared machine, where wall-clock
    /// time would count the time slices other processes take.
    /// </summary>
    internal static class CpuClock
    {
        private const int ProcessCpuTime = 2; // CLOCK_PROCESS_CPUTIME_ID

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        public static double ProcessSeconds()
        {
            ClockGetTime(ProcessCpuTime, out var time);
            return time.Seconds + time.Nanoseconds * 1e-9;
        }
    }
}
