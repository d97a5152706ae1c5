using System;
using System.Linq;

namespace ConvGen.SideBySide
{
    /// <summary>A number measured for one workload: a latency in µs or ms, or a throughput in images/s; GFLOP/s where it has FLOPs.</summary>
    internal sealed record Result(double Value, string Unit, double GigaFlops = double.NaN)
    {
        public bool HigherIsBetter => Unit == Workload.ImagesPerSecond;

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
    /// One row of the table: a network (the stem of its files in bench/models and of bench_models.NETWORKS), a batch size, what is
    /// timed, the unit it is reported in (the same as bench_torch.py's), and whether the row is credited FLOPs (single convolutions
    /// and whole ImageNet networks: 2·MACs of their convolutions and dense layers per forward call, twice that for a conv's backward).
    /// <paramref name="Long"/> rows take tens of milliseconds per call and are timed for a shorter time (<see cref="MinSeconds"/>).
    /// </summary>
    internal sealed record Workload(string Name, string Network, int Batch, WorkloadKind Kind, string Unit, bool CountsFlops, bool Long = false)
    {
        public const string Microseconds = "us";
        public const string Milliseconds = "ms";
        public const string ImagesPerSecond = "img/s";

        /// <summary>Timed seconds per measurement of a <see cref="Long"/> row, at most (it still gets at least 5 calls).</summary>
        public const double LongRowSeconds = 0.5;

        public static readonly Workload[] All =
        {
            new("lenet5_infer_b1", "lenet5", 1, WorkloadKind.Inference, Microseconds, CountsFlops: false),
            new("lenet5_infer_b64", "lenet5", 64, WorkloadKind.Inference, ImagesPerSecond, CountsFlops: false),
            new("lenet5_train_b64", "lenet5", 64, WorkloadKind.Training, ImagesPerSecond, CountsFlops: false),
            new("conv3x3_64x56_fwd", "conv3x3_64x56", 1, WorkloadKind.Inference, Microseconds, CountsFlops: true),
            new("conv3x3_64x56_bwd", "conv3x3_64x56", 1, WorkloadKind.ConvBackward, Microseconds, CountsFlops: true),
            new("conv3x3_128x28_fwd", "conv3x3_128x28", 1, WorkloadKind.Inference, Microseconds, CountsFlops: true),
            new("conv3x3_128x28_bwd", "conv3x3_128x28", 1, WorkloadKind.ConvBackward, Microseconds, CountsFlops: true),
            new("resnet18_infer_b1", "resnet18", 1, WorkloadKind.Inference, Milliseconds, CountsFlops: true, Long: true),
            new("googlenet_infer_b1", "googlenet", 1, WorkloadKind.Inference, Milliseconds, CountsFlops: true, Long: true),
        };

        public static string[] Names => All.Select(w => w.Name).ToArray();

        public static Workload Find(string name) =>
            All.FirstOrDefault(w => w.Name == name) ?? throw new ArgumentException($"Unknown workload {name}; known: {string.Join(", ", Names)}.");

        /// <summary>Seconds to time each measurement of this row: <paramref name="requested"/> (--min-time), shortened for long rows.</summary>
        public double MinSeconds(double requested) => Long ? Math.Min(requested, LongRowSeconds) : requested;

        /// <summary>The row's number for a call taking <paramref name="seconds"/>, in <see cref="Unit"/>.</summary>
        public Result ToResult(double seconds, double flopsPerCall)
        {
            var gigaFlops = CountsFlops ? flopsPerCall / seconds / 1e9 : double.NaN;
            return Unit switch
            {
                Microseconds => new Result(seconds * 1e6, Unit, gigaFlops),
                Milliseconds => new Result(seconds * 1e3, Unit, gigaFlops),
                _ => new Result(Batch / seconds, Unit, gigaFlops),
            };
        }

        /// <summary>Seconds per call of a <paramref name="value"/> in <see cref="Unit"/> (what bench_torch.py reports).</summary>
        public double Seconds(double value) => Unit switch
        {
            Microseconds => value * 1e-6,
            Milliseconds => value * 1e-3,
            _ => Batch / value,
        };
    }
}
