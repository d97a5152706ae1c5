using System.Collections.Generic;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// Layers that act on each sample independently without parameters (<see cref="ElementwiseKind{TLayer}"/>: activations,
    /// Softmax, Dropout): the per-sample loops around the bodies their kinds write. Their backward passes work in place on ∂L/∂y; when their input has other readers too, a second step then hands the
    /// result to ∂L/∂x (copied, or added to the other readers' contributions).
    /// </summary>
    internal sealed class ElementwiseEmitter : LayerEmitter
    {
        public static readonly ElementwiseEmitter Instance = new();

        /// <summary>The loop bodies: every kind this emitter writes is an <see cref="IElementwiseKind"/>.</summary>
        private static IElementwiseKind Body(LayerPlan lp) => (IElementwiseKind)lp.Kind;

        public override LayerMembers Methods(LayerPlan lp)
        {
            var members = StepMembers("Forward");
            if (lp.Layer is DropoutLayer)
            {
                members.Steps.Add("Copy");
            }

            if (lp.HasBackward)
            {
                members.Steps.Add("Backward");
                if (lp.InputGradients[0].Transfers)
                {
                    members.Steps.Add("Pass");
                }
            }

            return members;
        }

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training)
        {
            if (!training && lp.IsFolded)
            {
                yield break; // the conv before the folded BatchNorm applies this activation when inferring
            }

            yield return new Step(lp.Member(lp.Layer is DropoutLayer && !training ? "Copy" : "Forward"), lp.Comment, SplitsForward(lp) ? SampleSplit.Blocks(lp.OutLength, 2) : null);
        }

        /// <summary>
        /// A standalone activation maps each element on its own (its body reads only the spans <c>x</c> and <c>y</c>), so its
        /// forward splits each sample into blocks; Softmax reads a whole vector and Dropout's mask is indexed by element.
        /// </summary>
        private static bool SplitsForward(LayerPlan lp) => lp.Kind is ActivationLayerKind;

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits)
        {
            var dx = lp.InputGradients[0];
            if (!(lp.Layer is SoftmaxLayer && fromLogits))
            {
                yield return new Step(lp.Member("Backward"), lp.Layer.Name + " backward: ∂L/∂" + dx.Value + " from ∂L/∂" + lp.Layer.Name + ", in place");
            }

            if (dx.Transfers)
            {
                yield return new Step(lp.Member("Pass"), BackwardComment(lp));
            }
        }

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            var forward = "Forward of " + lp.Comment + ".";
            using (SplitsForward(lp) ? BlockSampleMethod(w, lp.Member("Forward"), forward, lp.OutLength) : SampleMethod(w, lp.Member("Forward"), forward))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                var part = SplitsForward(lp) ? ".Slice(start, length)" : string.Empty;
                w.Line("var x = " + lp.Input.Sample() + part + ";");
                w.Line("var y = " + lp.Output.Sample() + part + ";");
                Body(lp).EmitForward(w, lp);
            }

            if (lp.Layer is DropoutLayer)
            {
                using (SampleMethod(w, lp.Member("Copy"), "Inference pass of " + lp.Comment + ": the identity."))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line(lp.Input.Sample() + ".CopyTo(" + lp.Output.Sample() + ");");
                }
            }

            if (!lp.HasBackward)
            {
                return;
            }

            var dx = lp.InputGradients[0];
            using (SampleMethod(w, lp.Member("Backward"), "Backward of " + lp.Comment + ": ∂L/∂x from ∂L/∂y, in place" + (dx.Transfers ? " (" + lp.Member("Pass") + " then hands it to ∂L/∂" + dx.Value + ")." : ".")))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var dy = " + lp.OutputGradient.Sample() + ";");
                Body(lp).EmitBackward(w, lp);
            }

            if (dx.Transfers)
            {
                using (SampleMethod(w, lp.Member("Pass"), lp.Layer.Name + ": " + (dx.Accumulates ? "adds" : "copies") + " ∂L/∂x to ∂L/∂" + dx.Value + ", which other layers read too."))
                using (InputGradientGuard(w, dx))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line(Transfer(lp.OutputGradient.Sample(), dx));
                }
            }
        }
    }
}
