using System.Linq;

namespace ConvGen.Generator.Emit.Network
{
    /// <summary>The network's constants: its public sizes and layer table, then where each tensor starts in the flat storage.</summary>
    internal static class LayoutEmitter
    {
        public static void Emit(SourceWriter w, NetworkPlan plan)
        {
            var input = plan.Model.Input;
            Constant(w, "InputChannels", input.Channels, "Channels of the input.");
            Constant(w, "InputHeight", input.Height, "Height of the input.");
            Constant(w, "InputWidth", input.Width, "Width of the input.");
            Constant(w, "InputLength", plan.InputLength, "Floats in one input sample (C·H·W).");
            Constant(w, "OutputLength", plan.OutputLength, "Floats in one output sample.");
            Constant(w, "ParameterCount", plan.ParameterLength, "Trainable parameters (weights and biases).");
            Constant(w, "BufferLength", plan.BufferLength, "Floats of non-trainable state (BatchNorm running statistics).");
            w.Line("/// <summary>The layer table: shapes, parameters, multiply-adds and receptive fields, worked out at build time.</summary>");
            w.Line("public const string Summary = " + Literals.String(SummaryTable.Render(plan.Model, plan.Analysis)) + ";");
            w.Line();
            if (plan.Parameters.Count + plan.Buffers.Count > 0)
            {
                w.Line("// Where each tensor starts in the flat storage (PyTorch order and layout).");
            }

            foreach (var tensor in plan.Parameters.Concat(plan.Buffers))
            {
                w.Line("private const int " + tensor.Constant + " = " + Literals.Int(tensor.Offset) + "; // " + tensor.Name + " [" + string.Join(", ", tensor.Shape.Select(d => Literals.Int(d))) + "]");
            }

            var convs = plan.Layers.Where(l => l.LocalGradientOffset >= 0).ToList();
            if (convs.Count > 0)
            {
                w.Line();
                w.Line("// Where each conv's weight (then bias) gradients start in a worker's private sums.");
                foreach (var lp in convs)
                {
                    w.Line("private const int " + lp.Member("LocalGradients") + " = " + Literals.Int(lp.LocalGradientOffset) + "; // " + lp.Layer.Name);
                }
            }

            w.Line();
        }

        private static void Constant(SourceWriter w, string name, long value, string summary)
        {
            w.Line("/// <summary>" + summary + "</summary>");
            w.Line("public const int " + name + " = " + Literals.Int(value) + ";");
        }
    }
}
