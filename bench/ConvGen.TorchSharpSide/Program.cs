using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.SideBySide;
using ConvGen.TorchSharpSide;
using TorchSharp;

// The TorchSharp side of ConvGen's side-by-side benchmark: bench/pytorch/bench_torch.py's command line and JSON lines, on
// TorchSharp 0.107 (libtorch 2.10), the library a .NET user would pick to run a PyTorch model in-process.
//   .runtime/dotnet/dotnet bin/Release/net10.0/ConvGen.TorchSharpSide.dll --workloads W --threads 1 --models bench/models
//       [--check FILE] [--min-time 1.5] [--cold --variant script|frozen [--cpu-time]]
// The host under .runtime/ comes from setup-runtime.sh (libtorch needs a newer libstdc++ than Debian 12's). Each network is
// the module export_models.py traced to TorchScript (<network>.pt, the shared weights), loaded with torch.jit.load: TorchSharp
// has no torchvision to rebuild ResNet-18 and GoogLeNet from; calls are timed by the harness's own Measurement (linked); forward-only workloads also run <network>.frozen.pt (the
// traced module frozen in Python, which TorchSharp cannot do), and the faster is reported as best. Every workload is checked against ConvGen's results in the
// check file before it is timed, with bench_torch.py's rule.
var options = SideOptions.Parse(args);
torch.set_num_threads(options.Threads);
torch.manual_seed(0);
if (options.Cold)
{
    var workload = options.Workloads.Single();
    var now = Measurement.Clock(options.CpuTime);
    var setupStart = now();
    var prepared = TorchWorkload.Prepare(workload, options.Variant, options.Models, options.Check);
    if (prepared.Call is null)
    {
        Json.Emit(("workload", workload), ("threads", options.Threads), ("variant", options.Variant), ("wrong", true), ("max_diff", prepared.MaxDifference));
        return 0;
    }

    var firstCallEnd = double.NaN;
    var call = prepared.Call;
    var (cold, calls, warm, jit) = Measurement.FirstSecondThenWarm(
        () =>
        {
            call();
            if (double.IsNaN(firstCallEnd))
            {
                firstCallEnd = now();
            }
        },
        options.CpuTime,
        options.MinSeconds);
    Json.Emit(
        ("workload", workload), ("threads", options.Threads), ("variant", options.Variant),
        ("cold_seconds", cold), ("cold_calls", calls), ("warm_seconds", warm), ("jit_seconds", jit.Seconds), ("jit_methods", jit.Methods),
        ("startup_seconds", firstCallEnd - setupStart), ("peak_rss_mib", Timing.PeakResidentMebibytes()), ("load1", Timing.LoadAverage()));
    return 0;
}

Json.Emit(("workload", "env"), ("description", string.Create(CultureInfo.InvariantCulture,
    $"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__} (CPU build of the TorchSharp-cpu package), TorchScript modules from bench/models, on Debian 13's glibc and libstdc++ ({Timing.RuntimeVersions()})")));
foreach (var workload in options.Workloads)
{
    var results = new List<(string Variant, double Median, double MaxDifference)>();
    foreach (var variant in TorchWorkload.Variants(workload))
    {
        var prepared = TorchWorkload.Prepare(workload, variant, options.Models, options.Check);
        if (prepared.Call is null)
        {
            Console.Error.WriteLine($"{workload} {variant}: differs from ConvGen's result by {prepared.MaxDifference:G3}; not timed");
            Json.Emit(("workload", workload), ("threads", options.Threads), ("variant", variant), ("wrong", true), ("max_diff", prepared.MaxDifference));
            continue;
        }

        results.Add((variant, Measurement.MedianSeconds(prepared.Call, options.MinSeconds), prepared.MaxDifference));
    }

    // As bench_torch.py: every correct variant, the fastest marked best (the number the harness puts in its table).
    var fastest = results.Count == 0 ? null : results.MinBy(r => r.Median).Variant;
    foreach (var (variant, median, difference) in results)
    {
        var (value, unit) = TorchWorkload.Report(workload, median);
        Json.Emit(
            ("workload", workload), ("threads", options.Threads), ("value", value), ("unit", unit), ("variant", variant),
            ("best", variant == fastest), ("load1", Timing.LoadAverage()), ("max_diff", difference));
    }
}

return 0;
