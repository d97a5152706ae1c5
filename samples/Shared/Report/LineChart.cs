using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen.Samples.Digits
{
    /// <summary>Draws per-epoch curves as an inline SVG line chart with axes, grid lines and a legend.</summary>
    public static class LineChart
    {
        private const double Width = 560;
        private const double Height = 300;
        private const double Left = 60;
        private const double Right = 20;
        private const double Top = 36;
        private const double Bottom = 44;

        /// <summary>
        /// A chart of <paramref name="series"/> against the epoch number, with the y axis running from <paramref name="yMin"/> to
        /// <paramref name="yMax"/> and its tick labels written by <paramref name="formatTick"/>.
        /// </summary>
        public static string Render(string title, IReadOnlyList<ChartSeries> series, double yMin, double yMax, Func<double, string> formatTick)
        {
            var epochs = series.Max(s => s.Values.Count);
            var plotWidth = Width - Left - Right;
            var plotHeight = Height - Top - Bottom;
            double X(int epoch) => Left + (epochs == 1 ? plotWidth / 2 : plotWidth * (epoch - 1) / (epochs - 1));
            double Y(double value) => Top + plotHeight * (1 - (Math.Clamp(value, yMin, yMax) - yMin) / (yMax - yMin));

            var svg = new StringBuilder();
            Append(svg, $"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">");
            Append(svg, $"<text x=\"{Left}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{HeatMapSvg.Escape(title)}</text>");
            const int ticks = 5;
            for (var i = 0; i <= ticks; i++)
            {
                var value = yMin + (yMax - yMin) * i / ticks;
                var y = Y(value);
                Append(svg, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>");
                Append(svg, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" fill=\"#444\">{HeatMapSvg.Escape(formatTick(value))}</text>");
            }

            var labelEvery = Math.Max(1, (int)Math.Ceiling(epochs / 12.0));
            for (var epoch = 1; epoch <= epochs; epoch += labelEvery)
            {
                Append(svg, $"<text x=\"{X(epoch):0.#}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\" fill=\"#444\">{epoch}</text>");
            }

            Append(svg, $"<text x=\"{Left + plotWidth / 2:0.#}\" y=\"{Height - 8}\" text-anchor=\"middle\" fill=\"#444\">epoch</text>");
            Append(svg, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#888\"/>");
            for (var s = 0; s < series.Count; s++)
            {
                var line = series[s];
                var points = string.Join(" ", line.Values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i + 1):0.#},{Y(v):0.#}")));
                Append(svg, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{line.Colour}\" stroke-width=\"2\"/>");
                for (var i = 0; i < line.Values.Count; i++)
                {
                    Append(svg, $"<circle cx=\"{X(i + 1):0.#}\" cy=\"{Y(line.Values[i]):0.#}\" r=\"3\" fill=\"{line.Colour}\"><title>{HeatMapSvg.Escape($"{line.Name}, epoch {i + 1}: {formatTick(line.Values[i])}")}</title></circle>");
                }

                var legendX = Width - Right - 130 * (series.Count - s);
                const double legendY = 20;
                Append(svg, $"<line x1=\"{legendX}\" y1=\"{legendY - 4}\" x2=\"{legendX + 20}\" y2=\"{legendY - 4}\" stroke=\"{line.Colour}\" stroke-width=\"3\"/>");
                Append(svg, $"<text x=\"{legendX + 26}\" y=\"{legendY}\">{HeatMapSvg.Escape(line.Name)}</text>");
            }

            return svg.Append("</svg>").ToString();
        }

        private static void Append(StringBuilder svg, FormattableString text) => svg.Append(text.ToString(CultureInfo.InvariantCulture));
    }
}
