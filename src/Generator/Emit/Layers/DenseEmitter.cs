using System.Collections.Generic;
using ConvGen.Generator.Emit.Code;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// Dense as one product over the whole batch (<c>ConvGen.Kernels.DenseForward</c>: x·Wᵀ, or for large batches W·xᵀ on
    /// weights packed ahead), the units split between workers (each owns a block of output columns, so every result is
    /// computed by exactly one worker, whatever the thread count). Backward computes ∂L/∂input with the input columns
    /// split and ∂L/∂weight with the unit rows split, in the same step.
    /// </summary>
    internal sealed class DenseEmitter : LayerEmitter
    {
        public static readonly DenseEmitter Instance = new();

        /// <summary>The suffix of the field holding the layer's <c>DenseForward</c>.</summary>
        private const string ProductField = "Product";

        public override LayerMembers Methods(LayerPlan lp)
        {
            var dense = (DenseLayer)lp.Layer;
            var members = StepMembers("Forward");
            members.Fields.Add(ProductField);
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

            w.Line();
            w.Line("/// <summary>" + lp.Layer.Name + "'s forward product, shared by the workers; large batches run on the weights packed once per change of the parameters.</summary>");
            w.Line("private readonly " + Kernels + ".DenseForward " + lp.Field(ProductField) + " = new(units: " + I(units) + ", inputs: " + I(inputs) + ");");
            var summary = "Forward of " + lp.Comment + ": y[batch×" + I(units) + "] = " + (fused == Activation.None ? string.Empty : fused + "(")
                + "x[batch×" + I(inputs) + "] · Wᵀ" + (dense.Bias ? " + b" : string.Empty) + (fused == Activation.None ? string.Empty : ")") + ", this worker's units.";
            using (PlainMethod(w, lp.Member("Forward"), summary, StepBody.KernelCalls))
            {
                var bias = dense.Bias ? Spans.AsSpan("_parameters", Expr.Name(lp.Bias!.Constant), units) : "default";
                w.Line(lp.Field(ProductField) + ".Apply(x: " + lp.Input.Batch() + ", ldx: " + I(lp.Input.Stride) + ",");
                w.Line("    weights: " + Spans.AsSpan("_parameters", Expr.Name(lp.Weight!.Constant), units * inputs) + ", writes: _writes, bias: " + bias + ", activation: " + ActivationLiteral(fused) + ",");
                w.Line("    y: " + affine.Batch() + ", ldy: " + I(affine.Stride) + ", batch: _batch, part: worker, parts: _workers, threads: _gemmThreads);");
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

            var batch = Expr.Name("_batch");
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
