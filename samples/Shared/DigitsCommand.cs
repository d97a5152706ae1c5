using System;
using System.CommandLine;
using System.IO;
using Spectre.Console;

namespace ConvGen.Samples.Digits
{
    /// <summary>The command line of a digit-classifier sample: its options, their checks, and the run they start.</summary>
    public static class DigitsCommand
    {
        /// <summary>
        /// Parses <paramref name="args"/> and runs a <see cref="DigitsSample"/> of <paramref name="network"/> (or prints help or
        /// errors); the defaults are the LeNet-5 sample's, except the epochs, the shifts and the output folder under <c>out/</c>.
        /// </summary>
        /// <returns>The process exit code: 0 on success, 1 when reading or writing files failed, 2 when data/mnist was not found.</returns>
        public static int Run(string[] args, DigitsNetwork network, string outputFolder, int epochsByDefault, int maxShiftByDefault)
        {
            var epochs = new Option<int>("--epochs") { Description = "Passes over the training set", DefaultValueFactory = _ => epochsByDefault };
            var batchSize = new Option<int>("--batch-size") { Description = "Digits per training step", DefaultValueFactory = _ => 64 };
            var learningRate = new Option<float?>("--learning-rate") { Description = "Initial learning rate, lowered by a cosine schedule [default: 0.05 for sgd, 0.001 for adam]" };
            var optimizer = new Option<string>("--optimizer") { Description = "sgd (momentum 0.9) or adam", DefaultValueFactory = _ => "sgd" };
            optimizer.AcceptOnlyFromAmong("sgd", "adam");
            var maxShift = new Option<int>("--max-shift") { Description = "Moves each training digit by up to this many pixels each way, anew every epoch (0: no shifts)", DefaultValueFactory = _ => maxShiftByDefault };
            var seed = new Option<int>("--seed") { Description = "Seeds the weights, the shuffle and the shifts; runs with equal seeds and thread counts are identical", DefaultValueFactory = _ => 1 };
            var data = new Option<DirectoryInfo?>("--data") { Description = "Folder with the MNIST IDX files [default: data/mnist, searched for upwards]" };
            var output = new Option<DirectoryInfo>("--output") { Description = $"Folder for {network.WeightsFileName} and report.html", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", outputFolder)) };
            var threads = new Option<int?>("--threads") { Description = "Threads per batch [default: the processor count]" };

            RequirePositive(epochs);
            RequirePositive(batchSize);
            RequirePositive(threads);
            maxShift.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() is < 0 and var value)
                {
                    result.AddError($"--max-shift must not be negative (got {value}).");
                }
            });
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

            var root = new RootCommand($"Trains {network.Title}, compiled by the ConvGen source generator, on the MNIST digits shipped in data/mnist, "
                + "then saves the weights as safetensors and writes an HTML report.")
            {
                epochs, batchSize, learningRate, optimizer, maxShift, seed, data, output, threads,
            };
            root.SetAction(parseResult =>
            {
                var dataFolder = parseResult.GetValue(data)?.FullName ?? MnistFolder.Find();
                if (dataFolder is null)
                {
                    Console.Error.WriteLine("Could not find data/mnist above the current directory or the program's folder; pass --data <folder>.");
                    return 2;
                }

                var options = new DigitsOptions
                {
                    Epochs = parseResult.GetValue(epochs),
                    BatchSize = parseResult.GetValue(batchSize),
                    LearningRate = parseResult.GetValue(learningRate),
                    Optimizer = parseResult.GetValue(optimizer) == "adam" ? OptimizerKind.Adam : OptimizerKind.Sgd,
                    MaxShift = parseResult.GetValue(maxShift),
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
                    new DigitsSample(network, options, console).Run();
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine(e.Message);
                    return 1;
                }

                return 0;
            });
            return root.Parse(args).Invoke();
        }

        private static void RequirePositive<T>(Option<T> option) =>
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<T>() is int value && value <= 0)
                {
                    result.AddError($"{option.Name} must be at least 1 (got {value}).");
                }
            });
    }
}
