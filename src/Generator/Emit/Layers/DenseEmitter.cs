using System.Collections.Generic;
using ConvGen.Generator.Emit.Code;
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

        public override LayerMembers Methods(LayerPlan lp)
        {
            var dense = (DenseLayer)lp.Layer;
            var members = StepMembers("Forward");
            if (lp.Logits is not null)
            {
                members.Steps.Add("Softmax");
            }

            if (lp.HasBackward)
            {
                if (lp.Logits is not null)
                {
                    members.Steps.Add("SoftmaxBackward");
                }

                if (dense.Activation is not (Activation.None or Activation.Softmax))
                {
                    members.Steps.Add("ActivationBackward");
                }

                members.Steps.Add("Backward");
            }

            return members;
        }

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training)
        {
            yield return new Step(lp.Member("Forward"), lp.Comment);
            if (lp.Logits is not null)
            {
                yield return new Step(lp.Member("Softmax"), lp.Layer.Name + ": softmax of the logits");
            }
        }

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits)
        {
            var dense = (DenseLayer)lp.Layer;
            if (lp.Logits is not null && !fromLogits)
            {
                yield return new Step(lp.Member("SoftmaxBackward"), lp.Layer.Name + " backward: ∂L/∂logits through the softmax, in place");
            }

            if (dense.Activation is not (Activation.None or Activation.Softmax))
            {
                yield return new Step(lp.Member("ActivationBackward"), lp.Layer.Name + " backward: ∂L/∂z = ∂L/∂" + lp.Layer.Name + " ⊙ " + dense.Activation + "′, in place");
            }

            yield return new Step(lp.Member("Backward"), BackwardComment(lp, dense.Bias ? new[] { "weight", "bias" } : new[] { "weight" }));
        }

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            var dense = (DenseLayer)lp.Layer;
            var units = dense.Units;
            var inputs = lp.InLength;
            var affine = lp.Logits ?? lp.Output;
            var fused = dense.Activation == Activation.Softmax ? Activation.None : dense.Activation;

            var batch = Expr.Name("_batch");
            using (RangeMethod(w, lp.Member("Forward"), "Forward of " + lp.Comment + ": y[batch×" + I(units) + "] = x[batch×" + I(inputs) + "] · Wᵀ, this worker's units.", I(units), "u0", "u1", StepBody.KernelCalls))
            {
                var u0 = Expr.Name("u0");
                var width = Expr.Name("width");
                w.Line("if (u0 == u1) return;");
                w.Line("var width = u1 - u0;");
                w.Line("var y = " + affine.Columns(u0, width) + ";");
                GemmCall.Emit(
                    w,
                    c: new Matrix("y", "y", affine.Stride),
                    a: new Matrix("x", lp.Input.Batch(), lp.Input.Stride),
                    transposeA: false,
                    b: new Matrix("W", Spans.AsSpan("_parameters", Expr.Name(lp.Weight!.Constant) + u0 * inputs, width * inputs), inputs),
                    transposeB: true,
                    m: batch,
                    n: width,
                    k: inputs,
                    accumulate: false);
                if (dense.Bias || fused != Activation.None)
                {
                    var bias = dense.Bias ? Spans.AsSpan("_parameters", Expr.Name(lp.Bias!.Constant) + u0, width) : "default";
                    using (w.Block("for (var n = 0; n < _batch; n++)"))
                    {
                        w.Line(Kernels + ".VectorOps.AddBiasActivate(" + Spans.Slice("y", Expr.Name("n") * affine.Stride, width) + ", " + bias + ", " + ActivationLiteral(fused) + ");");
                    }
                }
            }

            if (lp.Logits is not null)
            {
                using (SampleMethod(w, lp.Member("Softmax"), lp.Layer.Name + ": the softmax of each sample's logits (numerically stable)."))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line(Kernels + ".VectorOps.Softmax(" + lp.Logits.Sample() + ", " + lp.Output.Sample() + ");");
                }
            }

            if (!lp.HasBackward)
            {
                return;
            }

            if (lp.Logits is not null)
            {
                using (SampleMethod(w, lp.Member("SoftmaxBackward"), lp.Layer.Name + ": ∂L/∂logits = y ⊙ (∂L/∂y − Σ ∂L/∂y·y), in place."))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line("var dy = " + lp.OutputGradient.Sample() + ";");
                    w.Line(Kernels + ".VectorOps.SoftmaxBackward(dy, " + lp.Output.Sample() + ", dy);");
                }
            }

            if (fused != Activation.None)
            {
                using (SampleMethod(w, lp.Member("ActivationBackward"), lp.Layer.Name + ": ∂L/∂z = ∂L/∂y ⊙ " + fused + "′ from the stored output, in place."))
                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line(Kernels + ".VectorOps.ActivationBackward(" + lp.OutputGradient.Sample() + ", " + lp.Output.Sample() + ", " + ActivationLiteral(fused) + ");");
                }
            }

            var dx = lp.InputGradients[0];
            var dz = lp.OutputGradient;
            using (PlainMethod(w, lp.Member("Backward"), "Backward of " + lp.Comment + ": this worker's input columns of ∂L/∂x and unit rows of ∂L/∂W, ∂L/∂b.", StepBody.KernelCalls))
            {
                w.Line("var dz = " + dz.Batch() + ";");
                using (InputGradientGuard(w, dx))
                {
                    w.Line("// this worker's columns [i0, i1) of ∂L/∂x");
                    w.Line("var (i0, i1) = global::ConvGen.Threading.Partition.Range(" + I(inputs) + ", worker, _workers);");
                    using (w.Block("if (i0 < i1)"))
                    {
                        var i0 = Expr.Name("i0");
                        var columns = Expr.Name("columns");
                        w.Line("var columns = i1 - i0;");
                        GemmCall.Emit(
                            w,
                            c: new Matrix("∂L/∂x", dx.View.Columns(i0, columns), dx.View.Stride),
                            a: new Matrix("∂L/∂z", "dz", dz.Stride),
                            transposeA: false,
                            b: new Matrix("W", Spans.AsSpan("_parameters", Expr.Name(lp.Weight.Constant) + i0, (units - 1) * inputs + columns), inputs),
                            transposeB: false,
                            m: batch,
                            n: columns,
                            k: units,
                            accumulate: dx.Accumulates);
                    }
                }

                var u0 = Expr.Name("u0");
                var rows = Expr.Name("rows");
                w.Line("// this worker's rows [u0, u1) of ∂L/∂W");
                w.Line("var (u0, u1) = global::ConvGen.Threading.Partition.Range(" + I(units) + ", worker, _workers);");
                w.Line("if (u0 == u1) return;");
                w.Line("var rows = u1 - u0;");
                GemmCall.Emit(
                    w,
                    c: new Matrix("∂L/∂W", Spans.AsSpan("_gradients", Expr.Name(lp.Weight.Constant) + u0 * inputs, rows * inputs), inputs),
                    a: new Matrix("∂L/∂z", dz.Columns(u0, rows), dz.Stride),
                    transposeA: true,
                    b: new Matrix("x", lp.Input.Batch(), lp.Input.Stride),
                    transposeB: false,
                    m: rows,
                    n: inputs,
                    k: batch,
                    accumulate: true);
                if (dense.Bias)
                {
                    w.Line("// ∂L/∂b[u] += Σ over the batch of ∂L/∂z[n, u]");
                    using (w.Block("for (var n = 0; n < _batch; n++)"))
                    {
                        w.Line(Kernels + ".VectorOps.Add(" + Spans.Slice("dz", Expr.Name("n") * dz.Stride + u0, rows) + ", " + Spans.AsSpan("_gradients", Expr.Name(lp.Bias!.Constant) + u0, rows) + ");");
                    }
                }
            }
        }
    }
}
