using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ConvGen.Benchmarks
{
    /// <summary>A benchmark parameter that knows how many floating-point operations one invocation performs.</summary>
    public interface IFlopCount
    {
        double Flops { get; }
    }

    /// <summary>Floating-point operations one invocation of the marked benchmark method performs.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class FlopsAttribute : Attribute
    {
        public FlopsAttribute(double flops) => Flops = flops;

        public double Flops { get; }
    }

    /// <summary>GFLOP/s = FLOPs per invocation / mean time. FLOPs come from <see cref="FlopsAttribute"/> or an <see cref="IFlopCount"/> parameter.</summary>
    public sealed class GflopsColumn : IColumn
    {
        private readonly bool _fromMin;

        /// <param name="fromMin">Use the fastest iteration instead of the mean (less sensitive to other load on the machine).</param>
        public GflopsColumn(bool fromMin = false) => _fromMin = fromMin;

        public string Id => nameof(GflopsColumn) + (_fromMin ? ".Min" : ".Mean");
        public string ColumnName => _fromMin ? "GFLOP/s (best)" : "GFLOP/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Floating-point operations (an FMA counts 2) per second, in billions, from the "
            + (_fromMin ? "fastest iteration" : "mean time");

        public static double? FlopsOf(BenchmarkCase benchmarkCase)
        {
            var attribute = benchmarkCase.Descriptor.WorkloadMethod
                .GetCustomAttributes(typeof(FlopsAttribute), false).OfType<FlopsAttribute>().FirstOrDefault();
            if (attribute != null)
            {
                return attribute.Flops;
            }

            foreach (var parameter in benchmarkCase.Parameters.Items)
            {
                if (parameter.Value is IFlopCount counted)
                {
                    return counted.Flops;
                }
            }

            return null;
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var flops = FlopsOf(benchmarkCase);
            var stats = summary[benchmarkCase]?.ResultStatistics;
            double ns = stats == null ? 0 : _fromMin ? stats.Min : stats.Mean;
            if (flops == null || ns <= 0)
            {
                return "-";
            }

            return (flops.Value / ns).ToString("F1"); // FLOP per ns = GFLOP/s
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }

    /// <summary>Short runs (a few minutes for all kernel benchmarks) with the GFLOP/s column.</summary>
    public sealed class KernelConfig : ManualConfig
    {
        public KernelConfig()
        {
            AddJob(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(8)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150))
                .WithId("Short"));
            AddColumn(StatisticColumn.Min);
            AddColumn(new GflopsColumn(), new GflopsColumn(fromMin: true));
            WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48));
        }
    }
}
