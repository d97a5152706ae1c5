using System;
using System.IO;
using ConvGen.Samples.Digits;
using Spectre.Console;
using Xunit.Abstractions;

namespace ConvGen.Samples.Tests
{
    public sealed class LeNet5SampleTests(ITestOutputHelper testOutput) : IDisposable
    {
        private readonly string _output = Directory.CreateTempSubdirectory("convgen-lenet5-").FullName;
        private readonly StringWriter _console = new();

        public void Dispose() => Directory.Delete(_output, recursive: true);

        [Fact]
        public void Short_seeded_run_learns_saves_reloads_and_reports()
        {
            var options = new DigitsOptions
            {
                Epochs = 2,
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

            var result = new DigitsSample(LeNet5Digits.Network, options, console).Run();
            testOutput.WriteLine(_console.ToString());

            // This run measures 95.20% on the 500 test digits (2 threads, SGD lr 0.05); the margin absorbs harmless numeric changes.
            Assert.True(result.TestAccuracy >= 0.90f, $"test accuracy {result.TestAccuracy:P2}\n{_console}");
            Assert.Equal(2, result.History.Count);
            Assert.True(result.History[1].TrainLoss < result.History[0].TrainLoss);
            Assert.All(result.History, epoch => Assert.InRange(epoch.TestLoss, 0.01f, 1f)); // ln 10 = 2.3 untrained
            Assert.Equal(result.TestAccuracy, result.ReloadedTestAccuracy);
            Assert.True(result.ReloadedPredictionsMatch);
            Assert.True(File.Exists(result.WeightsPath));
            var html = File.ReadAllText(result.ReportPath);
            foreach (var id in HtmlReportTests.SectionIds)
            {
                Assert.Contains($"<section id=\"{id}\">", html);
            }

            var text = _console.ToString();
            Assert.Contains("epoch  2/2", text);
            Assert.Contains("test loss", text);
            Assert.Contains("Confusion matrix", text);
            Assert.Contains("(identical)", text);
        }
    }
}
