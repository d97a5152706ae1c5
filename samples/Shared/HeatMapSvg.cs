using System;
using System.Globalization;
using System.Text;

namespace ConvGen.Samples
{
    /// <summary>Draws a grid of numbers (a kernel, an image, a feature map) as an inline SVG heat map.</summary>
    public static class HeatMapSvg
    {
        /// <summary>
        /// An <c>&lt;svg class="heatmap"&gt;</c> of <paramref name="width"/>×<paramref name="height"/> cells, each <paramref name="cellSize"/>
        /// pixels square, for <paramref name="values"/> in row-major order. The colour range is the values' own range: ±max |v| for
        /// <see cref="HeatMapScale.Diverging"/>, min..max for <see cref="HeatMapScale.Sequential"/>. Runs of equal colour in a row are
        /// drawn as one rectangle, which keeps mostly-empty images small. <paramref name="title"/>, when given, becomes a hover tooltip.
        /// </summary>
        public static string Render(ReadOnlySpan<float> values, int width, int height, double cellSize, HeatMapScale scale, string? title = null)
        {
            if (width <= 0 || height <= 0 || values.Length != width * height)
            {
                throw new ArgumentException($"A {width}×{height} heat map needs {width * height} values, not {values.Length}.", nameof(values));
            }

            var (low, high) = Range(values, scale);
            var svg = new StringBuilder();
            svg.Append(CultureInfo.InvariantCulture,
                $"<svg class=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width * cellSize:0.##}\" height=\"{height * cellSize:0.##}\" viewBox=\"0 0 {width} {height}\" shape-rendering=\"crispEdges\">");
            if (title is not null)
            {
                svg.Append("<title>").Append(Escape(title)).Append("</title>");
            }

            for (var y = 0; y < height; y++)
            {
                var x = 0;
                while (x < width)
                {
                    var colour = Colour(values[y * width + x], low, high, scale);
                    var run = 1;
                    while (x + run < width && Colour(values[y * width + x + run], low, high, scale) == colour)
                    {
                        run++;
                    }

                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{run}\" height=\"1\" fill=\"{colour}\"/>");
                    x += run;
                }
            }

            return svg.Append("</svg>").ToString();
        }

        /// <summary>Escapes text for HTML and SVG element content and attribute values.</summary>
        public static string Escape(string text) =>
            text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

        private static (float Low, float High) Range(ReadOnlySpan<float> values, HeatMapScale scale)
        {
            var min = float.PositiveInfinity;
            var max = float.NegativeInfinity;
            foreach (var v in values)
            {
                min = MathF.Min(min, v);
                max = MathF.Max(max, v);
            }

            if (scale == HeatMapScale.Diverging)
            {
                var extent = MathF.Max(MathF.Abs(min), MathF.Abs(max));
                return (-extent, extent);
            }

            return (min, max);
        }

        private static string Colour(float value, float low, float high, HeatMapScale scale)
        {
            var t = high > low ? Math.Clamp((value - low) / (high - low), 0f, 1f) : scale == HeatMapScale.Diverging ? 0.5f : 0f;
            if (scale == HeatMapScale.Sequential)
            {
                // White (0) to a dark blue-black (1).
                return Hex(Lerp(255, 16, t), Lerp(255, 20, t), Lerp(255, 48, t));
            }

            // Blue (0) through white (½) to red (1).
            return t < 0.5f
                ? Hex(Lerp(33, 255, t * 2), Lerp(102, 255, t * 2), Lerp(172, 255, t * 2))
                : Hex(Lerp(255, 178, t * 2 - 1), Lerp(255, 24, t * 2 - 1), Lerp(255, 43, t * 2 - 1));
        }

        private static int Lerp(int from, int to, float t) => (int)MathF.Round(from + (to - from) * t);

        private static string Hex(int r, int g, int b) => $"#{r:x2}{g:x2}{b:x2}";
    }
}
