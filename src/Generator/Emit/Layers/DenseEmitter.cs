using System.Collections.Generic;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// Dense as one GEMM over the whole batch, the units split between workers (each owns a block of output columns,
    /// so every result is computed by exactly one worker, whatever the thread count). Backward computes ∂L/∂input with
    /// the input columns split and ∂L/∂weight with the unit rows split, in the same step.
    /// </summary>
    internal sealed class DenseEmitter : LayerEmitter
    {
        public static readonly DenseEmitter Instance = new();

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training)
        {
            yield return new Step(lp.Id + "Forward", lp.Comment);
            if (lp.LogitBuffer is not null)
            {
                yield return new Step(lp.Id + "Softmax", lp.Layer.Name + ": softmax of the logits");
            }
        }

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits)
        {
            var dense = (DenseLayer)lp.Layer;
            if (lp.LogitBuffer is not null && !fromLogits)
            {
                yield return new Step(lp.Id + "SoftmaxBackward", lp.Layer.Name + ": ∂L/∂logits through the softmax");
            }

            if (dense.Activation is ActivationKind.ReLU or ActivationKind.Tanh or ActivationKind.Sigmoid)
            {
                yield return new Step(lp.Id + "ActivationBackward", lp.Layer.Name + ": ∂L/∂z = ∂L/∂y ⊙ " + dense.Activation + "′");
            }

            yield return new Step(lp.Id + "Backward", lp.Comment + " — ∂L/∂input, ∂L/∂weight, ∂L/∂bias", Swaps: true);
        }

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            var dense = (DenseLayer)lp.Layer;
            var units = dense.Units;
            var inputs = lp.InLength;
            var affine = lp.LogitBuffer ?? lp.OutputBuffer;
            var fused = dense.Activation == ActivationKind.Softmax ? ActivationKind.None : dense.Activation;

            using (RangeMethod(w, lp.Id + "Forward", "Forward of " + lp.Comment + ": y[batch×" + I(units) + "] = x[batch×" + I(inputs) + "] · Wᵀ, this worker's units.", I(units), "u0", "u1"))
            {
                w.Line("if (u0 == u1) return;");
                w.Line("var width = u1 - u0;");
                w.Line("var y = " + affine + ".AsSpan(u0, ((_batch - 1) * " + I(units) + ") + width);");
                w.Line(Kernels + ".Gemm.Multiply(false, true, _batch, width, " + I(inputs) + ", "
                    + lp.InputBuffer + ".AsSpan(0, _batch * " + I(inputs) + "), " + I(inputs) + ", "
                    + "_parameters.AsSpan(" + lp.Weight!.Constant + " + (u0 * " + I(inputs) + "), width * " + I(inputs) + "), " + I(inputs) + ", "
                    + "y, " + I(units) + ", accumulate: false);");
                if (dense.Bias || fused != ActivationKind.None)
                {
                    var bias = dense.Bias ? "_parameters.AsSpan(" + lp.Bias!.Constant + " + u0, width)" : "default";
                    using (w.Block("for (var n = 0; n < _batch; n++)"))
                    {
                        w.Line(Kernels + ".VectorOps.AddBiasActivate(y.Slice(n * " + I(units) + ", width), " + bias + ", " + Activation(fused) + ");");
                    }
                }
            }

            if (lp.LogitBuffer is not null)
            {
                using (SampleMethod(w, lp.Id + "Softmax", lp.Layer.Name + ": the softmax of each sample's logits (numerically stable)."))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line(Kernels + ".VectorOps.Softmax(" + Slice(lp.LogitBuffer, I(units)) + ", " + Slice(lp.OutputBuffer, I(units)) + ");");
                }

                using (SampleMethod(w, lp.Id + "SoftmaxBackward", lp.Layer.Name + ": ∂L/∂logits = y ⊙ (∂L/∂y − Σ ∂L/∂y·y), in place."))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line("var dy = " + Slice("_dy", I(units)) + ";");
                    w.Line(Kernels + ".VectorOps.SoftmaxBackward(dy, " + Slice(lp.OutputBuffer, I(units)) + ", dy);");
                }
            }

            if (fused != ActivationKind.None)
            {
                using (SampleMethod(w, lp.Id + "ActivationBackward", lp.Layer.Name + ": ∂L/∂z = ∂L/∂y ⊙ " + fused + "′ from the stored output, in place."))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line(Kernels + ".VectorOps.ActivationBackward(" + Slice("_dy", I(units)) + ", " + Slice(lp.OutputBuffer, I(units)) + ", " + Activation(fused) + ");");
                }
            }

            using (PlainMethod(w, lp.Id + "Backward", "Backward of " + lp.Comment + ": this worker's input columns of ∂L/∂x and unit rows of ∂L/∂W, ∂L/∂b."))
            {
                w.Line("var dz = _dy.AsSpan(0, _batch * " + I(units) + ");");
                var guard = lp.ReadsNetworkInput ? w.Block("if (_needInputGradient)") : null;
                using (guard)
                {
                    w.Line("// ∂L/∂x[batch×" + I(inputs) + "] = ∂L/∂z[batch×" + I(units) + "] · W, columns [i0, i1)");
                    w.Line("var (i0, i1) = global::ConvGen.Threading.Partition.Range(" + I(inputs) + ", worker, _workers);");
                    using (w.Block("if (i0 < i1)"))
                    {
                        w.Line(Kernels + ".Gemm.Multiply(false, false, _batch, i1 - i0, " + I(units) + ", dz, " + I(units) + ", "
                            + "_parameters.AsSpan(" + lp.Weight.Constant + " + i0, ((" + I(units) + " - 1) * " + I(inputs) + ") + (i1 - i0)), " + I(inputs) + ", "
                            + "_dx.AsSpan(i0, ((_batch - 1) * " + I(inputs) + ") + (i1 - i0)), " + I(inputs) + ", accumulate: false);");
                    }
                }

                w.Line("// ∂L/∂W[" + I(units) + "×" + I(inputs) + "] += ∂L/∂zᵀ · x, rows [u0, u1)");
                w.Line("var (u0, u1) = global::ConvGen.Threading.Partition.Range(" + I(units) + ", worker, _workers);");
                w.Line("if (u0 == u1) return;");
                w.Line(Kernels + ".Gemm.Multiply(true, false, u1 - u0, " + I(inputs) + ", _batch, "
                    + "_dy.AsSpan(u0, ((_batch - 1) * " + I(units) + ") + (u1 - u0)), " + I(units) + ", "
                    + lp.InputBuffer + ".AsSpan(0, _batch * " + I(inputs) + "), " + I(inputs) + ", "
                    + "_gradients.AsSpan(" + lp.Weight.Constant + " + (u0 * " + I(inputs) + "), (u1 - u0) * " + I(inputs) + "), " + I(inputs) + ", accumulate: true);");
                if (dense.Bias)
                {
                    w.Line("// ∂L/∂b[u] += Σ over the batch of ∂L/∂z[n, u]");
                    using (w.Block("for (var n = 0; n < _batch; n++)"))
                    {
                        w.Line(Kernels + ".VectorOps.Add(dz.Slice((n * " + I(units) + ") + u0, u1 - u0), _gradients.AsSpan(" + lp.Bias!.Constant + " + u0, u1 - u0));");
                    }
                }
            }
        }
    }
}
