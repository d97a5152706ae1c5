using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// <c>--layers workload [--threads 1,2]</c>: where ConvGen's and ONNX Runtime's calls of one inference workload spend
    /// their time, by kind of layer (convolutions by kernel size, pools, concatenation, dense layers, ONNX Runtime's layout
    /// conversions), and the slowest steps of each. ConvGen's steps come from a <see cref="LayerProfile"/>; ONNX Runtime's
    /// nodes from its own profiler (<c>SessionOptions.EnableProfiling</c>, the mean of each node's kernel time over the
    /// measured calls), which slows its calls somewhat: both sides' plain call time is printed beside the sum of their
    /// parts. Each side first runs for 2 s, then for 3 s measured, on the shared weights.
    /// </summary>
    internal static class LayerTimes
    {
        private const double WarmSeconds = 2;
        private const double MeasuredSeconds = 3;

        public static int Run(Workload workload, int[] threadCounts, ModelFiles files)
        {
            if (workload.Kind != WorkloadKind.Inference || !files.Has(workload.Network))
            {
                Console.Error.WriteLine($"--layers {workload.Name}: expected an inference workload with shared weights in bench/models.");
                return 2;
            }

            foreach (var threads in threadCounts)
            {
                var convGen = new ConvGenSide(workload, threads, files.Weights(workload.Network));
                var profile = new LayerProfile();
                var (convGenCalls, convGenCall) = Measure(convGen.Call, () => convGen.Profile = profile);
                var mine = profile.Steps.Select(s => (Name: s.Step, Kind: KindOfStep(s.Step), Micros: s.Elapsed.TotalMicroseconds / convGenCalls)).ToList();

                var network = BenchNetwork.Find(workload.Network);
                var prefix = Path.Combine(Path.GetTempPath(), "convgen-sidebyside", "ort-profile-" + workload.Name + "-" + threads.ToString(CultureInfo.InvariantCulture));
                Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
                List<(string Name, string Kind, double Micros)> theirs;
                double onnxCall;
                using (var onnx = new OnnxRuntimeSide(files.Onnx(workload.Network), threads, convGen.Input,
                           BenchNetwork.Batched(workload.Batch, network.InputShape), BenchNetwork.Batched(workload.Batch, network.OutputShape), prefix))
                {
                    var (onnxCalls, call) = Measure(onnx.Call, () => { });
                    onnxCall = call;
                    theirs = Nodes(onnx.EndProfiling(), onnxCalls);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"## {workload.Name}, {threads} thread(s): ConvGen {convGenCall * 1e3:F2} ms a call (its steps add up to {mine.Sum(s => s.Micros) / 1e3:F2}); ONNX Runtime {onnxCall * 1e3:F2} ms profiled (its nodes add up to {theirs.Sum(s => s.Micros) / 1e3:F2})"));
                Console.WriteLine();
                Console.WriteLine("| kind | ConvGen ms | ONNX Runtime ms | ConvGen ÷ ORT (time) | ConvGen steps | ORT nodes |");
                Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
                var kinds = mine.Select(s => s.Kind).Concat(theirs.Select(s => s.Kind)).Distinct()
                    .OrderByDescending(k => Math.Max(mine.Where(s => s.Kind == k).Sum(s => s.Micros), theirs.Where(s => s.Kind == k).Sum(s => s.Micros)));
                foreach (var kind in kinds)
                {
                    var a = mine.Where(s => s.Kind == kind).ToList();
                    var b = theirs.Where(s => s.Kind == kind).ToList();
                    var ratio = a.Count > 0 && b.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"{a.Sum(s => s.Micros) / b.Sum(s => s.Micros):F2}×") : "—";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {kind} | {a.Sum(s => s.Micros) / 1e3:F3} | {b.Sum(s => s.Micros) / 1e3:F3} | {ratio} | {a.Count} | {b.Count} |"));
                }

                Console.WriteLine();
                Slowest("ConvGen", mine);
                Slowest("ONNX Runtime", theirs);
            }

            return 0;
        }

        /// <summary>Runs <paramref name="call"/> for the warm-up, then <paramref name="attach"/>, then for the measured time: how many measured calls, and their mean seconds.</summary>
        private static (int Calls, double Seconds) Measure(Action call, Action attach)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < WarmSeconds)
            {
                call();
            }

            attach();
            var calls = 0;
            clock.Restart();
            while (clock.Elapsed.TotalSeconds < MeasuredSeconds)
            {
                call();
                calls++;
            }

            return (calls, clock.Elapsed.TotalSeconds / calls);
        }

        private static void Slowest(string side, List<(string Name, string Kind, double Micros)> steps)
        {
            Console.WriteLine($"{side}, slowest 12:");
            Console.WriteLine();
            Console.WriteLine("| µs | step |");
            Console.WriteLine("| --- | --- |");
            foreach (var (name, _, micros) in steps.OrderByDescending(s => s.Micros).Take(12))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {micros:F0} | {name} |"));
            }

            Console.WriteLine();
        }

        /// <summary>The kind of a ConvGen step from its description (<c>conv1: Conv2D 3→64, 7×7, stride 2, …</c>).</summary>
        private static string KindOfStep(string step)
        {
            var colon = step.IndexOf(": ", StringComparison.Ordinal);
            var words = (colon >= 0 ? step[(colon + 2)..] : step).Split(' ', ',', ':');
            return words[0] switch
            {
                "Conv2D" => "conv " + words.First(w => w.Contains('×', StringComparison.Ordinal)),
                "MaxPool2D" => "max pool",
                "AvgPool2D" or "GlobalAvgPool2D" => "average pool",
                "Dense" => "dense",
                var kind => kind,
            };
        }

        /// <summary>Each node's mean kernel time (µs) over the last <paramref name="calls"/> runs of ONNX Runtime's profile file, with its kind.</summary>
        private static List<(string Name, string Kind, double Micros)> Nodes(string profileFile, int calls)
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(profileFile));
            var durations = new Dictionary<string, List<double>>();
            var kinds = new Dictionary<string, string>();
            foreach (var e in json.RootElement.EnumerateArray())
            {
                if (e.GetProperty("cat").GetString() != "Node" || e.GetProperty("name").GetString() is not { } name || !name.EndsWith("_kernel_time", StringComparison.Ordinal))
                {
                    continue;
                }

                var node = name[..^"_kernel_time".Length];
                if (!durations.TryGetValue(node, out var list))
                {
                    durations[node] = list = new List<double>();
                    kinds[node] = KindOfNode(e.GetProperty("args"));
                }

                list.Add(e.GetProperty("dur").GetDouble());
            }

            File.Delete(profileFile);
            return durations.Select(d => (d.Key, kinds[d.Key], d.Value.Skip(Math.Max(0, d.Value.Count - calls)).Average())).ToList();
        }

        /// <summary>The kind of an ONNX Runtime node: its operator, a convolution's kernel size from its weight's shape.</summary>
        private static string KindOfNode(JsonElement args)
        {
            var op = args.GetProperty("op_name").GetString() ?? "?";
            switch (op)
            {
                case "Conv" or "FusedConv":
                    if (args.TryGetProperty("input_type_shape", out var inputs) && inputs.GetArrayLength() > 1)
                    {
                        var weight = inputs[1].EnumerateObject().First().Value.EnumerateArray().Select(d => d.GetInt64()).ToArray();
                        if (weight.Length == 4)
                        {
                            return string.Create(CultureInfo.InvariantCulture, $"conv {weight[2]}×{weight[3]}");
                        }
                    }

                    return "conv";
                case "MaxPool": return "max pool";
                case "AveragePool" or "GlobalAveragePool": return "average pool";
                case "Gemm" or "FusedGemm" or "MatMul": return "dense";
                case "ReorderInput" or "ReorderOutput": return "layout conversion";
                default: return op;
            }
        }
    }
}
