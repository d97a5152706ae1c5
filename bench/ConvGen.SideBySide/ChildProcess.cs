using System;
using System.Diagnostics;
using System.IO;

namespace ConvGen.SideBySide
{
    /// <summary>Starts the child processes of the harness (itself, or python3), optionally pinned to core 0 with taskset.</summary>
    internal static class ChildProcess
    {
        private const string Taskset = "/usr/bin/taskset";

        /// <summary>Whether <see cref="Run"/> can pin a child to one core (util-linux's taskset is installed).</summary>
        public static bool CanPin => File.Exists(Taskset);

        /// <summary>Runs <paramref name="file"/> to completion and returns its exit code (-1 if it could not start) and stdout.</summary>
        public static int Run(string file, string arguments, bool pinToOneCore, out string output)
        {
            var start = pinToOneCore && CanPin
                ? new ProcessStartInfo(Taskset, $"-c 0 \"{file}\" {arguments}")
                : new ProcessStartInfo(file, arguments);
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            try
            {
                using var process = Process.Start(start)!;
                var stderr = process.StandardError.ReadToEndAsync();
                output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                stderr.Wait();
                if (process.ExitCode != 0)
                {
                    Console.Error.WriteLine($"{Path.GetFileName(file)} {arguments} exited with {process.ExitCode}: {stderr.Result.Trim()}");
                }

                return process.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                output = string.Empty;
                return -1;
            }
        }

        /// <summary>Runs this harness again with <paramref name="arguments"/>, whether it was started as an apphost or as `dotnet x.dll`.</summary>
        public static int RunSelf(string arguments, bool pinToOneCore, out string output)
        {
            var self = Environment.ProcessPath!;
            var dll = typeof(ChildProcess).Assembly.Location;
            return self.EndsWith("dotnet", StringComparison.Ordinal)
                ? Run(self, $"\"{dll}\" {arguments}", pinToOneCore, out output)
                : Run(self, arguments, pinToOneCore, out output);
        }
    }
}
