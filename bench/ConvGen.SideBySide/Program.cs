using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.SideBySide;

// ConvGen vs ONNX Runtime vs PyTorch vs TorchSharp, side by side on this machine, in one run:
//   dotnet run -c Release --project bench/ConvGen.SideBySide [-- --threads 1,2] [--rounds 2] [--min-time 1.5] [--quick]
//       [--workloads a,b] [--no-torch] [--no-torchsharp] [--no-onnx] [--no-cold] [--cpu-time]
//   dotnet run -c Release --project bench/ConvGen.SideBySide -- --layers googlenet_infer_b1 [--threads 1,2]
// All sides load the same weights (bench/models, written by bench/pytorch/export_models.py; run automatically when
// missing) and are checked against ConvGen's result on the same input before they are timed. For each workload and
// thread count the sides take turns for --rounds rounds and each keeps its best ("warm"); at one thread each side also
// runs the workload alone in a fresh process pinned to core 0, for the "cold" column (its first second) and the peak
// memory table. Details: docs/performance.md.
var options = Options.Parse(args);
var root = Options.RepositoryRoot();
Measurement.MinSeconds = options.MinSeconds;
Measurement.TraceFirstSecond = options.TraceCalls;
if (options.ColdWorkload is not null)
{
    return ColdStart.RunChild(Workload.Find(options.ColdWorkload), options.ColdSide, ModelFiles.Open(root, mayExport: false, out _), options.CpuTime);
}

if (options.LayersWorkload is not null)
{
    return LayerTimes.Run(Workload.Find(options.LayersWorkload), options.Threads, ModelFiles.Open(root, mayExport: true, out _));
}

var files = ModelFiles.Open(root, mayExport: true, out var filesStatus);
var torchStatus = options.SkipTorch ? "PyTorch skipped (--no-torch)" : "PyTorch skipped (no shared weights)";
var torch = options.SkipTorch || !files.Any ? null : ChildSide.PyTorch(root, files.Folder, out torchStatus);
var torchSharpStatus = options.SkipTorchSharp ? "TorchSharp skipped (--no-torchsharp)" : "TorchSharp skipped (no shared weights)";
var torchSharp = options.SkipTorchSharp || !files.Any ? null : ChildSide.TorchSharp(root, files.Folder, out torchSharpStatus);
var children = new[] { torch, torchSharp }.OfType<ChildSide>().ToArray();
var childNames = new[] { "PyTorch", "TorchSharp" };
var useOnnx = files.Any && !options.SkipOnnxRuntime;
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, SIMD {Simd.Level}; {filesStatus}");
Console.WriteLine($"Competitors: {(useOnnx ? "ONNX Runtime " + OnnxRuntimeSide.Version + " (in-process, ORT_ENABLE_ALL, IOBinding)" : "ONNX Runtime skipped")}; {torchStatus}; {torchSharpStatus}");
if (!options.SkipCold && !ChildProcess.CanPin)
{
    Console.WriteLine("taskset not found (apt-get install util-linux): cold children run unpinned.");
}

var avx2Peak = FmaPeak.Avx2GigaFlops();
var avx512Peak = FmaPeak.Avx512GigaFlops();
var peak = Simd.Level == SimdLevel.Avx512 ? avx512Peak : avx2Peak;
var avx512Text = double.IsNaN(avx512Peak) ? "n/a (no AVX-512 on this CPU)" : string.Create(CultureInfo.InvariantCulture, $"{avx512Peak:F0} GFLOP/s");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Measured FMA peak, one core, fully optimized loop: AVX2 {avx2Peak:F0} GFLOP/s, AVX-512 {avx512Text} (ConvGen uses {Simd.Level})"));
Console.WriteLine($"Load average at start: {LoadAverage()}");
Console.WriteLine();

var rows = new List<string[]>();
var memoryRows = new List<string[]>();
var notes = new List<string>();
foreach (var workload in options.Workloads.Select(Workload.Find))
{
    foreach (var threads in options.Threads)
    {
        var minSeconds = workload.MinSeconds(options.MinSeconds);
        var shared = files.Has(workload.Network);
        var convGen = new ConvGenSide(workload, threads, shared ? files.Weights(workload.Network) : null);
        var reference = convGen.Reference();
        var checkFile = Path.Combine(Path.GetTempPath(), "convgen-sidebyside", $"{workload.Name}-{threads}.safetensors");
        ConvGenSide.WriteCheckFile(checkFile, reference);

        using var onnx = useOnnx && shared && workload.Kind == WorkloadKind.Inference
            ? new OnnxRuntimeSide(files.Onnx(workload.Network), threads, convGen.Input,
                BenchNetwork.Batched(workload.Batch, convGen.Network.InputShape), BenchNetwork.Batched(workload.Batch, convGen.Network.OutputShape))
            : null;
        var onnxProblem = onnx is null ? null : Disagreement(onnx, reference["output"].ToFloatArray());

        Result? mine = null, theirs = null;
        var childRuns = new Dictionary<string, ChildRun>();
        for (var round = 0; round < options.Rounds; round++)
        {
            mine = Best(mine, workload.ToResult(Measurement.MedianSeconds(convGen.Call, minSeconds), convGen.FlopsPerCall));
            if (onnx is not null && onnxProblem is null)
            {
                theirs = Best(theirs, workload.ToResult(Measurement.MedianSeconds(onnx.Call, minSeconds), convGen.FlopsPerCall));
            }

            foreach (var child in shared ? children : Array.Empty<ChildSide>())
            {
                var run = child.Run(workload, threads, minSeconds, checkFile, convGen.FlopsPerCall);
                var kept = childRuns.GetValueOrDefault(child.Name);
                childRuns[child.Name] = kept?.Best is null || (run.Best is not null && Best(kept.Best, run.Best) == run.Best) ? run : kept;
            }
        }

        var cold = new Dictionary<string, FreshRun>();
        if (threads == 1 && !options.SkipCold)
        {
            cold["ConvGen"] = ColdStart.Measure(ColdStart.ConvGen, workload, options.CpuTime);
            if (theirs is not null)
            {
                cold["ONNX Runtime"] = ColdStart.Measure(ColdStart.OnnxRuntime, workload, options.CpuTime);
            }

            foreach (var child in children)
            {
                if (childRuns.GetValueOrDefault(child.Name)?.Variant is { } variant)
                {
                    cold[child.Name] = child.Cold(workload, variant, checkFile, options.CpuTime);
                }
            }
        }

        if (workload.CountsFlops && threads == options.Threads[0])
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{workload.Name}: {convGen.FlopsPerCall / 1e9:F3} GFLOP per call (2·MACs of its convolutions and dense layers)"));
        }

        if (childRuns.GetValueOrDefault("PyTorch")?.Variant is { } torchVariant)
        {
            notes.Add($"{workload.Name} × {threads}: PyTorch variant {torchVariant}");
        }

        var sides = new[] { "ConvGen", "ONNX Runtime" }.Concat(childNames).ToArray();
        if (cold.Count > 0)
        {
            memoryRows.Add(new[] { workload.Name }.Concat(sides.Select(side => Memory(cold, side))).Concat(sides.Select(side => Startup(cold, side)))
                .Concat(new[] { "ConvGen", "TorchSharp" }.Select(side => FirstSecondJit(cold, side))).ToArray());
        }

        var row = new List<string>
        {
            workload.Name, threads.ToString(CultureInfo.InvariantCulture),
            Format(mine), Cold(workload, mine, cold, "ConvGen", convGen.FlopsPerCall),
            onnxProblem ?? Format(theirs), Cold(workload, theirs, cold, "ONNX Runtime", convGen.FlopsPerCall),
        };
        foreach (var name in childNames)
        {
            var run = childRuns.GetValueOrDefault(name);
            row.Add(run?.Problem ?? Format(run?.Best));
            row.Add(Cold(workload, run?.Best, cold, name, convGen.FlopsPerCall));
        }

        row.Add(Ratio(mine!, theirs));
        row.AddRange(childNames.Select(name => Ratio(mine!, childRuns.GetValueOrDefault(name)?.Best)));
        row.Add(double.IsNaN(mine!.GigaFlops) ? "—" : string.Create(CultureInfo.InvariantCulture, $"{100 * mine.GigaFlops / (peak * threads):F0}%"));
        rows.Add(row.ToArray());
        Console.Error.WriteLine($"done: {workload.Name} × {threads} (load average {LoadAverage()})");
    }
}

var header = new[]
{
    "workload", "threads", "ConvGen", "ConvGen cold", "ONNX Runtime", "ORT cold", "PyTorch", "PyTorch cold", "TorchSharp", "TorchSharp cold",
    "ConvGen ÷ ORT (speed)", "ConvGen ÷ PyTorch (speed)", "ConvGen ÷ TorchSharp (speed)", "ConvGen % of FMA peak",
};
Table.Print(header, rows);
Console.WriteLine();
Console.WriteLine("Warm: median call after warm-up, best of the rounds (long rows: timed "
    + Workload.LongRowSeconds.ToString(CultureInfo.InvariantCulture) + " s per measurement). Cold (1 thread): mean call over the first second"
    + (options.CpuTime ? " of process CPU time (--cpu-time)" : string.Empty) + " of a fresh process pinned to core 0, how many times slower that is"
    + " than the median call after warm-up in the same process, and how many calls that second held when fewer than 100."
    + " Load average at the end: " + LoadAverage());
foreach (var note in notes)
{
    Console.WriteLine(note);
}

if (memoryRows.Count > 0)
{
    Console.WriteLine();
    Table.Print(
        new[]
        {
            "workload (1 thread)", "ConvGen peak MiB", "ONNX Runtime peak MiB", "PyTorch peak MiB", "TorchSharp peak MiB",
            "ConvGen start-up", "ORT start-up", "PyTorch start-up", "TorchSharp start-up", "ConvGen JIT, 1st s", "TorchSharp JIT, 1st s",
        },
        memoryRows);
    Console.WriteLine();
    Console.WriteLine("Peak memory: peak working set (VmHWM) of the fresh process that ran only that workload for that side (the cold"
        + " column's process): the .NET runtime, Python and the torch import, or libtorch, included. Start-up: in that process, from before"
        + " the model is built (network construction and weight loading, session creation, the PyTorch module and its weights, or the TorchScript module loaded by TorchSharp)"
        + " to the end of the first call — the cold column leaves the building out; process start and imports are not included."
        + " JIT, 1st s: what .NET's JIT compiled in the cold column's first second, on every thread (tier-0, OSR, instrumented and"
        + " tier-1 compilations; the harness's own methods included): milliseconds compiling, and methods.");
}

foreach (var child in children)
{
    foreach (var line in child.Environment)
    {
        Console.WriteLine(child.Name + " build: " + line);
    }
}

return 0;

static Result? Best(Result? a, Result? b) =>
    a is null ? b : b is null ? a : (a.HigherIsBetter ? (b.Value > a.Value ? b : a) : (b.Value < a.Value ? b : a));

static string Format(Result? r) =>
    r is null ? "—" : string.Create(CultureInfo.InvariantCulture, $"{r.Value:N1} {r.Unit}") + (double.IsNaN(r.GigaFlops) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({r.GigaFlops:F0} GFLOP/s)"));

static string Ratio(Result mine, Result? theirs) =>
    theirs is null ? "—" : string.Create(CultureInfo.InvariantCulture, $"{mine.SpeedOver(theirs):F2}×");

// The cold time in the row's unit, how many times slower than warm in the same fresh process, and the calls it holds if few.
static string Cold(Workload workload, Result? warm, Dictionary<string, FreshRun> cold, string side, double flops)
{
    if (warm is null || !cold.TryGetValue(side, out var run))
    {
        return "—";
    }

    if (!run.Succeeded)
    {
        return "failed";
    }

    var result = workload.ToResult(run.ColdSeconds, flops);
    var calls = run.ColdCalls < 100 ? string.Create(CultureInfo.InvariantCulture, $", {run.ColdCalls} calls") : string.Empty;
    return string.Create(CultureInfo.InvariantCulture, $"{result.Value:N1} {result.Unit} ({run.ColdSeconds / run.WarmSeconds:F2}×{calls})");
}

// A side's start-up in its fresh process (building the model, loading the weights, the first call) for the memory table.
static string Startup(Dictionary<string, FreshRun> cold, string side) =>
    !cold.TryGetValue(side, out var run) ? "—" : run.Succeeded ? string.Create(CultureInfo.InvariantCulture, $"{run.StartupSeconds * 1e3:N0} ms") : "failed";

// What the JIT compiled during a .NET side's first second, for the memory table.
static string FirstSecondJit(Dictionary<string, FreshRun> cold, string side) =>
    !cold.TryGetValue(side, out var run) || double.IsNaN(run.FirstSecondJit.Seconds) ? "—"
        : string.Create(CultureInfo.InvariantCulture, $"{run.FirstSecondJit.Seconds * 1e3:N0} ms ({run.FirstSecondJit.Methods} methods)");

// The peak working set of a side's fresh process for the memory table.
static string Memory(Dictionary<string, FreshRun> cold, string side) =>
    !cold.TryGetValue(side, out var run) ? "—" : run.Succeeded ? string.Create(CultureInfo.InvariantCulture, $"{run.PeakMebibytes:F0}") : "failed";

// Null when ONNX Runtime's output for the shared input matches ConvGen's, else the table cell saying by how much it differs.
static string? Disagreement(OnnxRuntimeSide onnx, float[] expected)
{
    onnx.Call();
    return Agreement.Agrees(onnx.Output, expected)
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"✗ differs by {Agreement.MaxDifference(onnx.Output, expected):G3}");
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
