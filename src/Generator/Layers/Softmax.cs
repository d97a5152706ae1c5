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

        public override void EmitForward(SourceWriter w, LayerPlan lp) =>
            w.Line(VectorOps + "Softmax(x, y" + Channels(lp) + ");");

        public override void EmitBackward(SourceWriter w, LayerPlan lp) =>
            w.Line(VectorOps + "SoftmaxBackward(dy, " + lp.Output.Sample() + ", dy" + Channels(lp) + ");");

        /// <summary>
        /// Nothing for a flat input or one pixel (the softmax of one contiguous vector); else the channel count, for the
        /// runtime's softmax over the channels of each pixel.
        /// </summary>
        private static string Channels(LayerPlan lp) =>
            lp.Shape.In.IsFlat || lp.Shape.In.Height * lp.Shape.In.Width == 1 ? string.Empty : ", channels: " + Literals.Int(lp.Shape.In.Channels);
    }
}
