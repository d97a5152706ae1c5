using System;
using System.Diagnostics;
using System.Globalization;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// "Cold" and "peak memory": a fresh process pinned to one core (taskset -c 0) that runs only one workload for one side, on
    /// one thread. The parent starts the harness again with <c>--cold &lt;workload&gt; --side convgen|onnxruntime</c>; the child
    /// sets up (network construction and weight loading, or session creation, are not in the cold column), measures the mean
    /// call over its first second — the first call included, what a just-started service or CLI sees — then the warm median
    /// in the same process, and prints both with the call count of that second, its peak working set and its start-up (set-up
    /// plus the first call, on the same clock) and what the JIT compiled during the first second. With --cpu-time the first second
    /// is one second of the process's CPU time, for a shared machine where other processes take most of the wall-clock time.
    /// </summary>
    internal static class ColdStart
    {
        public const string ConvGen = "convgen";
        public const string OnnxRuntime = "onnxruntime";

        /// <summary>What a fresh pinned process running <paramref name="workload"/> for <paramref name="side"/> reported.</summary>
        public static FreshRun Measure(string side, Workload workload, bool cpuTime)
        {
            var minSeconds = workload.MinSeconds(Measurement.MinSeconds).ToString(CultureInfo.InvariantCulture);
            var code = ChildProcess.RunSelf($"--cold {workload.Name} --side {side} --min-time {minSeconds}{(cpuTime ? " --cpu-time" : "")}", pinToOneCore: true, out var output);
            var parts = output.Trim().Split(' ');
            return code == 0 && parts.Length == 7
                && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var cold)
                && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var calls)
                && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var warm)
                && double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var peak)
                && double.TryParse(parts[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var startup)
                && double.TryParse(parts[5], NumberStyles.Float, CultureInfo.InvariantCulture, out var jitSeconds)
                && long.TryParse(parts[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out var jitMethods)
                ? new FreshRun(cold, calls, warm, peak, startup, new JitWork(jitSeconds, jitMethods))
                : FreshRun.Failed;
        }

        /// <summary>The child: one thread, one side, one workload. ONNX Runtime's child builds no ConvGen network (its memory is its own).</summary>
        public static int RunChild(Workload workload, string side, ModelFiles models, bool cpuTime)
        {
            var minSeconds = workload.MinSeconds(Measurement.MinSeconds);
            var now = Measurement.Clock(cpuTime);
            var setupStart = now();
            var firstCallEnd = double.NaN;
            Action FirstCallNoted(Action call) => () =>
            {
                call();
                if (double.IsNaN(firstCallEnd))
                {
                    firstCallEnd = now();
                }
            };

            (double ColdSeconds, int ColdCalls, double WarmSeconds, JitWork FirstSecondJit) seconds;
            switch (side)
            {
                case ConvGen:
                    var convGen = new ConvGenSide(workload, threads: 1, models.Has(workload.Network) ? models.Weights(workload.Network) : null);
                    convGen.Setup();
                    seconds = Measurement.FirstSecondThenWarm(FirstCallNoted(convGen.Call), cpuTime, minSeconds);
                    break;
                case OnnxRuntime when models.Has(workload.Network) && workload.Kind == WorkloadKind.Inference:
                    var network = BenchNetwork.Find(workload.Network);
                    using (var onnx = new OnnxRuntimeSide(models.Onnx(workload.Network), 1, network.Input(workload.Batch),
                               BenchNetwork.Batched(workload.Batch, network.InputShape), BenchNetwork.Batched(workload.Batch, network.OutputShape)))
                    {
                        seconds = Measurement.FirstSecondThenWarm(FirstCallNoted(onnx.Call), cpuTime, minSeconds);
                    }

                    break;
                default:
                    Console.Error.WriteLine($"--side {side}: expected {ConvGen} or {OnnxRuntime} (the latter for inference rows, with bench/models).");
                    return 2;
            }

            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
            var startup = firstCallEnd - setupStart;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds.ColdSeconds:G17} {seconds.ColdCalls} {seconds.WarmSeconds:G17} {peak:F1} {startup:G17} {seconds.FirstSecondJit.Seconds:G17} {seconds.FirstSecondJit.Methods}"));
            return 0;
        }
    }
}
