using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// Concat along channels (features for flat inputs): a C×H×W sample's channels are consecutive planes, so each input
    /// is one contiguous slice of the output sample. Inputs whose producers write straight into their slice cost nothing,
    /// forward or backward (their gradients are the slices of ∂L/∂y); the others (the network input, a Flatten, a value
    /// another Concat holds) are copied in forward and get their slice of ∂L/∂y handed back in backward.
    /// </summary>
    internal sealed class ConcatEmitter : LayerEmitter
    {
        public static readonly ConcatEmitter Instance = new();

        public override LayerMembers Methods(LayerPlan lp)
        {
            var members = new LayerMembers();
            if (Copied(lp).Any())
            {
                members.Steps.Add("Forward");
            }

            if (lp.HasBackward && lp.InputGradients.Any(g => g.Transfers))
            {
                members.Steps.Add("Backward");
            }

            return members;
        }

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training)
        {
            if (Copied(lp).Any())
            {
                yield return new Step(lp.Member("Forward"), lp.Comment + ": copies " + string.Join(", ", Copied(lp).Select(k => lp.Layer.Inputs[k])) + " into their slices");
            }
        }

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits)
        {
            if (lp.InputGradients.Any(g => g.Transfers))
            {
                yield return new Step(lp.Member("Backward"), BackwardComment(lp));
            }
        }

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            if (Copied(lp).Any())
            {
                using (SampleMethod(w, lp.Member("Forward"), "Forward of " + lp.Comment + ": copies the inputs that could not write into their slices.", StepBody.KernelCalls))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    foreach (var k in Copied(lp))
                    {
                        w.Line(lp.Inputs[k].Sample() + ".CopyTo(" + SliceOf(lp, k).Sample() + "); // " + lp.Layer.Inputs[k]);
                    }
                }
            }

            if (!lp.HasBackward || !lp.InputGradients.Any(g => g.Transfers))
            {
                return;
            }

            using (SampleMethod(w, lp.Member("Backward"), "Backward of " + lp.Comment + ": hands each copied input its slice of ∂L/∂y (the others already hold theirs).", StepBody.KernelCalls))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                for (var k = 0; k < lp.InputGradients.Count; k++)
                {
                    var g = lp.InputGradients[k];
                    if (g.Transfers)
                    {
                        var slice = lp.OutputGradient.Slice(Offset(lp, k), lp.Inputs[k].Length);
                        w.Line((g.IsNetworkInput ? "if (_needInputGradient) " : string.Empty) + Transfer(slice.Sample(), g) + " // ∂L/∂" + g.Value);
                    }
                }
            }
        }

        /// <summary>The inputs copied in forward (their producers could not write into the slice).</summary>
        private static IEnumerable<int> Copied(LayerPlan lp) => Enumerable.Range(0, lp.WritesInPlace.Count).Where(k => !lp.WritesInPlace[k]);

        private static ValueView SliceOf(LayerPlan lp, int k) => lp.Output.Slice(Offset(lp, k), lp.Inputs[k].Length);

        /// <summary>Where input <paramref name="k"/> starts in an output sample.</summary>
        private static int Offset(LayerPlan lp, int k) => lp.Inputs.Take(k).Sum(v => v.Length);
    }
}
