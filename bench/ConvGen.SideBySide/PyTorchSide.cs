using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;

namespace ConvGen.SideBySide
{
    /// <summary>Runs bench/pytorch/bench_torch.py for one workload and thread count and reads its best variant.</summary>
    internal sealed class PyTorchSide
    {
        private readonly string _script;
        private readonly string _python;

        private PyTorchSide(string python, string script)
        {
            _python = python;
            _script = script;
        }

        public List<string> Environment { get; } = new();

        /// <summary>The PyTorch side, or null (with the reason) when Debian's python3-torch is not installed.</summary>
        public static PyTorchSide? Find(string repositoryRoot, out string reason)
        {
            var script = Path.Combine(repositoryRoot, "bench", "pytorch", "bench_torch.py");
            var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
            var probe = RunProcess(python, "-c \"import torch; print(torch.__version__)\"", out var output);
            if (probe != 0)
            {
                reason = "PyTorch is not installed (apt-get install python3-torch); showing ConvGen only.";
                return null;
            }

            reason = "PyTorch " + output.Trim();
            return new PyTorchSide(python, script);
        }

        public Result? Run(string workload, int threads, double minSeconds)
        {
            var arguments = $"\"{_script}\" --workloads {workload} --threads {threads} --min-time {minSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            if (RunProcess(_python, arguments, out var output) != 0)
            {
                return null;
            }

            Result? best = null;
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var name = root.GetProperty("workload").GetString();
                if (name == "env")
                {
                    var text = Describe(root);
                    if (!Environment.Contains(text))
                    {
                        Environment.Add(text);
                    }

                    continue;
                }

                if (name != workload || !root.TryGetProperty("best", out var isBest) || !isBest.GetBoolean())
                {
                    continue;
                }

                var unit = root.GetProperty("unit").GetString()!;
                var gflops = root.TryGetProperty("gflops", out var g) && g.ValueKind == JsonValueKind.Number ? g.GetDouble() : double.NaN;
                best = new Result(root.GetProperty("value").GetDouble(), unit, gflops);
            }

            return best;
        }

        /// <summary>The build facts that matter for speed: version, BLAS, oneDNN, the CPU capability it dispatches to.</summary>
        private static string Describe(JsonElement env)
        {
            string Get(string key) => env.TryGetProperty(key, out var value) ? value.ToString() : "?";
            return $"torch {Get("torch")}, BLAS {Get("blas")}, oneDNN (mkldnn) {Get("mkldnn")}, MKL {Get("mkl")}, CPU capability {Get("cpu_capability")}, OpenMP {Get("openmp")}";
        }

        private static int RunProcess(string file, string arguments, out string output)
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            try
            {
                using var process = Process.Start(start)!;
                var stderr = process.StandardError.ReadToEndAsync();
                output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                stderr.Wait();
                return process.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                output = string.Empty;
                return -1;
            }
        }
    }
}
