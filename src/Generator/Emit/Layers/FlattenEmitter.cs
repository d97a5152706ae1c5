using System.Collections.Generic;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// Flatten: C,H,W order is already the memory order, so it reads and writes its input's activations and emits no
    /// forward code. Backward shares its input's gradient too, unless the input has other readers: then one step hands
    /// ∂L/∂y to ∂L/∂x.
    /// </summary>
    internal sealed class FlattenEmitter : LayerEmitter
    {
        public static readonly FlattenEmitter Instance = new();

        public override LayerMembers Methods(LayerPlan lp) =>
            lp.HasBackward && lp.InputGradients[0].Transfers ? StepMembers("Backward") : new LayerMembers();

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training) => System.Array.Empty<Step>();

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits)
        {
            if (lp.InputGradients[0].Transfers)
            {
                yield return new Step(lp.Member("Backward"), BackwardComment(lp));
            }
        }

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            if (!lp.HasBackward || !lp.InputGradients[0].Transfers)
            {
                return;
            }

            var dx = lp.InputGradients[0];
            using (SampleMethod(w, lp.Member("Backward"), "Backward of " + lp.Comment + ": " + (dx.Accumulates ? "adds" : "copies") + " ∂L/∂y to ∂L/∂" + dx.Value + ", which other layers read too.", StepBody.KernelCalls))
            using (InputGradientGuard(w, dx))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line(Transfer(lp.OutputGradient.Sample(), dx));
            }
        }
    }
}
