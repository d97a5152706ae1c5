using System;
using System.Globalization;
using System.Linq;
using ConvGen.TorchSharpSide;
using TorchSharp;

// The TorchSharp side of ConvGen's side-by-side benchmark: bench/pytorch/bench_torch.py's command line and JSON lines, on
// TorchSharp 0.107 (libtorch 2.10), the library a .NET user would pick to run a PyTorch model in-process.
//   .runtime/dotnet/dotnet bin/Release/net10.0/ConvGen.TorchSharpSide.dll --workloads W --threads 1 --models bench/models
//       [--check FILE] [--min-time 1.5] [--cold --variant script [--cpu-time]]
// The host under .runtime/ comes from setup-runtime.sh (libtorch needs a newer libstdc++ than Debian 12's). Each network is
// the module export_models.py traced to TorchScript (<network>.pt, the shared weights), loaded with torch.jit.load: TorchSharp
// has no torchvision to rebuild ResNet-18 and GoogLeNet from. Every workload is checked against ConvGen's results in the
// check file before it is timed, with bench_torch.py's rule.
var options = SideOptions.Parse(args);
torch.set_num_threads(options.Threads);
torch.manual_seed(0);
if (options.Cold)
{
    var workload = options.Workloads.Single();
    var clock = options.CpuTime ? Clock.ProcessCpu : Clock.Wall;
    var setupStart = clock.Now();
    var prepared = TorchWorkload.Prepare(workload, options.Models, options.Check);
    if (prepared.Call is null)
    {
        Json.Emit(("workload", workload), ("threads", options.Threads), ("variant", TorchWorkload.Variant), ("wrong", true), ("max_diff", prepared.MaxDifference));
        return 0;
    }

    var fresh = Timing.Fresh(prepared.Call, clock, setupStart, options.MinSeconds);
    Json.Emit(
        ("workload", workload), ("threads", options.Threads), ("variant", TorchWorkload.Variant),
        ("cold_seconds", fresh.ColdSeconds), ("cold_calls", fresh.ColdCalls), ("warm_seconds", fresh.WarmSeconds),
        ("startup_seconds", fresh.StartupSeconds), ("peak_rss_mib", Timing.PeakResidentMebibytes()), ("load1", Timing.LoadAverage()));
    return 0;
}

Json.Emit(("workload", "env"), ("description", string.Create(CultureInfo.InvariantCulture,
    $"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__} (CPU build of the TorchSharp-cpu package), TorchScript modules from bench/models, on Debian 13's glibc and libstdc++ ({Timing.RuntimeVersions()})")));
foreach (var workload in options.Workloads)
{
    var prepared = TorchWorkload.Prepare(workload, options.Models, options.Check);
    if (prepared.Call is null)
    {
        Console.Error.WriteLine($"{workload}: differs from ConvGen's result by {prepared.MaxDifference:G3}; not timed");
        Json.Emit(("workload", workload), ("threads", options.Threads), ("variant", TorchWorkload.Variant), ("wrong", true), ("max_diff", prepared.MaxDifference));
        continue;
    }

    var median = Timing.MedianSeconds(prepared.Call, options.MinSeconds);
    var (value, unit) = TorchWorkload.Report(workload, median);
    Json.Emit(
        ("workload", workload), ("threads", options.Threads), ("value", value), ("unit", unit), ("variant", TorchWorkload.Variant),
        ("best", true), ("load1", Timing.LoadAverage()), ("max_diff", prepared.MaxDifference));
}

return 0;
