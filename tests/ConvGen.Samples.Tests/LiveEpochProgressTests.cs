using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ConvGen.Samples.Digits;
using Spectre.Console;

namespace ConvGen.Samples.Tests
{
    public class LiveEpochProgressTests
    {
        private static TrainingProgress Batch(int epoch, int batch) =>
            new(epoch, batch, 3, 0.1234f, 0.9876f, 123_456, 0.05f, IsEpochEnd: false, ValidationAccuracy: null, ValidationLoss: null);

        [Fact]
        public void Finished_epochs_stop_their_clocks_and_every_row_fits_80_columns()
        {
            var output = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.Yes,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.Yes,
                Out = new AnsiConsoleOutput(output),
            });
            console.Profile.Width = 80;
            LiveEpochProgress? live = null;

            console.Progress().AutoClear(false).HideCompleted(false).Columns(LiveEpochProgress.Columns()).Start(context =>
            {
                live = new LiveEpochProgress(context, epochs: 12);
                for (var epoch = 0; epoch < 2; epoch++)
                {
                    for (var batch = 0; batch < 3; batch++)
                    {
                        live.Report(Batch(epoch, batch));
                    }

                    live.Report(Batch(epoch, 2) with { IsEpochEnd = true, ValidationAccuracy = 0.9825f, ValidationLoss = 0.0612f });
                }

                live.Report(Batch(2, 0));
            });

            Assert.Equal(3, live!.Rows.Count);
            Assert.All(live.Rows.Take(2), row => Assert.NotNull(row.StopTime));
            Assert.Null(live.Rows[2].StopTime);
            Assert.Equal("epoch  2/12  loss 0.1234  acc 98.76%  test 98.25%", live.Rows[1].Description);
            Assert.Equal("epoch  3/12  loss 0.1234  acc 98.76%  123,456 img/s", live.Rows[2].Description);
            Assert.Equal(EpochLine.DescriptionWidth, live.Rows[2].Description.Length);

            var lines = Regex.Replace(output.ToString(), @"\x1b\[[0-9;?]*[A-Za-z]", "\n").Split('\n');
            var rows = lines.Where(line => line.Contains("epoch ")).ToList();
            Assert.Contains(rows, row => row.StartsWith("epoch  3/12  loss 0.1234  acc 98.76%  123,456 img/s ") && row.Contains("33%"));
            Assert.All(rows, row => Assert.True(row.TrimEnd().Length <= 80, $"{row.TrimEnd().Length} columns: '{row}'"));
        }
    }
}
