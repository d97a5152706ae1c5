using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace ConvGen.SideBySide
{
    /// <summary>What a child side reported for one workload and thread count: its fastest correct variant, or why there is none.</summary>
    internal sealed record ChildRun(Result? Best, string? Variant, string? Problem);

    /// <summary>
    /// A competitor run in child processes that speak bench/pytorch/bench_torch.py's command line and JSON lines: PyTorch
    /// (python3 and bench_torch.py) and TorchSharp (bench/ConvGen.TorchSharpSide). Each run gets the shared weights and
    /// ConvGen's input and results (--check: every variant is compared with ConvGen's results before it is timed).
    /// </summary>
    internal sealed class ChildSide
    {
        private readonly string _file;
        private readonly string _program;
        private readonly string _models;

        private ChildSide(string name, string file, string program, string models)
        {
            Name = name;
            _file = file;
            _program = program;
            _models = models;
        }

        /// <summary>The side's column name: PyTorch or TorchSharp.</summary>
        public string Name { get; }

        /// <summary>The build facts its runs reported (versions, BLAS, oneDNN, CPU capability), once each.</summary>
        public List<string> Environment { get; } = new();

        /// <summary>The PyTorch side, or null (with the reason) when Debian's python3-torch is not installed.</summary>
        public static ChildSide? PyTorch(string repositoryRoot, string modelsFolder, out string reason)
        {
            var script = Path.Combine(repositoryRoot, "bench", "pytorch", "bench_torch.py");
            var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
            if (ChildProcess.Run(python, "-c \"import torch; print(torch.__version__)\"", pinToOneCore: false, out var output) != 0)
            {
                reason = "PyTorch is not installed (apt-get install python3-torch); its columns stay empty.";
                return null;
            }

            reason = "PyTorch " + output.Trim();
            return new ChildSide("PyTorch", python, script, modelsFolder);
        }

        /// <summary>
        /// The TorchSharp side, or null (with the reason) when it cannot run: its host under .runtime/ is made by
        /// bench/ConvGen.TorchSharpSide/setup-runtime.sh (run here once when missing), and the project is built here.
        /// </summary>
        public static ChildSide? TorchSharp(string repositoryRoot, string modelsFolder, out string reason)
        {
            var project = Path.Combine(repositoryRoot, "bench", "ConvGen.TorchSharpSide");
            var host = Path.Combine(project, ".runtime", "dotnet", "dotnet");
            if (!File.Exists(host))
            {
                Console.Error.WriteLine("TorchSharp's runtime is missing; running: sh bench/ConvGen.TorchSharpSide/setup-runtime.sh");
                if (ChildProcess.Run("/bin/sh", $"\"{Path.Combine(project, "setup-runtime.sh")}\"", pinToOneCore: false, out _) != 0)
                {
                    reason = "TorchSharp skipped: bench/ConvGen.TorchSharpSide/setup-runtime.sh failed (it needs apt-get, patchelf and deb.debian.org; see the script).";
                    return null;
                }
            }

            var dotnet = System.Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? System.Environment.ProcessPath! : "dotnet";
            if (ChildProcess.Run(dotnet, $"build \"{project}\" -c Release -v q -nologo", pinToOneCore: false, out _) != 0)
            {
                reason = "TorchSharp skipped: `dotnet build bench/ConvGen.TorchSharpSide -c Release` failed.";
                return null;
            }

            reason = "TorchSharp 0.107.0 (libtorch 2.10 CPU, in child processes)";
            return new ChildSide("TorchSharp", host, Path.Combine(project, "bin", "Release", "net10.0", "ConvGen.TorchSharpSide.dll"), modelsFolder);
        }

        /// <summary>One run of the side; its numbers are converted to the row's result with ConvGen's FLOP count.</summary>
        public ChildRun Run(Workload workload, int threads, double minSeconds, string checkFile, double flopsPerCall)
        {
            var arguments = Common(workload, threads, checkFile) + " --min-time " + minSeconds.ToString(CultureInfo.InvariantCulture);
            if (ChildProcess.Run(_file, arguments, pinToOneCore: false, out var output) != 0)
            {
                return new ChildRun(null, null, Path.GetFileName(_program) + " failed");
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
                        return new ChildRun(null, null, $"{Path.GetFileName(_program)} reported {unit}, expected {workload.Unit}");
                    }

                    best = workload.ToResult(workload.Seconds(root.GetProperty("value").GetDouble()), flopsPerCall);
                    variant = root.GetProperty("variant").GetString();
                }
            }

            return new ChildRun(best, variant, best is null ? problem ?? "no result" : null);
        }

        /// <summary>
        /// A fresh child pinned to one core running only this workload with <paramref name="variant"/>: seconds per call over
        /// its first second and warm, its peak resident set (the runtime and library loads included) and its start-up (model
        /// built, weights loaded, first call).
        /// </summary>
        public FreshRun Cold(Workload workload, string variant, string checkFile, bool cpuTime)
        {
            var arguments = Common(workload, 1, checkFile) + " --cold --variant " + variant + (cpuTime ? " --cpu-time" : string.Empty)
                + " --min-time " + workload.MinSeconds(Measurement.MinSeconds).ToString(CultureInfo.InvariantCulture);
            if (ChildProcess.Run(_file, arguments, pinToOneCore: true, out var output) != 0)
            {
                return FreshRun.Failed;
            }

            foreach (var root in Lines(output))
            {
                if (root.TryGetProperty("cold_seconds", out var cold) && root.TryGetProperty("cold_calls", out var calls)
                    && root.TryGetProperty("warm_seconds", out var warm) && root.TryGetProperty("peak_rss_mib", out var peak)
                    && root.TryGetProperty("startup_seconds", out var startup))
                {
                    var jit = root.TryGetProperty("jit_seconds", out var jitSeconds) && root.TryGetProperty("jit_methods", out var jitMethods)
                        ? new JitWork(jitSeconds.GetDouble(), jitMethods.GetInt64())
                        : JitWork.Unknown;
                    return new FreshRun(cold.GetDouble(), calls.GetInt32(), warm.GetDouble(), peak.GetDouble(), startup.GetDouble(), jit);
                }
            }

            return FreshRun.Failed;
        }

        private string Common(Workload workload, int threads, string checkFile) =>
            $"\"{_program}\" --workloads {workload.Name} --threads {threads} --models \"{_models}\" --check \"{checkFile}\"";

        private static IEnumerable<JsonElement> Lines(string output)
        {
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var json = JsonDocument.Parse(line);
                yield return json.RootElement.Clone();
            }
        }

        /// <summary>
        /// The build facts that matter for speed: TorchSharp's own description, or for PyTorch its version, BLAS, oneDNN and
        /// the CPU capability it dispatches to.
        /// </summary>
        private static string Describe(JsonElement env)
        {
            if (env.TryGetProperty("description", out var description))
            {
                return description.GetString() ?? "?";
            }

            string Get(string key) => env.TryGetProperty(key, out var value) ? value.ToString() : "?";
            return $"torch {Get("torch")}, BLAS {Get("blas")} (loaded: {Get("blas_library")}), oneDNN (mkldnn) {Get("mkldnn")}, MKL {Get("mkl")}, CPU capability {Get("cpu_capability")}, OpenMP {Get("openmp")}";
        }
    }
}
