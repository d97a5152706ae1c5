using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ConvGen.Samples.Digits;

namespace ConvGen.Samples.Tests
{
    public class HtmlReportTests
    {
        public static readonly string[] SectionIds = ["summary", "curves", "confusion", "filters", "feature-maps", "misclassified"];

        private static ReportContent TinyContent(int shown, int total, int[,]? confusion = null)
        {
            var random = new Random(7);
            float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() - 0.3f).ToArray();
            return new ReportContent(
                "LeNet-5",
                "Layer  Kind\n<conv1> & co",
                [new EpochResult(1, 0.9f, 0.7f, 0.55f, 0.85f, 0.05f, 1000), new EpochResult(2, 0.3f, 0.9f, 1.25f, 0.93f, 0.025f, 1100)],
                0.93f,
                new FilterSet("conv1", Values(20 * 25), 20, 5),
                Values(784),
                7,
                7,
                confusion ?? new int[10, 10],
                [new FeatureMapSet("conv1", Values(20 * 784), 20, 28, 28), new FeatureMapSet("conv2", Values(50 * 196), 50, 14, 14)],
                Enumerable.Range(0, shown).Select(i => new Misclassification(i, Values(784), 3, 5)).ToList(),
                total);
        }

        private static int Count(string html, string text) => Regex.Matches(html, Regex.Escape(text)).Count;

        [Fact]
        public void Report_has_every_section_and_one_heat_map_per_filter_map_and_digit()
        {
            var html = HtmlReport.Render(TinyContent(shown: 4, total: 14));

            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.EndsWith("</html>\n", html);
            foreach (var id in SectionIds)
            {
                Assert.Equal(1, Count(html, $"<section id=\"{id}\">"));
            }

            Assert.Equal(2, Count(html, "<svg class=\"chart\""));
            Assert.Equal(20 + 1 + 20 + 50 + 4, Count(html, "<svg class=\"heatmap\""));
            Assert.Equal(Count(html, "<svg "), Count(html, "</svg>"));
            Assert.Equal(Count(html, "<section "), Count(html, "</section>"));
            Assert.Contains("&lt;conv1&gt; &amp; co", html);
            Assert.Contains("<title>LeNet-5 on MNIST — ConvGen</title>", html);
            Assert.Contains("<h1>LeNet-5 on MNIST</h1>", html);
            Assert.Contains("<h2>conv1 filters</h2>", html);
            Assert.Contains("The 20 learned 5×5 kernels", html);
            Assert.Contains("<h3>conv1: 20 maps, 28×28</h3>", html);
            Assert.Contains("<h3>conv2: 50 maps, 14×14</h3>", html);
            Assert.Contains("the first 4 of 14", html);
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        }

        private static string Section(string html, string id)
        {
            var start = html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
            return html[start..(html.IndexOf("</section>", start, StringComparison.Ordinal) + "</section>".Length)];
        }

        [Fact]
        public void Confusion_matrix_has_a_row_per_true_digit_and_marks_hits_misses_and_zeros_as_the_terminal_does()
        {
            var confusion = new[,] { { 5, 0, 1 }, { 2, 7, 0 }, { 0, 0, 9 } };
            var section = Section(HtmlReport.Render(TinyContent(shown: 0, total: 0, confusion)), "confusion");

            Assert.Equal(1 + 3, Count(section, "<tr>"));
            Assert.Contains("<tr><th>true \\ predicted</th><th>0</th><th>1</th><th>2</th></tr>", section);
            Assert.Contains("<tr><th>1</th><td class=\"miss\" style=\"background: rgba(178, 24, 43, 0.50)\">2</td><td class=\"hit\">7</td><td class=\"zero\">·</td></tr>", section);
            Assert.Contains("<td class=\"miss\" style=\"background: rgba(178, 24, 43, 0.29)\">1</td>", section); // half the largest miss
            Assert.Equal(3, Count(section, "class=\"hit\""));
            Assert.Equal(2, Count(section, "class=\"miss\""));
            Assert.Equal(4, Count(section, "class=\"zero\""));
        }

        [Fact]
        public void Loss_chart_and_table_show_the_held_out_loss_of_every_epoch()
        {
            var curves = Section(HtmlReport.Render(TinyContent(shown: 0, total: 0)), "curves");

            var lossChart = curves[curves.IndexOf("<svg class=\"chart\"", StringComparison.Ordinal)..(curves.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
            Assert.Contains(">Loss (cross-entropy)</text>", lossChart);
            Assert.Equal(2, Count(lossChart, "<polyline "));
            Assert.Contains("<title>test loss, epoch 1: 0.55</title>", lossChart);
            Assert.Contains("<title>test loss, epoch 2: 1.25</title>", lossChart);
            Assert.Contains("<title>train loss, epoch 2: 0.30</title>", lossChart);
            Assert.Contains(">1.50</text>", lossChart); // the axis reaches above the largest loss, 1.25
            Assert.Contains("<td>0.5500</td><td>85.00%</td>", curves);
        }

        [Fact]
        public void Report_is_written_to_disk()
        {
            var path = Path.Combine(Directory.CreateTempSubdirectory("convgen-report-").FullName, "sub", "report.html");

            HtmlReport.Write(path, TinyContent(shown: 0, total: 0));

            var html = File.ReadAllText(path);
            Assert.Contains("Every test digit was classified correctly.", html);
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(path))!, recursive: true);
        }
    }
}
