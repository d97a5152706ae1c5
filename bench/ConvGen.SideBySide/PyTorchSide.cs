using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace ConvGen.SideBySide
{
    /// <summary>What bench_torch.py reported for one workload and thread count: its fastest correct variant, or why there is none.</summary>
    internal sealed record PyTorchRun(Result? Best, string? Variant, string? Problem);

    /// <summary>
    /// Runs bench/pytorch/bench_torch.py for one workload and thread count, on the shared weights and on ConvGen's input
    /// (--check: every variant is compared with ConvGen's results before it is timed), and reads its best variant.
    /// </summary>
    internal sealed class PyTorchSide
    {
        private readonly string _script;
        private readonly string _python;
        private readonly string _models;

        private PyTorchSide(string python, string script, string models)
        {
            _python = python;
            _script = script;
            _models = models;
        }

        public List<string> Environment { get; } = new();

        /// <summary>The PyTorch side, or null (with the reason) when Debian's python3-torch is not installed.</summary>
        public static PyTorchSide? Find(string repositoryRoot, string modelsFolder, out string reason)
        {
            var script = Path.Combine(repositoryRoot, "bench", "pytorch", "bench_torch.py");
            var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
            if (ChildProcess.Run(python, "-c \"import torch; print(torch.__version__)\"", pinToOneCore: false, out var output) != 0)
            {
                reason = "PyTorch is not installed (apt-get install python3-torch); its columns stay empty.";
                return null;
            }

            reason = "PyTorch " + output.Trim();
            return new PyTorchSide(python, script, modelsFolder);
        }

        /// <summary>One bench_torch.py run; its numbers are converted to the row's result with ConvGen's FLOP count.</summary>
        public PyTorchRun Run(Workload workload, int threads, double minSeconds, string checkFile, double flopsPerCall)
        {
            var arguments = Common(workload, threads, checkFile) + " --min-time " + minSeconds.ToString(CultureInfo.InvariantCulture);
            if (ChildProcess.Run(_python, arguments, pinToOneCore: false, out var output) != 0)
            {
                return new PyTorchRun(null, null, "bench_torch.py failed");
            }

            Result? best = null;
            string? variant = null, problem = null;
            foreach (var root in Lines(output))
            {
                var name = root.GetProperty("workload").GetString();
                if (name == "env")
                {
                    var text = Describe(root);
                    if (!Environment.Contains(text))
                    {
                        Environment.Add(text);
                    }
                }
                else if (name == workload.Name && root.TryGetProperty("wrong", out _))
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"✗ {root.GetProperty("variant").GetString()} differs by {root.GetProperty("max_diff").GetDouble():G3}");
                }
                else if (name == workload.Name && root.TryGetProperty("best", out var isBest) && isBest.GetBoolean())
                {
                    var unit = root.GetProperty("unit").GetString();
                    if (unit != workload.Unit)
                    {
                        return new PyTorchRun(null, null, $"bench_torch.py reported {unit}, expected {workload.Unit}");
                    }

                    best = workload.ToResult(workload.Seconds(root.GetProperty("value").GetDouble()), flopsPerCall);
                    variant = root.GetProperty("variant").GetString();
                }
            }

            return new PyTorchRun(best, variant, best is null ? problem ?? "no result" : null);
        }

        /// <summary>
        /// A fresh python process pinned to one core running only this workload with <paramref name="variant"/>: seconds per call
        /// over its first second and warm, its peak resident set (the torch import included) and its start-up (model built,
        /// weights loaded, first call).
        /// </summary>
        public FreshRun Cold(Workload workload, string variant, string checkFile, bool cpuTime)
        {
            var arguments = Common(workload, 1, checkFile) + " --cold --variant " + variant + (cpuTime ? " --cpu-time" : string.Empty)
                + " --min-time " + workload.MinSeconds(Measurement.MinSeconds).ToString(CultureInfo.InvariantCulture);
            if (ChildProcess.Run(_python, arguments, pinToOneCore: true, out var output) != 0)
            {
                return FreshRun.Failed;
            }

            foreach (var root in Lines(output))
            {
                if (root.TryGetProperty("cold_seconds", out var cold) && root.TryGetProperty("cold_calls", out var calls)
                    && root.TryGetProperty("warm_seconds", out var warm) && root.TryGetProperty("peak_rss_mib", out var peak)
                    && root.TryGetProperty("startup_seconds", out var startup))
                {
                    return new FreshRun(cold.GetDouble(), calls.GetInt32(), warm.GetDouble(), peak.GetDouble(), startup.GetDouble());
                }
            }

            return FreshRun.Failed;
        }

        private string Common(Workload workload, int threads, string checkFile) =>
            $"\"{_script}\" --workloads {workload.Name} --threads {threads} --models \"{_models}\" --check \"{checkFile}\"";

        private static IEnumerable<JsonElement> Lines(string output)
        {
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var json = JsonDocument.Parse(line);
                yield return json.RootElement.Clone();
            }
        }

        /// <summary>The build facts that matter for speed: version, BLAS, oneDNN, the CPU capability it dispatches to.</summary>
        private static string Describe(JsonElement env)
        {
            string Get(string key) => env.TryGetProperty(key, out var value) ? value.ToString() : "?";
            return $"torch {Get("torch")}, BLAS {Get("blas")} (loaded: {Get("blas_library")}), oneDNN (mkldnn) {Get("mkldnn")}, MKL {Get("mkl")}, CPU capability {Get("cpu_capability")}, OpenMP {Get("openmp")}";
        }
    }
}
