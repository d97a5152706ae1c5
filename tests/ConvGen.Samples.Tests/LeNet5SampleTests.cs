using ConvGen.Samples.Digits;
using Xunit.Abstractions;

namespace ConvGen.Samples.Tests
{
    public sealed class LeNet5SampleTests(ITestOutputHelper testOutput)
    {
        [Fact]
        public void Short_seeded_run_learns_saves_reloads_and_reports()
        {
            using var run = new ShortDigitsRun(LeNet5Digits.Network, testOutput);

            // This run measures 95.20% on the 500 test digits (2 threads, SGD lr 0.05); the margin absorbs harmless numeric changes.
            Assert.True(run.Result.TestAccuracy >= 0.90f, $"test accuracy {run.Result.TestAccuracy:P2}\n{run.Text}");
            Assert.All(run.Result.History, epoch => Assert.InRange(epoch.TestLoss, 0.01f, 1f)); // ln 10 = 2.3 untrained
            run.AssertLearnedSavedReloadedReported();
        }
    }
}
