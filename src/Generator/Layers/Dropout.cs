using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Emit.Code;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary>
    /// <c>[Dropout(rate)]</c>: in training, each element kept with probability 1 − rate and scaled by 1/(1 − rate), the mask a
    /// counter-based hash of (seed, pass, layer, element); the identity at inference.
    /// </summary>
    internal sealed class DropoutKind : ElementwiseKind<DropoutLayer>
    {
        public static readonly DropoutKind Instance = new();

        private DropoutKind()
            : base(nameof(DropoutAttribute))
        {
        }

        public override LayerModel Read(AttributeArguments a) =>
            new DropoutLayer(a.Name, a.Inputs, a.Expect, a.Constructor(nameof(DropoutAttribute.Rate), new DropoutAttribute().Rate));

        protected override LayerShape? InferShape(DropoutLayer dropout, ShapeContext c)
        {
            if (!(dropout.Rate >= 0f && dropout.Rate < 1f))
            {
                c.Report(DiagnosticCatalog.DropoutRateOutOfRange, nameof(DropoutAttribute.Rate), dropout.Name, dropout.Rate);
                return null;
            }

            return c.Passthrough(c.Input);
        }

        protected override void Store(DropoutLayer dropout, LayerMembers members) => members.Fields.Add("Mask");

        protected override void Options(DropoutLayer dropout, LayerShape shape, LayerOptions options) => options.Add("rate " + OptionText.Float(dropout.Rate), OptionText.Float(dropout.Rate));

        protected override RuntimeLayer RuntimeOf(DropoutLayer dropout, LayerShape shape) => new("DropoutDescription", (nameof(dropout.Rate), Literals.Float(dropout.Rate)));

        public override void EmitForward(SourceWriter w, LayerPlan lp)
        {
            var rate = ((DropoutLayer)lp.Layer).Rate;
            var keep = 1f - rate;
            w.Line("// keep each element with probability " + OptionText.Float(keep) + " and scale it by 1/" + OptionText.Float(keep)
                + "; the mask is a hash of (seed, pass, layer, element), the same whatever the thread count");
            w.Line("var mask = " + ValueView.Whole(lp.Field("Mask"), lp.OutLength).Sample() + ";");
            using (Loop.For(w, "i", lp.OutLength, out var i))
            {
                w.Line("var u = " + LayerEmitter.Kernels + ".CounterRandom.Uniform((ulong)_seed, _pass, ((ulong)" + Literals.Int(lp.Index) + " << 40) + (ulong)(" + (Expr.Name("n") * lp.OutLength + i) + "));");
                w.Line("mask[" + i + "] = u < " + Literals.Float(rate) + " ? 0f : " + Literals.Float(1f / keep) + ";");
                w.Line("y[" + i + "] = x[" + i + "] * mask[" + i + "];");
            }
        }

        public override void EmitBackward(SourceWriter w, LayerPlan lp)
        {
            w.Line("var mask = " + ValueView.Whole(lp.Field("Mask"), lp.OutLength).Sample() + ";");
            using (Loop.For(w, "i", lp.OutLength, out var i))
            {
                w.Line("dy[" + i + "] *= mask[" + i + "];");
            }
        }
    }
}
