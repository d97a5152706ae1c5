using System.Collections.Generic;
using ConvGen.Generator.Emit.Code;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// BatchNorm2D. Training: batch statistics per channel (the channels split between workers, so every sum has one
    /// fixed order), PyTorch's running-stat update (unbiased variance), and the matching backward. Inference: running
    /// statistics, folded into the preceding conv when there is one.
    /// </summary>
    internal sealed class BatchNormEmitter : LayerEmitter
    {
        public static readonly BatchNormEmitter Instance = new();

        /// <summary>The channel loop's index: every pass splits the channels, between workers or between the parts of one sample.</summary>
        private static readonly Expr C = Expr.Name("c");

        public override LayerMembers Methods(LayerPlan lp)
        {
            var members = StepMembers("TrainForward");
            if (!lp.IsFolded)
            {
                members.Steps.Add("Forward");
            }

            if (lp.HasBackward)
            {
                members.Steps.Add("Backward");
            }

            return members;
        }

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training)
        {
            if (training)
            {
                yield return new Step(lp.Member("TrainForward"), lp.Comment + " (batch statistics)", Channels(lp, passes: 4));
            }
            else if (!lp.IsFolded)
            {
                yield return new Step(lp.Member("Forward"), lp.Comment + " (running statistics)", Channels(lp, passes: 2));
            }
        }

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits)
        {
            yield return new Step(lp.Member("Backward"), BackwardComment(lp, "weight", "bias"), Channels(lp, passes: 5));
        }

        /// <summary>Every pass splits by channel: <paramref name="passes"/> reads and writes of the whole sample.</summary>
        private static SampleSplit Channels(LayerPlan lp, int passes) => SampleSplit.Pass(lp.Shape.In.Channels, (long)passes * lp.InLength);

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            var norm = (BatchNorm2DLayer)lp.Layer;
            var channels = lp.Shape.In.Channels;
            var plane = lp.Shape.In.Height * lp.Shape.In.Width;
            var eps = Literals.Float(norm.Epsilon);
            var gamma = lp.Weight!.Constant;
            var beta = lp.Bias!.Constant;

            using (SplitRangeMethod(w, lp.Member("TrainForward"), "Training forward of " + lp.Comment + ": normalizes with this batch's mean and variance and updates the running statistics.", channels, "c0", "c1"))
            {
                w.Line("var count = " + (Expr.Name("_batch") * plane) + ";");
                using (w.Block("for (var c = c0; c < c1; c++)"))
                {
                    w.Line("double sum = 0;");
                    w.Line("for (var n = 0; n < _batch; n++) sum += " + Kernels + ".VectorOps.Sum(" + Plane(lp.Input, C, plane) + ");");
                    w.Line("var mean = sum / count;");
                    w.Line("double squares = 0;");
                    using (w.Block("for (var n = 0; n < _batch; n++)"))
                    {
                        w.Line("var x = " + Plane(lp.Input, C, plane) + ";");
                        w.Line("foreach (var v in x) squares += (v - mean) * (v - mean);");
                    }

                    w.Line("var variance = squares / count;");
                    w.Line("var inverseStd = (float)(1.0 / global::System.Math.Sqrt(variance + " + eps + "));");
                    w.Line(lp.Field("Mean") + "[c] = (float)mean;");
                    w.Line(lp.Field("InverseStd") + "[c] = inverseStd;");
                    w.Line("// running = (1 − momentum)·running + momentum·batch, with the unbiased variance (PyTorch)");
                    w.Line("_buffers[" + lp.RunningMean!.Constant + " + c] = (float)(((1 - " + Literals.Float(norm.Momentum) + ") * _buffers[" + lp.RunningMean.Constant + " + c]) + (" + Literals.Float(norm.Momentum) + " * mean));");
                    w.Line("_buffers[" + lp.RunningVariance!.Constant + " + c] = (float)(((1 - " + Literals.Float(norm.Momentum) + ") * _buffers[" + lp.RunningVariance.Constant + " + c]) + (" + Literals.Float(norm.Momentum) + " * variance * count / (count - 1)));");
                    w.Line("var scale = _parameters[" + gamma + " + c] * inverseStd;");
                    w.Line("var shift = _parameters[" + beta + " + c] - ((float)mean * scale);");
                    using (w.Block("for (var n = 0; n < _batch; n++)"))
                    {
                        w.Line("var y = " + Plane(lp.Output, C, plane) + ";");
                        w.Line(Plane(lp.Input, C, plane) + ".CopyTo(y);");
                        w.Line(Kernels + ".VectorOps.ScaleShiftActivate(y, scale, shift, global::ConvGen.Activation.None);");
                    }
                }
            }

            // Inference with the running statistics, unless the preceding conv absorbs this layer.
            if (!lp.IsFolded)
            using (ChannelSampleMethod(w, lp.Member("Forward"), "Inference forward of " + lp.Comment + " with the running statistics.", channels))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var x = " + lp.Input.Sample() + ";");
                w.Line("var y = " + lp.Output.Sample() + ";");
                using (w.Block("for (var c = c0; c < c1; c++)"))
                {
                    var c = C;
                    w.Line("var scale = _parameters[" + (Expr.Name(gamma) + c) + "] / global::System.MathF.Sqrt(_buffers[" + (Expr.Name(lp.RunningVariance.Constant) + c) + "] + " + eps + ");");
                    w.Line("var shift = _parameters[" + (Expr.Name(beta) + c) + "] - (_buffers[" + (Expr.Name(lp.RunningMean.Constant) + c) + "] * scale);");
                    w.Line(Spans.Slice("x", c * plane, plane) + ".CopyTo(" + Spans.Slice("y", c * plane, plane) + ");");
                    w.Line(Kernels + ".VectorOps.ScaleShiftActivate(" + Spans.Slice("y", c * plane, plane) + ", scale, shift, global::ConvGen.Activation.None);");
                }
            }

            if (lp.HasBackward)
            {
                EmitBackward(w, lp, plane);
            }
        }

        /// <summary>
        /// Training-mode backward: ∂L/∂γ = Σ ∂L/∂y·x̂, ∂L/∂β = Σ ∂L/∂y, and ∂L/∂x = γ/σ · (∂L/∂y − mean(∂L/∂y) − x̂ · mean(∂L/∂y·x̂)),
        /// with the sums and x̂ in double: ∂L/∂x sums to zero over each channel, and a BatchNorm reading this one's output sees
        /// only what is left of that cancellation.
        /// </summary>
        private static void EmitBackward(SourceWriter w, LayerPlan lp, int plane)
        {
            var gamma = lp.Weight!.Constant;
            var beta = lp.Bias!.Constant;
            var dx = lp.InputGradients[0];
            using (SplitRangeMethod(w, lp.Member("Backward"), "Backward of " + lp.Comment + " in training mode: ∂L/∂γ, ∂L/∂β and " + (dx.Accumulates ? "adds " : string.Empty) + "∂L/∂x = γ/σ · (∂L/∂y − mean(∂L/∂y) − x̂ · mean(∂L/∂y · x̂)).", lp.Shape.In.Channels, "c0", "c1"))
            {
                w.Line("var count = " + (Expr.Name("_batch") * plane) + ";");
                using (w.Block("for (var c = c0; c < c1; c++)"))
                {
                    w.Line("double mean = " + lp.Field("Mean") + "[c];");
                    w.Line("double inverseStd = " + lp.Field("InverseStd") + "[c];");
                    w.Line("double dBeta = 0, dGamma = 0;");
                    using (w.Block("for (var n = 0; n < _batch; n++)"))
                    {
                        w.Line("var x = " + Plane(lp.Input, C, plane) + ";");
                        w.Line("var dy = " + Plane(lp.OutputGradient, C, plane) + ";");
                        using (Loop.For(w, "i", plane, out var i))
                        {
                            w.Line("dBeta += dy[" + i + "];");
                            w.Line("dGamma += dy[" + i + "] * ((x[" + i + "] - mean) * inverseStd);");
                        }
                    }

                    w.Line("_gradients[" + gamma + " + c] += (float)dGamma;");
                    w.Line("_gradients[" + beta + " + c] += (float)dBeta;");
                    if (dx.IsNetworkInput)
                    {
                        w.Line("if (!_needInputGradient) continue;");
                    }

                    w.Line("var k = _parameters[" + gamma + " + c] * inverseStd;");
                    w.Line("var meanDy = dBeta / count;");
                    w.Line("var meanDyXhat = dGamma / count;");
                    using (w.Block("for (var n = 0; n < _batch; n++)"))
                    {
                        w.Line("var x = " + Plane(lp.Input, C, plane) + ";");
                        w.Line("var dy = " + Plane(lp.OutputGradient, C, plane) + ";");
                        w.Line("var dx = " + Plane(dx.View, C, plane) + ";");
                        using (Loop.For(w, "i", plane, out var i))
                        {
                            w.Line("var xhat = (x[" + i + "] - mean) * inverseStd;");
                            w.Line("dx[" + i + "] " + (dx.Accumulates ? "+=" : "=") + " (float)(k * (dy[" + i + "] - meanDy - (xhat * meanDyXhat)));");
                        }
                    }
                }
            }
        }

        /// <summary>Channel <paramref name="c"/> of sample n of <paramref name="view"/>.</summary>
        private static string Plane(ValueView view, Expr c, int plane) => view.At(Expr.Name("n"), c * plane, plane);
    }
}
