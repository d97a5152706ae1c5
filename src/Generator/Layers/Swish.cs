using ConvGen.Generator.Emit;

namespace ConvGen.Generator.Layers
{
    /// <summary>
    /// <c>[Swish]</c>: x·σ(x), element-wise (PyTorch's <c>nn.SiLU</c>). Its derivative σ(x)(1 + x(1 − σ(x))) needs the
    /// input, so the backward reads it (the output does not determine it); there is no fused <c>Activation.Swish</c> for that reason.
    /// </summary>
    internal sealed class SwishKind : ActivationLayerKind
    {
        public static readonly SwishKind Instance = new();

        private SwishKind()
            : base(nameof(SwishAttribute))
        {
        }

        public override void EmitForward(SourceWriter w, LayerPlan lp) => w.Line(VectorOps + "Swish(x, y);");

        public override void EmitBackward(SourceWriter w, LayerPlan lp) => w.Line(VectorOps + "SwishBackward(dy, " + lp.Input.Sample() + ", dy);");
    }
}
