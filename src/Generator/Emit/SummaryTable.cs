using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// A Keras-style fixed-width summary of a network: one row per layer (name, kind with its key options, output shape,
    /// parameters, multiply-adds, receptive field), then the totals. Lines are separated by '\n'; numbers use the
    /// invariant culture's thousands separators, so the text is the same on every machine.
    /// A graph gets Keras' "Connected to" column, filled for layers that do not simply read the previous one, and its
    /// branches drawn in the name column: "├ " where a branch starts, "│ " for each fork a layer lies inside.
    /// </summary>
    internal static class SummaryTable
    {
        private static readonly string[] Headers = { "Layer", "Kind", "Output", "Param #", "Mult-adds", "RF", "Connected to" };

        /// <summary>Columns whose cells are right-aligned (the numbers).</summary>
        private static readonly bool[] RightAligned = { false, false, false, true, true, false, false };

        /// <summary>The summary as plain text, for a <c>const string</c>.</summary>
        public static string Render(NetworkModel model, NetworkAnalysis analysis)
        {
            var columns = model.IsChain ? Headers.Length - 1 : Headers.Length;
            var positions = BranchStructure.Of(model);
            var rows = new List<string[]>();
            var previous = LayerModel.NetworkInput;
            for (var i = 0; i < model.Layers.Count; i++)
            {
                var layer = model.Layers[i];
                var name = Indent(positions[i]) + layer.Name;
                var connected = layer.Inputs.Count == 1 && layer.Input == previous ? string.Empty : string.Join(", ", layer.Inputs);
                previous = layer.Name;
                if (i < analysis.Layers.Count)
                {
                    var shape = analysis.Layers[i];
                    rows.Add(new[]
                    {
                        name, Describe(layer, shape), shape.Out.ToString(), Number(shape.Parameters), Number(shape.MultiplyAdds),
                        shape.ReceptiveFieldHeight.ToString(CultureInfo.InvariantCulture) + "×" + shape.ReceptiveFieldWidth.ToString(CultureInfo.InvariantCulture),
                        connected,
                    });
                }
                else
                {
                    rows.Add(new[] { name, layer.Kind, "?", "?", "?", "?", connected });
                }
            }

            var widths = new int[columns];
            for (var c = 0; c < columns; c++)
            {
                widths[c] = Headers[c].Length;
                foreach (var row in rows)
                {
                    widths[c] = Math.Max(widths[c], row[c].Length);
                }
            }

            var ruleLength = (columns - 1) * 2;
            foreach (var width in widths)
            {
                ruleLength += width;
            }

            var text = new StringBuilder();
            AppendRow(text, Headers, widths);
            text.Append('=', ruleLength).Append('\n');
            foreach (var row in rows)
            {
                AppendRow(text, row, widths);
            }

            text.Append('=', ruleLength).Append('\n');
            text.Append("Total parameters: ").Append(Number(analysis.TotalParameters)).Append('\n');
            text.Append("Total multiply-adds: ").Append(Number(analysis.TotalMultiplyAdds)).Append('\n');
            text.Append("Input: ").Append(model.Input);
            if (analysis.Layers.Count > 0 && analysis.Layers.Count == model.Layers.Count)
            {
                text.Append('\n').Append("Output: ").Append(analysis.Output);
            }

            return text.ToString();
        }

        /// <summary>
        /// The summary as XML documentation lines ("/// " prefixed, '\n' separated): a &lt;remarks&gt; holding the table
        /// in a &lt;code&gt; block, with &lt;, &gt; and &amp; escaped.
        /// </summary>
        public static string RenderXmlDoc(NetworkModel model, NetworkAnalysis analysis)
        {
            var text = new StringBuilder();
            text.Append("/// <remarks>\n/// <code>\n");
            foreach (var line in Render(model, analysis).Split('\n'))
            {
                text.Append(line.Length == 0 ? "///" : "/// " + EscapeXml(line)).Append('\n');
            }

            text.Append("/// </code>\n/// </remarks>");
            return text.ToString();
        }

        /// <summary>Escapes the characters XML text content cannot hold verbatim.</summary>
        public static string EscapeXml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        /// <summary>The layer's kind with its key options (the compact form of its kind's description), e.g. "Conv2D 5×5 /1 p2 ReLU" or "MaxPool2D 2×2 /2".</summary>
        public static string Describe(LayerModel layer, LayerShape shape)
        {
            var options = LayerKinds.Of(layer).Describe(layer, shape).Compact;
            return options.Length == 0 ? layer.Kind : layer.Kind + " " + options;
        }

        /// <summary>"│ " for each enclosing fork, the innermost drawn "├ " when the layer starts a branch of it.</summary>
        private static string Indent(BranchStructure.Position position)
        {
            var indent = new StringBuilder();
            for (var level = 1; level <= position.Depth; level++)
            {
                indent.Append(level == position.Depth && position.StartsBranch ? "├ " : "│ ");
            }

            return indent.ToString();
        }

        private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
        {
            var line = new StringBuilder();
            for (var c = 0; c < widths.Length; c++)
            {
                if (c > 0)
                {
                    line.Append("  ");
                }

                line.Append(RightAligned[c] ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        /// <summary>"1,256,080".</summary>
        public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
