using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Layers;

namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// The network's structure as data for the runtime: a static <c>Description</c> (one <c>LayerDescription</c> per layer with
    /// its options, inputs, resolved padding and inferred output shape, as its kind's <see cref="LayerKind.Runtime"/> gives them)
    /// and the <c>IDescribedNetwork</c> member returning it. ONNX export reads it, so the exported graph is exactly what the generator compiled.
    /// </summary>
    internal static class DescriptionEmitter
    {
        private const string Runtime = RuntimeText.Namespace;

        public static void Emit(SourceWriter w, NetworkPlan plan)
        {
            var input = plan.Model.Input;
            w.Line("/// <summary>The layers as data: kind, options, inputs and output shape of each, as worked out at build time (ONNX export writes it).</summary>");
            w.Line("public static " + Runtime + "NetworkDescription Description { get; } = new " + Runtime + "NetworkDescription(");
            using (w.Indent())
            {
                w.Line(Literals.Int(input.Channels) + ", " + Literals.Int(input.Height) + ", " + Literals.Int(input.Width) + ",");
                using (w.Block("new " + Runtime + "LayerDescription[]", "});"))
                {
                    foreach (var lp in plan.Layers)
                    {
                        w.Line(Describe(lp) + ",");
                    }
                }
            }

            w.Line();
            w.Line(Runtime + "NetworkDescription " + Runtime + "IDescribedNetwork.Description => Description;");
            w.Line();
        }

        /// <summary><c>new ConvDescription("conv1", new[] { "input" }, new[] { 20, 24, 24 }, Filters: 20, ...)</c>: every option named.</summary>
        private static string Describe(LayerPlan lp)
        {
            var description = lp.Kind.Runtime(lp.Layer, lp.Shape);
            var output = lp.Shape.Out.IsFlat
                ? new[] { lp.Shape.Out.Channels }
                : new[] { lp.Shape.Out.Channels, lp.Shape.Out.Height, lp.Shape.Out.Width };
            var arguments = new List<string>
            {
                Literals.String(lp.Layer.Name),
                "new[] { " + string.Join(", ", lp.Layer.Inputs.Select(Literals.String)) + " }",
                "new[] { " + string.Join(", ", output.Select(d => Literals.Int(d))) + " }",
            };
            arguments.AddRange(description.Options.Select(o => o.Name + ": " + o.Value));
            return "new " + Runtime + description.Type + "(" + string.Join(", ", arguments) + ")";
        }
    }
}
