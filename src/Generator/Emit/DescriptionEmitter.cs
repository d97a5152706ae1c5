using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// The network's structure as data for the runtime: a static <c>Description</c> (one <c>LayerDescription</c> per layer with
    /// its options, inputs, resolved padding and inferred output shape) and the <c>IDescribedNetwork</c> member returning it.
    /// ONNX export reads it, so the exported graph is exactly what the generator compiled.
    /// </summary>
    internal static class DescriptionEmitter
    {
        private const string Runtime = "global::ConvGen.";

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
                        w.Line(Describe(lp.Layer, lp.Shape) + ",");
                    }
                }
            }

            w.Line();
            w.Line(Runtime + "NetworkDescription " + Runtime + "IDescribedNetwork.Description => Description;");
            w.Line();
        }

        private static string Describe(LayerModel layer, LayerShape shape) => layer switch
        {
            Conv2DLayer conv => New("ConvDescription", layer, shape,
                ("Filters", Literals.Int(conv.Filters)),
                ("KernelHeight", Literals.Int(conv.KernelHeight)),
                ("KernelWidth", Literals.Int(conv.KernelWidth)),
                ("StrideHeight", Literals.Int(conv.StrideHeight)),
                ("StrideWidth", Literals.Int(conv.StrideWidth)),
                ("Padding", "new " + Runtime + "Padding2D(" + string.Join(", ", new[] { shape.Padding.Top, shape.Padding.Left, shape.Padding.Bottom, shape.Padding.Right }.Select(p => Literals.Int(p))) + ")"),
                ("Dilation", Literals.Int(conv.Dilation)),
                ("Groups", Literals.Int(conv.Groups)),
                ("Bias", Bool(conv.Bias)),
                ("Activation", Activation(conv.Activation))),
            BatchNorm2DLayer bn => New("BatchNormDescription", layer, shape, ("Epsilon", Literals.Float(bn.Epsilon)), ("Momentum", Literals.Float(bn.Momentum))),
            Pool2DLayer pool => New("PoolDescription", layer, shape,
                ("Function", Runtime + "PoolFunction." + (pool.Pool == PoolKind.Max ? "Max" : "Average")),
                ("Size", Literals.Int(pool.Size)),
                ("Stride", Literals.Int(pool.Stride)),
                ("Padding", Literals.Int(pool.Padding)),
                ("CeilMode", Bool(pool.CeilMode))),
            GlobalAvgPool2DLayer => New("GlobalAvgPoolDescription", layer, shape),
            FlattenLayer => New("FlattenDescription", layer, shape),
            DenseLayer dense => New("DenseDescription", layer, shape, ("Units", Literals.Int(dense.Units)), ("Bias", Bool(dense.Bias)), ("Activation", Activation(dense.Activation))),
            ActivationLayer { Function: ElementwiseKind.LeakyReLU } leaky => New("ActivationDescription", layer, shape,
                ("Function", Runtime + "ActivationFunction.LeakyReLU"), ("Slope", Literals.Float(leaky.Slope))),
            ActivationLayer activation => New("ActivationDescription", layer, shape, ("Function", Runtime + "ActivationFunction." + activation.Function)),
            SoftmaxLayer => New("ActivationDescription", layer, shape, ("Function", Runtime + "ActivationFunction.Softmax")),
            DropoutLayer dropout => New("DropoutDescription", layer, shape, ("Rate", Literals.Float(dropout.Rate))),
            AddLayer add => New("AddDescription", layer, shape, ("Activation", Activation(add.Activation))),
            ConcatLayer => New("ConcatDescription", layer, shape),
            _ => throw new System.InvalidOperationException("No description for layer kind " + layer.Kind),
        };

        /// <summary><c>new ConvDescription("conv1", new[] { "input" }, new[] { 20, 24, 24 }, Filters: 20, ...)</c>: every option named.</summary>
        private static string New(string type, LayerModel layer, LayerShape shape, params (string Name, string Value)[] options)
        {
            var output = shape.Out.IsFlat
                ? new[] { shape.Out.Channels }
                : new[] { shape.Out.Channels, shape.Out.Height, shape.Out.Width };
            var arguments = new List<string>
            {
                Literals.String(layer.Name),
                "new[] { " + string.Join(", ", layer.Inputs.Select(Literals.String)) + " }",
                "new[] { " + string.Join(", ", output.Select(d => Literals.Int(d))) + " }",
            };
            arguments.AddRange(options.Select(o => o.Name + ": " + o.Value));
            return "new " + Runtime + type + "(" + string.Join(", ", arguments) + ")";
        }

        private static string Bool(bool value) => value ? "true" : "false";

        private static string Activation(ActivationKind activation) => Runtime + "Activation." + activation;
    }
}
