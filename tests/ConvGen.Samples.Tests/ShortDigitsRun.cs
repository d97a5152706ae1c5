using System;
using System.IO;
using ConvGen.Samples.Digits;
using Spectre.Console;
using Xunit.Abstractions;

namespace ConvGen.Samples.Tests
{
    /// <summary>
    /// A short seeded run of a digit sample (2 epochs, 2,000 training and 500 test digits, 2 threads) into a temporary
    /// folder, with the console captured; and the checks every digit sample must pass whatever its network.
    /// </summary>
    internal sealed class ShortDigitsRun : IDisposable
    {
        private readonly string _output = Directory.CreateTempSubdirectory("convgen-digits-").FullName;
        private readonly StringWriter _console = new();

        public ShortDigitsRun(DigitsNetwork network, ITestOutputHelper testOutput, int maxShift = 0)
        {
            var options = new DigitsOptions
            {
                Epochs = 2,
                MaxShift = maxShift,
                TrainSamples = 2000,
                TestSamples = 500,
                Seed = 1,
                Threads = 2,
                DataFolder = MnistFolder.Find() ?? throw new InvalidOperationException("data/mnist not found"),
                OutputFolder = _output,
            };
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(_console),
            });

            Result = new DigitsSample(network, options, console).Run();
            Text = _console.ToString();
            testOutput.WriteLine(Text);
            Html = File.ReadAllText(Result.ReportPath);
        }

        public DigitsResult Result { get; }

        /// <summary>What the run wrote to the console.</summary>
        public string Text { get; }

        /// <summary>The HTML report.</summary>
        public string Html { get; }

        /// <summary>Two epochs, training loss falling, the reloaded weights giving the same predictions, a complete report and console.</summary>
        public void AssertLearnedSavedReloadedReported()
        {
            Assert.Equal(2, Result.History.Count);
            Assert.True(Result.History[1].TrainLoss < Result.History[0].TrainLoss);
            Assert.Equal(Result.TestAccuracy, Result.ReloadedTestAccuracy);
            Assert.True(Result.ReloadedPredictionsMatch);
            Assert.True(File.Exists(Result.WeightsPath));
            foreach (var id in HtmlReportTests.SectionIds)
            {
                Assert.Contains($"<section id=\"{id}\">", Html);
            }

            Assert.Contains("epoch  2/2", Text);
            Assert.Contains("test loss", Text);
            Assert.Contains("Confusion matrix", Text);
            Assert.Contains("(identical)", Text);
        }

        public void Dispose() => Directory.Delete(_output, recursive: true);
    }
}
