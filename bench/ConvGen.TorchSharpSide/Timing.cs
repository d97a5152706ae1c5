using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace ConvGen.TorchSharpSide
{
    /// <summary>What the cold child reports besides the harness's timing rules (<c>Measurement</c>, linked from the harness).</summary>
    internal static class Timing
    {
        /// <summary>This process's peak working set (VmHWM), MiB, as the harness's own cold children report it.</summary>
        public static double PeakResidentMebibytes()
        {
            using var self = Process.GetCurrentProcess();
            return Math.Round(self.PeakWorkingSet64 / (1024.0 * 1024.0), 1);
        }

        public static double LoadAverage() =>
            double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

        /// <summary>The Debian 13 packages setup-runtime.sh unpacked beside the host this process runs on.</summary>
        public static string RuntimeVersions()
        {
            var file = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Environment.ProcessPath!)!)!, "versions");
            return File.Exists(file) ? File.ReadAllText(file).Trim() : "versions unknown: not started from setup-runtime.sh's host";
        }
    }
}
