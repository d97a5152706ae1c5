using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Data;
using Spectre.Console;

namespace ConvGen.Samples.Digits
{
    /// <summary>
    /// A whole digit-classifier sample: trains <paramref name="network"/> on the MNIST digits with progress on the console, evaluates
    /// it on the held-out digits, saves the weights and reloads them into a fresh network, and writes the HTML report.
    /// </summary>
    public sealed class DigitsSample(DigitsNetwork network, DigitsOptions options, IAnsiConsole console)
    {
        /// <summary>The file name of the report inside <see cref="DigitsOptions.OutputFolder"/>.</summary>
        public const string ReportFileName = "report.html";

        private const int EvaluationBatchSize = 250;
        private const int MisclassifiedShown = 60;

        /// <summary>Columns a panel adds around its content: a border and a space of padding on each side.</summary>
        private const int PanelFrameWidth = 4;

        /// <summary>Runs the sample.</summary>
        public DigitsResult Run()
        {
            var train = Load("train", options.TrainSamples);
            var test = Load("test", options.TestSamples);
            WriteSummary();
            var trained = network.Create(options.Seed);
            trained.Threads = options.Threads ?? Environment.ProcessorCount;
            console.MarkupLine(
                $"Training on [bold]{train.Count:#,0}[/] digits, testing on [bold]{test.Count:#,0}[/]: {options.Epochs} epochs, batch {options.BatchSize}, "
                + $"{options.Optimizer.ToString().ToLowerInvariant()} lr {options.EffectiveLearningRate:0.#####} (cosine), "
                + (options.MaxShift > 0 ? $"random shifts up to {options.MaxShift} px, " : "")
                + $"seed {options.Seed}, {trained.Threads} thread{(trained.Threads == 1 ? "" : "s")}");

            var history = Train(trained, train, test);
            var evaluation = TestEvaluation.Run(trained, test, EvaluationBatchSize);
            console.Write(ConfusionTable.Create(evaluation.Confusion));
            console.MarkupLine($"[bold]Test accuracy: {evaluation.Accuracy:0.00%}[/] ({evaluation.Accuracy * test.Count:0} of {test.Count} digits)");

            Directory.CreateDirectory(options.OutputFolder);
            var weightsPath = Path.GetFullPath(Path.Combine(options.OutputFolder, network.WeightsFileName));
            trained.Save(weightsPath);
            var reloaded = network.Create(options.Seed + 1);
            reloaded.Threads = trained.Threads;
            reloaded.Load(weightsPath);
            var reloadedEvaluation = TestEvaluation.Run(reloaded, test, EvaluationBatchSize);
            var predictionsMatch = reloadedEvaluation.Predictions.AsSpan().SequenceEqual(evaluation.Predictions);
            console.MarkupLine(
                $"Saved the weights to [link]{Markup.Escape(weightsPath)}[/]; reloaded into a new {network.ClassName}: test accuracy {reloadedEvaluation.Accuracy:0.00%} "
                + (reloadedEvaluation.Accuracy == evaluation.Accuracy && predictionsMatch ? "[green](identical)[/]" : "[red](DIFFERENT)[/]"));

            var reportPath = Path.GetFullPath(Path.Combine(options.OutputFolder, ReportFileName));
            HtmlReport.Write(reportPath, ReportOf(trained, history, test, evaluation));
            console.MarkupLine($"Report: [link]{Markup.Escape(reportPath)}[/]");
            return new DigitsResult(history, evaluation.Accuracy, reloadedEvaluation.Accuracy, predictionsMatch, weightsPath, reportPath);
        }

        /// <summary>
        /// The compile-time summary in a framed panel when it fits the console; a wider one (a graph's "Connected to" column) is
        /// written as it is, since the panel would fold every row in two.
        /// </summary>
        private void WriteSummary()
        {
            var heading = $"{network.ClassName}.Summary (generated at compile time)";
            var widest = network.Summary.Split('\n').Max(line => line.TrimEnd('\r').Length);
            if (widest + PanelFrameWidth <= console.Profile.Width)
            {
                console.Write(new Panel(new Text(network.Summary)).Header(heading).Border(BoxBorder.Rounded));
                return;
            }

            console.WriteLine(heading);
            console.Profile.Out.Writer.WriteLine(network.Summary);
        }

        private Dataset Load(string split, int? limit)
        {
            var data = Mnist.Load(options.DataFolder, split);
            return limit is { } count && count < data.Count ? data.Subset(0, count) : data;
        }

        private List<EpochResult> Train(INetwork trained, Dataset train, Dataset test)
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
                Augmentation = options.MaxShift > 0 ? new RandomShift(options.MaxShift, options.Seed) : null,
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
                        Trainer.Fit(trained, train, trainerOptions, optimizer, new SynchronousProgress<TrainingProgress>(p =>
                        {
                            live.Report(p);
                            Record(p);
                        }));
                    });
            }
            else
            {
                Trainer.Fit(trained, train, trainerOptions, optimizer, new SynchronousProgress<TrainingProgress>(p =>
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

        private ReportContent ReportOf(INetwork trained, List<EpochResult> history, Dataset test, TestEvaluation evaluation)
        {
            var wrong = Enumerable.Range(0, test.Count).Where(i => evaluation.Predictions[i] != test.Label(i)).ToList();
            return new ReportContent(
                network.Title,
                network.Summary,
                history,
                evaluation.Accuracy,
                network.Filters(trained),
                test.Image(0).ToArray(),
                test.Label(0),
                evaluation.Predictions[0],
                evaluation.Confusion,
                network.FeatureMaps(trained, test.Image(0).ToArray()),
                wrong.Take(MisclassifiedShown).Select(i => new Misclassification(i, test.Image(i).ToArray(), test.Label(i), evaluation.Predictions[i])).ToList(),
                wrong.Count);
        }
    }
}
