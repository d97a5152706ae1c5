using System.Collections.Generic;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// Layers that act on each sample independently without parameters: ReLU, LeakyReLU, Tanh, Sigmoid, Softmax, Dropout.
    /// Their backward passes work in place on ∂L/∂y, so they never swap the gradient buffers.
    /// </summary>
    internal sealed class ElementwiseEmitter : LayerEmitter
    {
        public static readonly ElementwiseEmitter Instance = new();

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training)
        {
            yield return new Step(lp.Id + (lp.Layer is DropoutLayer && !training ? "Copy" : "Forward"), lp.Comment);
        }

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits)
        {
            if (lp.Layer is SoftmaxLayer && fromLogits)
            {
                yield break;
            }

            yield return new Step(lp.Id + "Backward", lp.Comment + " — ∂L/∂input, in place");
        }

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            var length = I(lp.OutLength);
            using (SampleMethod(w, lp.Id + "Forward", "Forward of " + lp.Comment + "."))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var x = " + Slice(lp.InputBuffer, length) + ";");
                w.Line("var y = " + Slice(lp.OutputBuffer, length) + ";");
                EmitForwardBody(w, lp);
            }

            using (SampleMethod(w, lp.Id + "Backward", "Backward of " + lp.Comment + ": ∂L/∂x from ∂L/∂y, in place in _dy."))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var dy = " + Slice("_dy", length) + ";");
                EmitBackwardBody(w, lp);
            }

            if (lp.Layer is DropoutLayer)
            {
                using (SampleMethod(w, lp.Id + "Copy", "Inference pass of " + lp.Comment + ": the identity."))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line(Slice(lp.InputBuffer, length) + ".CopyTo(" + Slice(lp.OutputBuffer, length) + ");");
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
                    w.Line("var mask = " + Slice(lp.Field("Mask"), I(lp.OutLength)) + ";");
                    using (w.Block("for (var i = 0; i < " + I(lp.OutLength) + "; i++)"))
                    {
                        w.Line("var u = " + Kernels + ".CounterRandom.Uniform((ulong)_seed, _pass, ((ulong)" + I(lp.Index) + " << 40) + (ulong)((n * " + I(lp.OutLength) + ") + i));");
                        w.Line("mask[i] = u < " + Literals.Float(dropout.Rate) + " ? 0f : " + Literals.Float(1f / keep) + ";");
                        w.Line("y[i] = x[i] * mask[i];");
                    }

                    break;
            }
        }

        private static void EmitBackwardBody(SourceWriter w, LayerPlan lp)
        {
            switch (lp.Layer)
            {
                case ActivationLayer { Function: ElementwiseKind.LeakyReLU } leaky:
                    w.Line(Kernels + ".VectorOps.LeakyReLUBackward(dy, " + Slice(lp.InputBuffer, I(lp.InLength)) + ", dy, " + Literals.Float(leaky.Slope) + ");");
                    break;
                case ActivationLayer activation:
                    w.Line(Kernels + ".VectorOps.ActivationBackward(dy, " + Slice(lp.OutputBuffer, I(lp.OutLength)) + ", global::ConvGen.Activation." + activation.Function + ");");
                    break;
                case SoftmaxLayer when lp.Shape.In.IsFlat || lp.Shape.In.Height * lp.Shape.In.Width == 1:
                    w.Line(Kernels + ".VectorOps.SoftmaxBackward(dy, " + Slice(lp.OutputBuffer, I(lp.OutLength)) + ", dy);");
                    break;
                case SoftmaxLayer:
                    w.Line("var y = " + Slice(lp.OutputBuffer, I(lp.OutLength)) + ";");
                    EmitChannelSoftmax(w, lp, backward: true);
                    break;
                case DropoutLayer:
                    w.Line("var mask = " + Slice(lp.Field("Mask"), I(lp.OutLength)) + ";");
                    using (w.Block("for (var i = 0; i < " + I(lp.OutLength) + "; i++)"))
                    {
                        w.Line("dy[i] *= mask[i];");
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
