using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.SideBySide;

// ConvGen vs PyTorch, side by side on this machine, in one run:
//   dotnet run -c Release --project bench/ConvGen.SideBySide [-- --threads 1,2] [--rounds 2] [--min-time 1.5] [--quick] [--workloads a,b]
// For each workload and thread count the two sides take turns (ConvGen, PyTorch, ConvGen, PyTorch, ...) and each side's
// best round is kept, so slow drift of a noisy machine hits both alike. Details: docs/performance.md.
var options = Options.Parse(args);
if (options.ChildTraining)
{
    // A separate process, so its peak working set is the training run's own.
    var result = Workloads.LeNetTraining(options.Threads[0]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Value} {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0):F1}"));
    return 0;
}

Measurement.MinSeconds = options.MinSeconds;
var root = Options.RepositoryRoot();
var torchStatus = "PyTorch skipped (--no-torch)";
var torch = options.SkipTorch ? null : PyTorchSide.Find(root, out torchStatus);
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, SIMD {Simd.Level}; {torchStatus}");
var avx2Peak = FmaPeak.Avx2GigaFlops();
var avx512Peak = FmaPeak.Avx512GigaFlops();
var peak = Simd.Level == SimdLevel.Avx512 ? avx512Peak : avx2Peak;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Measured FMA peak, one core: AVX2 {avx2Peak:F0} GFLOP/s, AVX-512 {avx512Peak:F0} GFLOP/s (ConvGen uses {Simd.Level})"));
Console.WriteLine();

var rows = new List<string[]>();
foreach (var workload in options.Workloads)
{
    foreach (var threads in options.Threads)
    {
        Result? mine = null, theirs = null;
        for (var round = 0; round < options.Rounds; round++)
        {
            mine = Best(mine, Workloads.Run(workload, threads));
            if (torch is not null)
            {
                theirs = Best(theirs, torch.Run(workload, threads, options.MinSeconds));
            }
        }

        rows.Add(Row(workload, threads, mine!, theirs, peak));
        Console.Error.WriteLine("done: " + workload + " × " + threads);
    }
}

var header = new[] { "workload", "threads", "ConvGen", "PyTorch", "ConvGen speed ÷ PyTorch speed", "ConvGen % of FMA peak" };
Table.Print(header, rows);
Console.WriteLine();
foreach (var threads in options.Threads.Where(_ => options.Workloads.Contains("lenet5_train_b64")))
{
    var child = ChildTraining(threads, options.MinSeconds);
    Console.WriteLine($"LeNet-5 training, {threads} thread(s): ConvGen peak working set {child} MiB (whole process, measured in a child process)");
}

if (torch is not null)
{
    foreach (var line in torch.Environment)
    {
        Console.WriteLine("PyTorch build: " + line);
    }
}

return 0;

static Result? Best(Result? a, Result? b) =>
    a is null ? b : b is null ? a : (a.HigherIsBetter ? (b.Value > a.Value ? b : a) : (b.Value < a.Value ? b : a));

static string[] Row(string workload, int threads, Result mine, Result? theirs, double peak)
{
    string Format(Result r) => string.Create(CultureInfo.InvariantCulture, $"{r.Value:N1} {r.Unit}") + (double.IsNaN(r.GigaFlops) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({r.GigaFlops:F0} GFLOP/s)"));
    var ratio = theirs is null ? "—" : string.Create(CultureInfo.InvariantCulture, $"{(mine.HigherIsBetter ? mine.Value / theirs.Value : theirs.Value / mine.Value):F2}×");
    var ofPeak = double.IsNaN(mine.GigaFlops) ? "—" : string.Create(CultureInfo.InvariantCulture, $"{100 * mine.GigaFlops / (peak * threads):F0}%");
    return new[] { workload, threads.ToString(CultureInfo.InvariantCulture), Format(mine), theirs is null ? "—" : Format(theirs), ratio, ofPeak };
}

static string ChildTraining(int threads, double minSeconds)
{
    var self = Environment.ProcessPath!;
    var dll = typeof(Workloads).Assembly.Location;
    var start = new ProcessStartInfo(self, self.EndsWith("dotnet", StringComparison.Ordinal) ? $"\"{dll}\" --child-training --threads {threads} --min-time {minSeconds.ToString(CultureInfo.InvariantCulture)}" : $"--child-training --threads {threads} --min-time {minSeconds.ToString(CultureInfo.InvariantCulture)}")
    {
        RedirectStandardOutput = true,
    };
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd().Trim().Split(' ');
    process.WaitForExit();
    return output.Length == 2 ? output[1] : "?";
}
