using System.Collections.Generic;
using ConvGen.Generator.Emit.Code;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// Layers that act on each sample independently without parameters: ReLU, LeakyReLU, Tanh, Sigmoid, Softmax, Dropout.
    /// Their backward passes work in place on ∂L/∂y; when their input has other readers too, a second step then hands the
    /// result to ∂L/∂x (copied, or added to the other readers' contributions).
    /// </summary>
    internal sealed class ElementwiseEmitter : LayerEmitter
    {
        public static readonly ElementwiseEmitter Instance = new();

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
            yield return new Step(lp.Member(lp.Layer is DropoutLayer && !training ? "Copy" : "Forward"), lp.Comment);
        }

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
            using (SampleMethod(w, lp.Member("Forward"), "Forward of " + lp.Comment + "."))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var x = " + lp.Input.Sample() + ";");
                w.Line("var y = " + lp.Output.Sample() + ";");
                EmitForwardBody(w, lp);
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
                EmitBackwardBody(w, lp);
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

        private static void EmitForwardBody(SourceWriter w, LayerPlan lp)
        {
            switch (lp.Layer)
            {
                case ActivationLayer { Function: ElementwiseKind.LeakyReLU } leaky:
                    w.Line(Kernels + ".VectorOps.LeakyReLU(x, y, " + Literals.Float(leaky.Slope) + ");");
                    break;
                case ActivationLayer activation:
                    w.Line(Kernels + ".VectorOps.Activate(x, y, global::ConvGen.Activation." + activation.Function + ");");
                    break;
                case SoftmaxLayer when lp.Shape.In.IsFlat || lp.Shape.In.Height * lp.Shape.In.Width == 1:
                    w.Line(Kernels + ".VectorOps.Softmax(x, y);");
                    break;
                case SoftmaxLayer:
                    EmitChannelSoftmax(w, lp, backward: false);
                    break;
                case DropoutLayer dropout:
                    var keep = 1f - dropout.Rate;
                    w.Line("// keep each element with probability " + Literals.Float(keep).TrimEnd('f') + " and scale it by 1/" + Literals.Float(keep).TrimEnd('f')
                        + "; the mask is a hash of (seed, pass, layer, element), the same whatever the thread count");
                    w.Line("var mask = " + ValueView.Whole(lp.Field("Mask"), lp.OutLength).Sample() + ";");
                    using (Loop.For(w, "i", lp.OutLength, out var i))
                    {
                        w.Line("var u = " + Kernels + ".CounterRandom.Uniform((ulong)_seed, _pass, ((ulong)" + I(lp.Index) + " << 40) + (ulong)(" + (Expr.Name("n") * lp.OutLength + i) + "));");
                        w.Line("mask[" + i + "] = u < " + Literals.Float(dropout.Rate) + " ? 0f : " + Literals.Float(1f / keep) + ";");
                        w.Line("y[" + i + "] = x[" + i + "] * mask[" + i + "];");
                    }

                    break;
            }
        }

        private static void EmitBackwardBody(SourceWriter w, LayerPlan lp)
        {
            switch (lp.Layer)
            {
                case ActivationLayer { Function: ElementwiseKind.LeakyReLU } leaky:
                    w.Line(Kernels + ".VectorOps.LeakyReLUBackward(dy, " + lp.Input.Sample() + ", dy, " + Literals.Float(leaky.Slope) + ");");
                    break;
                case ActivationLayer activation:
                    w.Line(Kernels + ".VectorOps.ActivationBackward(dy, " + lp.Output.Sample() + ", global::ConvGen.Activation." + activation.Function + ");");
                    break;
                case SoftmaxLayer when lp.Shape.In.IsFlat || lp.Shape.In.Height * lp.Shape.In.Width == 1:
                    w.Line(Kernels + ".VectorOps.SoftmaxBackward(dy, " + lp.Output.Sample() + ", dy);");
                    break;
                case SoftmaxLayer:
                    w.Line("var y = " + lp.Output.Sample() + ";");
                    EmitChannelSoftmax(w, lp, backward: true);
                    break;
                case DropoutLayer:
                    w.Line("var mask = " + ValueView.Whole(lp.Field("Mask"), lp.OutLength).Sample() + ";");
                    using (Loop.For(w, "i", lp.OutLength, out var i))
                    {
                        w.Line("dy[" + i + "] *= mask[" + i + "];");
                    }

                    break;
            }
        }

        /// <summary>Softmax over the channels of each pixel of a C×H×W input (elements a plane apart).</summary>
        private static void EmitChannelSoftmax(SourceWriter w, LayerPlan lp, bool backward)
        {
            var channels = lp.Shape.In.Channels;
            var plane = lp.Shape.In.Height * lp.Shape.In.Width;
            using (w.Block("for (var p = 0; p < " + I(plane) + "; p++)"))
            {
                if (backward)
                {
                    w.Line("var dot = 0f;");
                    w.Line("for (var c = 0; c < " + I(channels) + "; c++) dot += dy[(c * " + I(plane) + ") + p] * y[(c * " + I(plane) + ") + p];");
                    w.Line("for (var c = 0; c < " + I(channels) + "; c++) dy[(c * " + I(plane) + ") + p] = y[(c * " + I(plane) + ") + p] * (dy[(c * " + I(plane) + ") + p] - dot);");
                    return;
                }

                w.Line("var max = float.NegativeInfinity;");
                w.Line("for (var c = 0; c < " + I(channels) + "; c++) max = global::System.MathF.Max(max, x[(c * " + I(plane) + ") + p]);");
                w.Line("var sum = 0f;");
                using (w.Block("for (var c = 0; c < " + I(channels) + "; c++)"))
                {
                    w.Line("var e = global::System.MathF.Exp(x[(c * " + I(plane) + ") + p] - max);");
                    w.Line("y[(c * " + I(plane) + ") + p] = e;");
                    w.Line("sum += e;");
                }

                w.Line("for (var c = 0; c < " + I(channels) + "; c++) y[(c * " + I(plane) + ") + p] /= sum;");
            }
        }
    }
}
