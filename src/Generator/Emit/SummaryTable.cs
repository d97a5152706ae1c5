using ConvGen.Generator.Analysis;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>Placeholder until the full table lands.</summary>
    internal static class SummaryTable
    {
        public static string Render(NetworkModel model, NetworkAnalysis analysis)
        {
            var text = new System.Text.StringBuilder();
            for (var i = 0; i < model.Layers.Count; i++)
            {
                text.Append(model.Layers[i].Name).Append(' ').Append(analysis.Layers[i].Out).Append(' ').Append(analysis.Layers[i].Parameters).Append('\n');
            }

            return text.Append("Total parameters: ").Append(analysis.TotalParameters).ToString();
        }
    }
}
