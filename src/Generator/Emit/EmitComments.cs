using System.Linq;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>The one-line description of a layer that heads its generated code: kind, options (the long form of its kind's description), shapes.</summary>
    internal static class EmitComments
    {
        /// <summary>"conv1: Conv2D 1→20, 5×5, stride 1, pad 2, ReLU: 1×28×28 → 20×28×28"; a merge lists what it reads.</summary>
        /// <param name="previous">The name of the layer declared before this one, or null for the first.</param>
        public static string Heading(LayerPlan lp, string? previous)
        {
            var layer = lp.Layer;
            var options = lp.Kind.Describe(layer, lp.Shape).Long;
            if (lp.Kind.IsMerge)
            {
                var inputs = layer.Inputs.Select((name, k) => name + " " + lp.InputShapes[k]);
                return layer.Name + ": " + layer.Kind + " of " + string.Join(", ", inputs) + (options.Length > 0 ? ", " + options : string.Empty) + " → " + lp.Shape.Out;
            }

            var reads = layer.Input == (previous ?? LayerModel.NetworkInput) ? string.Empty : " (reads " + layer.Input + ")";
            return layer.Name + ": " + layer.Kind + (options.Length > 0 ? " " + options : string.Empty) + reads + ": " + lp.Shape.In + " → " + lp.Shape.Out;
        }
    }
}
