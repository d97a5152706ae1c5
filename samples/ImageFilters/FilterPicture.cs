using System;
using System.Globalization;
using System.Text;

namespace ConvGen.Samples.Filters
{
    /// <summary>A self-contained HTML page showing a digit and what each classic kernel makes of it, as inline SVG heat maps.</summary>
    public static class FilterPicture
    {
        /// <summary>
        /// The page for <paramref name="digit"/> (28×28, label <paramref name="label"/>) and <paramref name="filtered"/>
        /// (one 28×28 map per <see cref="ClassicKernel.All"/> kernel, one after another).
        /// </summary>
        public static string Render(ReadOnlySpan<float> digit, int label, ReadOnlySpan<float> filtered)
        {
            var html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>Classic image filters as a ConvGen network</title>
                <style>
                body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; padding: 0 1rem; }
                .grid { display: flex; flex-wrap: wrap; gap: 18px; }
                figure { margin: 0; text-align: center; font-size: 13px; }
                figure svg { display: block; border: 1px solid #ccc; margin-bottom: 4px; }
                .note { color: #555; font-size: 14px; }
                </style>
                </head>
                <body>
                <h1>Classic image filters as a ConvGen network</h1>
                <p class="note">One generated 3×3 convolution (<code>FilterBank</code>, no bias, zero padding) with its nine output channels set to fixed kernels,
                applied to an MNIST digit. The input is drawn white→black; the outputs red for positive, blue for negative, white for zero, each scaled to its own range.</p>

                """);
            html.Append("<div class=\"grid\">");
            html.Append(Figure(HeatMapSvg.Render(digit, 28, 28, 6, HeatMapScale.Sequential, "input digit"), string.Create(CultureInfo.InvariantCulture, $"Input (a {label})"), null));
            for (var k = 0; k < ClassicKernel.All.Length; k++)
            {
                var kernel = ClassicKernel.All[k];
                html.Append(Figure(
                    HeatMapSvg.Render(filtered.Slice(k * 784, 784), 28, 28, 6, HeatMapScale.Diverging, kernel.Name),
                    kernel.Name,
                    HeatMapSvg.Render(kernel.Weights, 3, 3, 14, HeatMapScale.Diverging, kernel.Name + " kernel")));
            }

            return html.Append("</div>\n</body>\n</html>\n").ToString();
        }

        private static string Figure(string image, string caption, string? kernel) =>
            $"<figure>{image}<figcaption>{HeatMapSvg.Escape(caption)}</figcaption>{(kernel is null ? "" : "<div style=\"display:inline-block;margin-top:4px\">" + kernel + "</div>")}</figure>";
    }
}
