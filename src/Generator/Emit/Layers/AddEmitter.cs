using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// Add: the element-wise sum of its inputs, then its activation (ResNet's ReLU after the sum); two inputs (the
    /// residual block's) take one pass, <c>VectorOps.AddActivate</c>, more add the rest in and activate after. Backward multiplies
    /// ∂L/∂y by the activation's derivative in place and hands the result to every input: one of them may share that
    /// memory (when the Add is its only reader), the others get it copied, or added to their other readers' contributions.
    /// An Add folded into the conv before it (<see cref="LayerPlan.FoldedAdd"/>) has no forward step when inferring, or
    /// none at all when that conv has no BatchNorm: that conv's epilogue adds the other input and applies the activation.
    /// </summary>
    internal sealed class AddEmitter : LayerEmitter
    {
        public static readonly AddEmitter Instance = new();

        public override LayerMembers Methods(LayerPlan lp)
        {
            var members = HasForward(lp) ? StepMembers("Forward") : StepMembers();
            if (lp.HasBackward && NeedsBackward(lp))
            {
                members.Steps.Add("Backward");
            }

            return members;
        }

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training)
        {
            if (!HasForward(lp) || (!training && lp.IsFolded))
            {
                yield break; // the conv it is folded into computes the sum (when inferring, or always without a BatchNorm)
            }

            yield return new Step(lp.Member("Forward"), lp.Comment, SampleSplit.Blocks(lp.OutLength, lp.Inputs.Count + 1));
        }

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits)
        {
            if (NeedsBackward(lp))
            {
                yield return new Step(lp.Member("Backward"), BackwardComment(lp), SampleSplit.Blocks(lp.OutLength, 2 + (2 * lp.InputGradients.Count(g => g.Transfers))));
            }
        }

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            var add = (AddLayer)lp.Layer;
            if (HasForward(lp))
            {
                var folded = lp.FoldedInto is { } conv ? " Training only: when inferring, " + conv.Layer.Name + " computes this sum in its epilogue." : string.Empty;
                using (BlockSampleMethod(w, lp.Member("Forward"), "Forward of " + lp.Comment + "." + folded, lp.OutLength, StepBody.KernelCalls))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line("var y = " + Part(lp.Output.Sample()) + ";");
                    var two = lp.Inputs.Count == 2;
                    w.Line(Kernels + ".VectorOps.AddActivate(" + Part(lp.Inputs[0].Sample()) + ", " + Part(lp.Inputs[1].Sample()) + ", y, "
                        + ActivationLiteral(two ? add.Activation : Activation.None) + ");");
                    foreach (var input in lp.Inputs.Skip(2))
                    {
                        w.Line(Kernels + ".VectorOps.Add(" + Part(input.Sample()) + ", y);");
                    }

                    if (!two && add.Activation != Activation.None)
                    {
                        w.Line(Kernels + ".VectorOps.Activate(y, y, " + ActivationLiteral(add.Activation) + ");");
                    }
                }
            }

            if (!lp.HasBackward || !NeedsBackward(lp))
            {
                return;
            }

            using (BlockSampleMethod(w, lp.Member("Backward"), "Backward of " + lp.Comment + ": ∂L/∂(each input) = ∂L/∂y" + (add.Activation == Activation.None ? "." : " ⊙ " + add.Activation + "′(y)."), lp.OutLength, StepBody.KernelCalls))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var dy = " + Part(lp.OutputGradient.Sample()) + ";");
                if (add.Activation != Activation.None)
                {
                    w.Line(Kernels + ".VectorOps.ActivationBackward(dy, " + Part(lp.Output.Sample()) + ", " + ActivationLiteral(add.Activation) + ");");
                }

                foreach (var g in lp.InputGradients)
                {
                    if (g.Flow == GradientFlow.InPlace)
                    {
                        w.Line("// ∂L/∂" + g.Value + " is dy itself: the Add is its only reader");
                    }
                    else if (g.Transfers)
                    {
                        w.Line((g.IsNetworkInput ? "if (_needInputGradient) " : string.Empty) + Transfer("dy", g, Part));
                    }
                }
            }
        }

        /// <summary>This part's floats [start, start + length) of one sample's span (<see cref="LayerEmitter.BlockSampleMethod"/>).</summary>
        private static string Part(string sample) => sample + ".Slice(start, length)";

        /// <summary>
        /// False for an Add folded into a conv without a BatchNorm: that conv writes the sum in training too, so the Add has
        /// no forward step at all.
        /// </summary>
        private static bool HasForward(LayerPlan lp) => lp.FoldedInto is not { FoldedBatchNorm: null };

        /// <summary>True when the backward step has work: an activation's derivative, or an input that does not share ∂L/∂y.</summary>
        private static bool NeedsBackward(LayerPlan lp) =>
            ((AddLayer)lp.Layer).Activation != Activation.None || lp.InputGradients.Any(g => g.Transfers);
    }
}
