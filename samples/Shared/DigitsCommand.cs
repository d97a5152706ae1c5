using System;
using System.CommandLine;
using System.IO;
using ConvGen.Samples;
using ConvGen.Samples.Digits;
using Spectre.Console;

var epochs = new Option<int>("--epochs") { Description = "Passes over the training set", DefaultValueFactory = _ => 12 };
var batchSize = new Option<int>("--batch-size") { Description = "Digits per training step", DefaultValueFactory = _ => 64 };
var learningRate = new Option<float?>("--learning-rate") { Description = "Initial learning rate, lowered by a cosine schedule [default: 0.05 for sgd, 0.001 for adam]" };
var optimizer = new Option<string>("--optimizer") { Description = "sgd (momentum 0.9) or adam", DefaultValueFactory = _ => "sgd" };
optimizer.AcceptOnlyFromAmong("sgd", "adam");
var seed = new Option<int>("--seed") { Description = "Seeds the weights and the shuffle; runs with equal seeds and thread counts are identical", DefaultValueFactory = _ => 1 };
var data = new Option<DirectoryInfo?>("--data") { Description = "Folder with the MNIST IDX files [default: data/mnist, searched for upwards]" };
var output = new Option<DirectoryInfo>("--output") { Description = "Folder for lenet5.safetensors and report.html", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "lenet5")) };
var threads = new Option<int?>("--threads") { Description = "Threads per batch [default: the processor count]" };

RequirePositive(epochs);
RequirePositive(batchSize);
RequirePositive(threads);
learningRate.Validators.Add(result =>
{
    if (result.GetValueOrDefault<float?>() is { } value && !(value > 0 && float.IsFinite(value)))
    {
        result.AddError($"--learning-rate must be a positive number (got {value}).");
    }
});
data.Validators.Add(result =>
{
    if (result.GetValueOrDefault<DirectoryInfo?>() is { Exists: false } folder)
    {
        result.AddError($"The data folder '{folder.FullName}' does not exist.");
    }
});

var root = new RootCommand("Trains LeNet-5, compiled by the ConvGen source generator, on the MNIST digits shipped in data/mnist, "
    + "then saves the weights as safetensors and writes an HTML report.")
{
    epochs, batchSize, learningRate, optimizer, seed, data, output, threads,
};
root.SetAction(parseResult =>
{
    var dataFolder = parseResult.GetValue(data)?.FullName ?? MnistFolder.Find();
    if (dataFolder is null)
    {
        Console.Error.WriteLine("Could not find data/mnist above the current directory or the program's folder; pass --data <folder>.");
        return 2;
    }

    var options = new LeNet5Options
    {
        Epochs = parseResult.GetValue(epochs),
        BatchSize = parseResult.GetValue(batchSize),
        LearningRate = parseResult.GetValue(learningRate),
        Optimizer = parseResult.GetValue(optimizer) == "adam" ? OptimizerKind.Adam : OptimizerKind.Sgd,
        Seed = parseResult.GetValue(seed),
        DataFolder = dataFolder,
        OutputFolder = parseResult.GetValue(output)!.FullName,
        Threads = parseResult.GetValue(threads),
    };
    var console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        Interactive = Console.IsOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
    });
    try
    {
        new LeNet5Sample(options, console).Run();
    }
    catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }

    return 0;
});
return root.Parse(args).Invoke();

static void RequirePositive<T>(Option<T> option) =>
    option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<T>() is int value && value <= 0)
        {
            result.AddError($"{option.Name} must be at least 1 (got {value}).");
        }
    });
