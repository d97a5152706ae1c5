using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary><c>[LeakyReLU(slope)]</c>: x for x &gt; 0, slope·x otherwise (PyTorch's <c>nn.LeakyReLU</c>); the backward reads the input.</summary>
    internal sealed class LeakyReLUKind : ActivationLayerKind
    {
        public static readonly LeakyReLUKind Instance = new();

        private LeakyReLUKind()
            : base(nameof(LeakyReLUAttribute))
        {
        }

        public override LayerModel Read(AttributeArguments a) =>
            new ActivationLayer(a.Name, a.Inputs, a.Expect, Name, a.Constructor(nameof(LeakyReLUAttribute.Slope), new LeakyReLUAttribute().Slope));

        protected override LayerShape? InferShape(ActivationLayer leaky, ShapeContext c) =>
            c.Number(leaky, nameof(LeakyReLUAttribute.Slope), leaky.Slope, !float.IsNaN(leaky.Slope) && !float.IsInfinity(leaky.Slope), "it must be a finite number")
                ? c.Passthrough(c.Input)
                : null;

        protected override void Options(ActivationLayer leaky, LayerShape shape, LayerOptions options) =>
            options.Add("slope " + OptionText.Float(leaky.Slope), OptionText.Float(leaky.Slope));

        protected override RuntimeLayer RuntimeOf(ActivationLayer leaky, LayerShape shape) =>
            new("ActivationDescription", Function, (nameof(leaky.Slope), Literals.Float(leaky.Slope)));

        public override void EmitForward(SourceWriter w, LayerPlan lp) =>
            w.Line(VectorOps + "LeakyReLU(x, y, " + Literals.Float(((ActivationLayer)lp.Layer).Slope) + ");");

        public override void EmitBackward(SourceWriter w, LayerPlan lp) =>
            w.Line(VectorOps + "LeakyReLUBackward(dy, " + lp.Input.Sample() + ", dy, " + Literals.Float(((ActivationLayer)lp.Layer).Slope) + ");");
    }
}
