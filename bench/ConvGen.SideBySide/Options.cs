using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ConvGen.SideBySide
{
    /// <summary>The harness's command line.</summary>
    internal sealed class Options
    {
        public int[] Threads { get; private set; } = { 1, 2 };

        public int Rounds { get; private set; } = 2;

        public double MinSeconds { get; private set; } = 1.5;

        public string[] Workloads { get; private set; } = Workload.Names;

        public bool SkipTorch { get; private set; }

        public bool SkipTorchSharp { get; private set; }

        public bool SkipOnnxRuntime { get; private set; }

        public bool SkipCold { get; private set; }

        /// <summary>Cold measurements count the process's CPU time instead of wall-clock time (for a busy machine).</summary>
        public bool CpuTime { get; private set; }

        /// <summary>Set by <c>--layers</c>: the workload whose time per kind of layer is compared (<see cref="LayerTimes"/>).</summary>
        public string? LayersWorkload { get; private set; }

        /// <summary>Set by <c>--trace-calls</c> in a cold-start child: list each call of its first second (<see cref="Measurement.TraceFirstSecond"/>).</summary>
        public bool TraceCalls { get; private set; }

        /// <summary>Set in a cold-start child: the one workload it measures.</summary>
        public string? ColdWorkload { get; private set; }

        /// <summary>Set in a cold-start child: convgen or onnxruntime.</summary>
        public string ColdSide { get; private set; } = ColdStart.ConvGen;

        public static Options Parse(string[] args)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--threads": options.Threads = Next().Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray(); break;
                    case "--rounds": options.Rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--min-time": options.MinSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--workloads":
                        options.Workloads = Next().Split(',');
                        var unknown = options.Workloads.Except(Workload.Names).ToList();
                        if (unknown.Count > 0)
                        {
                            throw new ArgumentException($"Unknown workload(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Workload.Names)}.");
                        }

                        break;
                    case "--quick": options.MinSeconds = 0.3; options.Rounds = 1; break;
                    case "--no-torch": options.SkipTorch = true; break;
                    case "--no-torchsharp": options.SkipTorchSharp = true; break;
                    case "--no-onnx": options.SkipOnnxRuntime = true; break;
                    case "--no-cold": options.SkipCold = true; break;
                    case "--cpu-time": options.CpuTime = true; break;
                    case "--cold": options.ColdWorkload = Workload.Find(Next()).Name; break;
                    case "--side": options.ColdSide = Next(); break;
                    case "--layers": options.LayersWorkload = Workload.Find(Next()).Name; break;
                    case "--trace-calls": options.TraceCalls = true; break;
                    default: throw new ArgumentException($"Unknown option {args[i]}. Options: --threads 1,2 --rounds N --min-time S --workloads a,b --quick --no-torch --no-torchsharp --no-onnx --no-cold --cpu-time --layers workload (a cold child also takes --trace-calls)");
                }
            }

            return options;
        }

        /// <summary>The folder holding ConvGen.sln, found by walking up from the current directory.</summary>
        public static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ConvGen.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("Run from inside the ConvGen repository (ConvGen.sln not found above the current directory).");
        }
    }
}
