using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Data;
using Spectre.Console;

namespace ConvGen.Samples.Digits
{
    /// <summary>
    /// The whole sample: trains <see cref="LeNet5"/> on the MNIST digits with progress on the console, evaluates it on the held-out
    /// digits, saves and reloads the weights, and writes the HTML report.
    /// </summary>
    public sealed class LeNet5Sample(LeNet5Options options, IAnsiConsole console)
    {
        /// <summary>The file name of the saved weights inside <see cref="LeNet5Options.OutputFolder"/>.</summary>
        public const string WeightsFileName = "lenet5.safetensors";

        /// <summary>The file name of the report inside <see cref="LeNet5Options.OutputFolder"/>.</summary>
        public const string ReportFileName = "report.html";

        private const int EvaluationBatchSize = 250;
        private const int MisclassifiedShown = 60;

        /// <summary>Runs the sample.</summary>
        public LeNet5Result Run()
        {
            var train = Load("train", options.TrainSamples);
            var test = Load("test", options.TestSamples);
            console.Write(new Panel(new Text(LeNet5.Summary)).Header("LeNet5.Summary (generated at compile time)").Border(BoxBorder.Rounded));
            var network = new LeNet5(options.Seed) { Threads = options.Threads ?? Environment.ProcessorCount };
            console.MarkupLine(
                $"Training on [bold]{train.Count:#,0}[/] digits, testing on [bold]{test.Count:#,0}[/]: {options.Epochs} epochs, batch {options.BatchSize}, "
                + $"{options.Optimizer.ToString().ToLowerInvariant()} lr {options.EffectiveLearningRate:0.#####} (cosine), seed {options.Seed}, {network.Threads} thread{(network.Threads == 1 ? "" : "s")}");

            var history = Train(network, train, test);
            var evaluation = TestEvaluation.Run(network, test, EvaluationBatchSize);
            console.Write(ConfusionTable.Create(evaluation.Confusion));
            console.MarkupLine($"[bold]Test accuracy: {evaluation.Accuracy:0.00%}[/] ({evaluation.Accuracy * test.Count:0} of {test.Count} digits)");

            Directory.CreateDirectory(options.OutputFolder);
            var weightsPath = Path.GetFullPath(Path.Combine(options.OutputFolder, WeightsFileName));
            network.Save(weightsPath);
            var reloaded = new LeNet5 { Threads = network.Threads };
            reloaded.Load(weightsPath);
            var reloadedEvaluation = TestEvaluation.Run(reloaded, test, EvaluationBatchSize);
            var predictionsMatch = reloadedEvaluation.Predictions.AsSpan().SequenceEqual(evaluation.Predictions);
            console.MarkupLine(
                $"Saved the weights to [link]{Markup.Escape(weightsPath)}[/]; reloaded into a new LeNet5: test accuracy {reloadedEvaluation.Accuracy:0.00%} "
                + (reloadedEvaluation.Accuracy == evaluation.Accuracy && predictionsMatch ? "[green](identical)[/]" : "[red](DIFFERENT)[/]"));

            var reportPath = Path.GetFullPath(Path.Combine(options.OutputFolder, ReportFileName));
            HtmlReport.Write(reportPath, ReportOf(network, history, test, evaluation));
            console.MarkupLine($"Report: [link]{Markup.Escape(reportPath)}[/]");
            return new LeNet5Result(history, evaluation.Accuracy, reloadedEvaluation.Accuracy, predictionsMatch, weightsPath, reportPath);
        }

        private Dataset Load(string split, int? limit)
        {
            var data = Mnist.Load(options.DataFolder, split);
            return limit is { } count && count < data.Count ? data.Subset(0, count) : data;
        }

        private List<EpochResult> Train(LeNet5 network, Dataset train, Dataset test)
        {
            var learningRate = options.EffectiveLearningRate;
            Optimizer optimizer = options.Optimizer == OptimizerKind.Sgd ? new Sgd(learningRate, momentum: 0.9f) : new Adam(learningRate);
            var trainerOptions = new TrainerOptions
            {
                Epochs = options.Epochs,
                BatchSize = options.BatchSize,
                Seed = options.Seed,
                Schedule = new CosineSchedule(learningRate, options.Epochs),
                Validation = test,
            };

            var history = new List<EpochResult>();
            void Record(TrainingProgress p)
            {
                if (p.IsEpochEnd)
                {
                    history.Add(new EpochResult(p.Epoch + 1, p.Loss, p.Accuracy, p.ValidationLoss ?? float.NaN, p.ValidationAccuracy ?? float.NaN, p.LearningRate, p.ImagesPerSecond));
                }
            }

            if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
            {
                console.Progress()
                    .AutoClear(false)
                    .HideCompleted(false)
                    .Columns(LiveEpochProgress.Columns())
                    .Start(context =>
                    {
                        var live = new LiveEpochProgress(context, options.Epochs);
                        Trainer.Fit(network, train, trainerOptions, optimizer, new SynchronousProgress<TrainingProgress>(p =>
                        {
                            live.Report(p);
                            Record(p);
                        }));
                    });
            }
            else
            {
                Trainer.Fit(network, train, trainerOptions, optimizer, new SynchronousProgress<TrainingProgress>(p =>
                {
                    if (p.IsEpochEnd)
                    {
                        console.WriteLine(EpochLine.Format(p, options.Epochs));
                    }

                    Record(p);
                }));
            }

            return history;
        }

        private static ReportContent ReportOf(LeNet5 network, List<EpochResult> history, Dataset test, TestEvaluation evaluation)
        {
            var wrong = Enumerable.Range(0, test.Count).Where(i => evaluation.Predictions[i] != test.Label(i)).ToList();
            return new ReportContent(
                LeNet5.Summary,
                history,
                evaluation.Accuracy,
                network.Parameters["conv1.weight"].Values.ToArray(),
                test.Image(0).ToArray(),
                test.Label(0),
                evaluation.Predictions[0],
                evaluation.Confusion,
                FeatureMaps.Of(network, test.Image(0)),
                wrong.Take(MisclassifiedShown).Select(i => new Misclassification(i, test.Image(i).ToArray(), test.Label(i), evaluation.Predictions[i])).ToList(),
                wrong.Count);
        }
    }
}
