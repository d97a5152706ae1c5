using System;
using System.Globalization;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// "Cold": the mean per-call time over the first second of a fresh process pinned to one core (taskset -c 0), the
    /// first call included — what a just-started service or CLI sees. The parent starts the harness again with
    /// <c>--cold &lt;workload&gt; --side convgen|onnxruntime</c>; the child sets up (network construction and weight loading,
    /// or session creation, are not timed), measures the first second and then the warm median in the same process, and
    /// prints both. With --cpu-time the first second is one second
    /// of the process's CPU time, for a shared machine where other processes take most of the wall-clock time.
    /// </summary>
    internal static class ColdStart
    {
        public const string ConvGen = "convgen";
        public const string OnnxRuntime = "onnxruntime";

        /// <summary>Seconds per call of <paramref name="side"/> in a fresh pinned process, cold and then warm.</summary>
        public static ColdAndWarm Measure(string side, Workload workload, bool cpuTime)
        {
            var code = ChildProcess.RunSelf($"--cold {workload.Name} --side {side}{(cpuTime ? " --cpu-time" : "")}", pinToOneCore: true, out var output);
            var parts = output.Trim().Split(' ');
            return code == 0 && parts.Length == 2
                && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var cold)
                && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var warm)
                ? new ColdAndWarm(cold, warm)
                : ColdAndWarm.Failed;
        }

        /// <summary>The child: one thread, one side, one workload.</summary>
        public static int RunChild(Workload workload, string side, ModelFiles models, bool cpuTime)
        {
            var weights = models.Complete ? models.Weights(workload.Network) : null;
            var convGen = new ConvGenSide(workload, threads: 1, weights);
            ColdAndWarm seconds;
            switch (side)
            {
                case ConvGen:
                    convGen.Setup();
                    seconds = Measurement.FirstSecondThenWarm(convGen.Call, cpuTime);
                    break;
                case OnnxRuntime when models.Complete:
                    using (var onnx = new OnnxRuntimeSide(models.Onnx(workload.Network), 1, convGen.Input,
                               BenchNetwork.Batched(workload.Batch, convGen.Network.InputShape), BenchNetwork.Batched(workload.Batch, convGen.Network.OutputShape)))
                    {
                        seconds = Measurement.FirstSecondThenWarm(onnx.Call, cpuTime);
                    }

                    break;
                default:
                    Console.Error.WriteLine($"--side {side}: expected {ConvGen} or {OnnxRuntime} (the latter needs bench/models).");
                    return 2;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds.Cold:G17} {seconds.Warm:G17}"));
            return 0;
        }
    }
}
