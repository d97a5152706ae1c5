using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace ConvGen.Samples.Digits
{
    /// <summary>
    /// Writes a self-contained HTML page (inline SVG and CSS, no scripts, no external files) about a trained digit classifier:
    /// its summary, training and held-out curves, the confusion matrix on the test digits, first-layer filters, feature maps for one
    /// digit and the misclassified test digits, in sections with the ids <c>summary</c>, <c>curves</c>, <c>confusion</c>,
    /// <c>filters</c>, <c>feature-maps</c> and <c>misclassified</c>.
    /// </summary>
    public static class HtmlReport
    {
        /// <summary>Drawn width of one filter, in CSS pixels.</summary>
        private const double FilterPixels = 60;

        /// <summary>Drawn width of a feature map of 14 columns or more (smaller maps get bigger cells), in CSS pixels.</summary>
        private const double MapPixels = 56;

        /// <summary>Renders <paramref name="content"/> and writes it to <paramref name="path"/> (UTF-8), creating the folder if needed.</summary>
        public static void Write(string path, ReportContent content)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, Render(content), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        /// <summary>The report as one HTML document.</summary>
        public static string Render(ReportContent content)
        {
            var html = new StringBuilder();
            html.Append("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">

                """);
            html.Append(Invariant($"<title>{HeatMapSvg.Escape(content.Title)} on MNIST — ConvGen</title>\n"));
            html.Append("""
                <style>
                body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; padding: 0 1rem; }
                h1 { margin-bottom: 0.2rem; }
                section { margin: 2rem 0; }
                pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 13px; }
                .grid { display: flex; flex-wrap: wrap; gap: 10px; }
                figure { margin: 0; text-align: center; font-size: 12px; color: #444; }
                figure svg { display: block; border: 1px solid #ccc; }
                .charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
                .wrong { color: #b2182b; font-weight: bold; }
                .note { color: #555; font-size: 14px; }
                table.confusion { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 14px; }
                table.confusion th, table.confusion td { border: 1px solid #ddd; padding: 4px 10px; text-align: right; }
                table.confusion th { background: #f6f6f6; }
                table.confusion .hit { color: #1a7f37; font-weight: bold; }
                table.confusion .miss { color: #b2182b; font-weight: bold; }
                table.confusion .zero { color: #bbb; }
                </style>
                </head>
                <body>

                """);
            var last = content.History.Count > 0 ? content.History[^1] : null;
            html.Append(Invariant($"<h1>{HeatMapSvg.Escape(content.Title)} on MNIST</h1>\n"));
            html.Append(Invariant($"<p class=\"note\">Held-out test accuracy <b>{content.TestAccuracy:0.00%}</b> after {content.History.Count} epoch{(content.History.Count == 1 ? "" : "s")}")
                + (last is null ? "" : Invariant($"; final training loss {last.TrainLoss:0.0000}, {last.ImagesPerSecond:#,0} images/s"))
                + ".</p>\n");

            AppendSection(html, "summary", "Network", $"<pre>{HeatMapSvg.Escape(content.Summary)}</pre>");
            AppendSection(html, "curves", "Training curves", Curves(content));
            AppendSection(html, "confusion", "Confusion matrix", ConfusionSection(content.Confusion));
            AppendSection(html, "filters", HeatMapSvg.Escape($"{content.Filters.Layer} filters"), FilterSection(content.Filters));
            AppendSection(html, "feature-maps", "Feature maps", FeatureMapSection(content));
            AppendSection(html, "misclassified", "Misclassified test digits", MisclassifiedSection(content));
            html.Append("</body>\n</html>\n");
            return html.ToString();
        }

        private static string Curves(ReportContent content)
        {
            if (content.History.Count == 0)
            {
                return "<p class=\"note\">No epochs were run.</p>";
            }

            var trainLoss = new ChartSeries("train loss", "#d6604d", content.History.Select(e => (double)e.TrainLoss).ToArray());
            var testLoss = new ChartSeries("test loss", "#2166ac", content.History.Select(e => (double)e.TestLoss).ToArray());
            var trainAccuracy = new ChartSeries("train accuracy", "#d6604d", content.History.Select(e => (double)e.TrainAccuracy).ToArray());
            var testAccuracy = new ChartSeries("test accuracy", "#2166ac", content.History.Select(e => (double)e.TestAccuracy).ToArray());
            var lowest = Math.Min(trainAccuracy.Values.Min(), testAccuracy.Values.Min());
            var accuracyFloor = Math.Clamp(Math.Floor(lowest * 20) / 20, 0, 0.95);
            var lossCeiling = Math.Max(0.5, Math.Ceiling(trainLoss.Values.Concat(testLoss.Values).Where(double.IsFinite).DefaultIfEmpty(0).Max() * 2) / 2);
            return "<div class=\"charts\">"
                + LineChart.Render("Loss (cross-entropy)", [trainLoss, testLoss], 0, lossCeiling, v => v.ToString("0.00", CultureInfo.InvariantCulture))
                + LineChart.Render("Accuracy", [trainAccuracy, testAccuracy], accuracyFloor, 1, v => v.ToString("0%", CultureInfo.InvariantCulture))
                + "</div>\n"
                + Table(content);
        }

        private static string Table(ReportContent content)
        {
            var rows = new StringBuilder("<table class=\"note\" cellpadding=\"4\"><tr><th>epoch</th><th>learning rate</th><th>train loss</th><th>train accuracy</th><th>test loss</th><th>test accuracy</th><th>images/s</th></tr>");
            foreach (var e in content.History)
            {
                rows.Append(Invariant($"<tr><td>{e.Epoch}</td><td>{e.LearningRate:0.#####}</td><td>{e.TrainLoss:0.0000}</td><td>{e.TrainAccuracy:0.00%}</td><td>{e.TestLoss:0.0000}</td><td>{e.TestAccuracy:0.00%}</td><td>{e.ImagesPerSecond:#,0}</td></tr>"));
            }

            return rows.Append("</table>").ToString();
        }

        private static string FilterSection(FilterSet filters)
        {
            var length = filters.Size * filters.Size;
            return Invariant($"<p class=\"note\">The {filters.Count} learned {filters.Size}×{filters.Size} kernels of the first layer; red is positive, blue negative, each scaled to its own largest magnitude.</p>")
                + Grid(Enumerable.Range(0, filters.Count).Select(f => Figure(
                    HeatMapSvg.Render(filters.Weights.AsSpan(f * length, length), filters.Size, filters.Size, FilterPixels / filters.Size, HeatMapScale.Diverging, $"{filters.Layer} filter {f}"),
                    $"#{f}")));
        }

        private static string ConfusionSection(int[,] confusion)
        {
            var classes = confusion.GetLength(0);
            var largestMiss = 0;
            for (var label = 0; label < classes; label++)
            {
                for (var predicted = 0; predicted < classes; predicted++)
                {
                    largestMiss = predicted == label ? largestMiss : Math.Max(largestMiss, confusion[label, predicted]);
                }
            }

            var table = new StringBuilder("<table class=\"confusion\"><tr><th>true \\ predicted</th>");
            for (var predicted = 0; predicted < classes; predicted++)
            {
                table.Append(Invariant($"<th>{predicted}</th>"));
            }

            table.Append("</tr>");
            for (var label = 0; label < classes; label++)
            {
                table.Append(Invariant($"<tr><th>{label}</th>"));
                for (var predicted = 0; predicted < classes; predicted++)
                {
                    var count = confusion[label, predicted];
                    table.Append(
                        predicted == label ? Invariant($"<td class=\"hit\">{count}</td>")
                        : count == 0 ? "<td class=\"zero\">·</td>"
                        : Invariant($"<td class=\"miss\" style=\"background: rgba(178, 24, 43, {0.08 + 0.42 * count / largestMiss:0.00})\">{count}</td>"));
                }

                table.Append("</tr>");
            }

            return "<p class=\"note\">The held-out test digits by true digit (rows) and prediction (columns), as the terminal shows them: "
                + "the diagonal counts the right answers; the redder a cell, the more often that mistake was made.</p>"
                + table.Append("</table>");
        }

        private static string FeatureMapSection(ReportContent content)
        {
            var html = new StringBuilder(Invariant($"<p class=\"note\">What the convolution layers see in one test digit (a {content.DigitLabel}, predicted {content.DigitPrediction}); each map is scaled to its own range, white is zero, and a blank map is a filter this digit does not excite (ReLU output zero everywhere).</p>"));
            html.Append(Grid([Figure(HeatMapSvg.Render(content.Digit, 28, 28, 4, HeatMapScale.Sequential, "input digit"), "input")]));
            foreach (var maps in content.Maps)
            {
                var length = maps.Height * maps.Width;
                var cell = Math.Max(2.5, MapPixels / maps.Width);
                html.Append(Invariant($"<h3>{HeatMapSvg.Escape(maps.Layer)}: {maps.Count} maps, {maps.Height}×{maps.Width}</h3>"));
                html.Append(Grid(Enumerable.Range(0, maps.Count).Select(m => Figure(
                    HeatMapSvg.Render(maps.Values.AsSpan(m * length, length), maps.Width, maps.Height, cell, HeatMapScale.Sequential, $"{maps.Layer} map {m}"), $"#{m}"))));
            }

            return html.ToString();
        }

        private static string MisclassifiedSection(ReportContent content)
        {
            if (content.MisclassifiedTotal == 0)
            {
                return "<p class=\"note\">Every test digit was classified correctly.</p>";
            }

            var shown = content.Misclassified.Count < content.MisclassifiedTotal
                ? $"the first {content.Misclassified.Count} of {content.MisclassifiedTotal}"
                : $"all {content.MisclassifiedTotal}";
            return $"<p class=\"note\">Showing {shown} test digits the network got wrong: <span class=\"wrong\">predicted</span> / true label.</p>"
                + Grid(content.Misclassified.Select(m => Figure(
                    HeatMapSvg.Render(m.Image, 28, 28, 2.5, HeatMapScale.Sequential, $"test digit {m.Index}: true {m.Label}, predicted {m.Predicted}"),
                    $"<span class=\"wrong\">{m.Predicted}</span> / {m.Label}")));
        }

        private static void AppendSection(StringBuilder html, string id, string heading, string body) =>
            html.Append($"<section id=\"{id}\">\n<h2>{heading}</h2>\n{body}\n</section>\n");

        private static string Grid(IEnumerable<string> figures) => "<div class=\"grid\">" + string.Concat(figures) + "</div>";

        private static string Figure(string svg, string caption) => $"<figure>{svg}<figcaption>{caption}</figcaption></figure>";

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
