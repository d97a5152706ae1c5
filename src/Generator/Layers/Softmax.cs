using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary>
    /// <c>[Softmax]</c>: over the features of a flat input, or over the channels at each pixel of a spatial one (elements a
    /// plane apart). A network that ends in it trains from the logits: the loss gives ∂L/∂logits, so its backward is skipped.
    /// </summary>
    internal sealed class SoftmaxKind : ElementwiseKind<SoftmaxLayer>
    {
        public static readonly SoftmaxKind Instance = new();

        private SoftmaxKind()
            : base(nameof(SoftmaxAttribute))
        {
        }

        public override LayerModel Read(AttributeArguments a) => new SoftmaxLayer(a.Name, a.Inputs, a.Expect);

        protected override RuntimeLayer RuntimeOf(SoftmaxLayer layer, LayerShape shape) =>
            new("ActivationDescription", ("Function", RuntimeText.Namespace + "ActivationFunction.Softmax"));

        public override void EmitForward(SourceWriter w, LayerPlan lp)
        {
            if (IsVector(lp))
            {
                w.Line(VectorOps + "Softmax(x, y);");
                return;
            }

            var (channels, plane) = (lp.Shape.In.Channels, lp.Shape.In.Height * lp.Shape.In.Width);
            using (w.Block("for (var p = 0; p < " + Literals.Int(plane) + "; p++)"))
            {
                w.Line("var max = float.NegativeInfinity;");
                w.Line(ChannelLoop(channels) + "max = global::System.MathF.Max(max, " + At("x", plane) + ");");
                w.Line("var sum = 0f;");
                using (w.Block(ChannelLoop(channels).TrimEnd()))
                {
                    w.Line("var e = global::System.MathF.Exp(" + At("x", plane) + " - max);");
                    w.Line(At("y", plane) + " = e;");
                    w.Line("sum += e;");
                }

                w.Line(ChannelLoop(channels) + At("y", plane) + " /= sum;");
            }
        }

        public override void EmitBackward(SourceWriter w, LayerPlan lp)
        {
            if (IsVector(lp))
            {
                w.Line(VectorOps + "SoftmaxBackward(dy, " + lp.Output.Sample() + ", dy);");
                return;
            }

            var (channels, plane) = (lp.Shape.In.Channels, lp.Shape.In.Height * lp.Shape.In.Width);
            w.Line("var y = " + lp.Output.Sample() + ";");
            using (w.Block("for (var p = 0; p < " + Literals.Int(plane) + "; p++)"))
            {
                w.Line("var dot = 0f;");
                w.Line(ChannelLoop(channels) + "dot += " + At("dy", plane) + " * " + At("y", plane) + ";");
                w.Line(ChannelLoop(channels) + At("dy", plane) + " = " + At("y", plane) + " * (" + At("dy", plane) + " - dot);");
            }
        }

        /// <summary>A flat input, or one pixel: the softmax of one contiguous vector.</summary>
        private static bool IsVector(LayerPlan lp) => lp.Shape.In.IsFlat || lp.Shape.In.Height * lp.Shape.In.Width == 1;

        private static string ChannelLoop(int channels) => "for (var c = 0; c < " + Literals.Int(channels) + "; c++) ";

        /// <summary>Channel c of pixel p: <c>x[(c * plane) + p]</c>.</summary>
        private static string At(string span, int plane) => span + "[(c * " + Literals.Int(plane) + ") + p]";
    }
}
