using System;
using System.Globalization;
using System.Linq;

namespace ConvGen.TorchSharpSide
{
    /// <summary>The part of bench_torch.py's command line the harness uses, with the same meanings.</summary>
    internal sealed class SideOptions
    {
        public string[] Workloads { get; private set; } = TorchWorkload.Names;

        public int Threads { get; private set; } = 1;

        public string Models { get; private set; } = "bench/models";

        public string? Check { get; private set; }

        public double MinSeconds { get; private set; } = 1.5;

        public bool Cold { get; private set; }

        public bool CpuTime { get; private set; }

        /// <summary>With --cold: the variant to measure (the one the warm run found fastest).</summary>
        public string Variant { get; private set; } = TorchWorkload.Script;

        public static SideOptions Parse(string[] args)
        {
            var options = new SideOptions();
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--workloads": options.Workloads = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                    case "--threads": options.Threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--models": options.Models = Next(); break;
                    case "--check": options.Check = Next(); break;
                    case "--min-time": options.MinSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--cold": options.Cold = true; break;
                    case "--cpu-time": options.CpuTime = true; break;
                    case "--variant": options.Variant = Next(); break;
                    default: throw new ArgumentException($"Unknown option {args[i]}.");
                }
            }

            var unknown = options.Workloads.Except(TorchWorkload.Names).ToArray();
            if (unknown.Length > 0)
            {
                throw new ArgumentException($"Unknown workloads: {string.Join(", ", unknown)}; known: {string.Join(", ", TorchWorkload.Names)}.");
            }

            if (options.Threads < 1)
            {
                throw new ArgumentException("--threads must be at least 1.");
            }

            if (options.Cold && options.Workloads.Length != 1)
            {
                throw new ArgumentException("--cold measures exactly one workload.");
            }

            return options;
        }
    }
}
