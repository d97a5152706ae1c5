using System;
using System.Globalization;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// "Cold": the mean per-call time over the first second of a fresh process pinned to one core (taskset -c 0), the
    /// first call included — what a just-started service or CLI sees. The parent starts the harness again with
    /// <c>--cold &lt;workload&gt; --side convgen|onnxruntime</c>; the child sets up (network construction and weight loading,
    /// or session creation, are not timed), measures and prints the seconds. With --cpu-time the first second is one second
    /// of the process's CPU time, for a shared machine where other processes take most of the wall-clock time.
    /// </summary>
    internal static class ColdStart
    {
        public const string ConvGen = "convgen";
        public const string OnnxRuntime = "onnxruntime";

        /// <summary>Seconds per call of <paramref name="side"/> in a fresh pinned process, or NaN if the child failed.</summary>
        public static double Measure(string side, Workload workload, bool cpuTime)
        {
            var code = ChildProcess.RunSelf($"--cold {workload.Name} --side {side}{(cpuTime ? " --cpu-time" : "")}", pinToOneCore: true, out var output);
            return code == 0 && double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : double.NaN;
        }

        /// <summary>The child: one thread, one side, one workload.</summary>
        public static int RunChild(Workload workload, string side, ModelFiles models, bool cpuTime)
        {
            var weights = models.Complete ? models.Weights(workload.Network) : null;
            var convGen = new ConvGenSide(workload, threads: 1, weights);
            double seconds;
            switch (side)
            {
                case ConvGen:
                    convGen.Setup();
                    seconds = Measurement.FirstSecondMeanSeconds(convGen.Call, cpuTime);
                    break;
                case OnnxRuntime when models.Complete:
                    using (var onnx = new OnnxRuntimeSide(models.Onnx(workload.Network), 1, convGen.Input,
                               BenchNetwork.Batched(workload.Batch, convGen.Network.InputShape), BenchNetwork.Batched(workload.Batch, convGen.Network.OutputShape)))
                    {
                        seconds = Measurement.FirstSecondMeanSeconds(onnx.Call, cpuTime);
                    }

                    break;
                default:
                    Console.Error.WriteLine($"--side {side}: expected {ConvGen} or {OnnxRuntime} (the latter needs bench/models).");
                    return 2;
            }

            Console.WriteLine(seconds.ToString("G17", CultureInfo.InvariantCulture));
            return 0;
        }
    }
}
