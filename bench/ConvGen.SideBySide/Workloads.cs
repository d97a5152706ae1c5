using System;
using System.Linq;

namespace ConvGen.SideBySide
{
    /// <summary>A number measured for one workload: a latency in µs, or a throughput in images/s; GFLOP/s where it has FLOPs.</summary>
    internal sealed record Result(double Value, string Unit, double GigaFlops = double.NaN)
    {
        public bool HigherIsBetter => Unit != "us";

        /// <summary>How many times faster this is than <paramref name="other"/> (same workload, same unit).</summary>
        public double SpeedOver(Result other) => HigherIsBetter ? Value / other.Value : other.Value / Value;
    }

    /// <summary>What a workload does with its network.</summary>
    internal enum WorkloadKind
    {
        Inference,
        Training,
        ConvBackward,
    }

    /// <summary>
    /// One row of the table: a network (the stem of its files in bench/models and of bench_models.NETWORKS), a batch size and
    /// what is timed. The same names as bench_torch.py's workloads.
    /// </summary>
    internal sealed record Workload(string Name, string Network, int Batch, WorkloadKind Kind)
    {
        public static readonly Workload[] All =
        {
            new("lenet5_infer_b1", "lenet5", 1, WorkloadKind.Inference),
            new("lenet5_infer_b64", "lenet5", 64, WorkloadKind.Inference),
            new("lenet5_train_b64", "lenet5", 64, WorkloadKind.Training),
            new("conv3x3_64x56_fwd", "conv3x3_64x56", 1, WorkloadKind.Inference),
            new("conv3x3_64x56_bwd", "conv3x3_64x56", 1, WorkloadKind.ConvBackward),
            new("conv3x3_128x28_fwd", "conv3x3_128x28", 1, WorkloadKind.Inference),
            new("conv3x3_128x28_bwd", "conv3x3_128x28", 1, WorkloadKind.ConvBackward),
        };

        public static string[] Names => All.Select(w => w.Name).ToArray();

        public static Workload Find(string name) =>
            All.FirstOrDefault(w => w.Name == name) ?? throw new ArgumentException($"Unknown workload {name}; known: {string.Join(", ", Names)}.");

        /// <summary>Single convolutions are credited 2·MACs per forward call and twice that for backward (input and weight gradients).</summary>
        public bool CountsFlops => Network.StartsWith("conv", StringComparison.Ordinal);

        /// <summary>The row's number for a call taking <paramref name="seconds"/>: µs at batch 1, images/s otherwise.</summary>
        public Result ToResult(double seconds, double flopsPerCall) =>
            Batch == 1
                ? new Result(seconds * 1e6, "us", CountsFlops ? flopsPerCall / seconds / 1e9 : double.NaN)
                : new Result(Batch / seconds, "img/s");
    }
}
