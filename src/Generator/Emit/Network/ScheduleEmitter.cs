using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Network
{
    /// <summary>
    /// The network's schedule: growing its buffers, its forward and backward steps in order (each run on every worker by
    /// the runner), copying ∂L/∂input out, then the dispatch (<see cref="DispatchEmitter"/>). Only what holds for this
    /// network is written: the training branch, the softmax skip and the mode it reads exist only in networks that have them.
    /// </summary>
    internal static class ScheduleEmitter
    {
        public static void Emit(SourceWriter w, NetworkPlan plan)
        {
            var skipsSoftmax = SkipsSoftmax(plan);
            EmitGrow(w, plan);
            EmitRunForward(w, plan);
            EmitRunBackward(w, plan, skipsSoftmax);
            EmitCopyInputGradient(w, plan);
            DispatchEmitter.Emit(w, plan, skipsSoftmax);
        }

        /// <summary>True when the loss can hand backward ∂L/∂logits, skipping the final softmax's own backward steps.</summary>
        private static bool SkipsSoftmax(NetworkPlan plan)
        {
            var last = plan.Layers.LastOrDefault(l => l.HasBackward);
            if (!plan.EndsWithSoftmax || last is null)
            {
                return false;
            }

            var emitter = LayerEmitter.For(last.Layer);
            return emitter.Backward(last, fromLogits: false).Count() != emitter.Backward(last, fromLogits: true).Count();
        }

        private static void EmitGrow(SourceWriter w, NetworkPlan plan)
        {
            w.Line("/// <summary>Grows the activation and gradient buffers to <paramref name=\"batchSize\"/> samples.</summary>");
            using (w.Block("private void Grow(int batchSize)"))
            {
                var buffers = new List<(string Field, string Length)> { ("_input", "InputLength") };
                buffers.AddRange(plan.ActivationFields.Concat(plan.Gradients.Buffers).Select(b => (b.Field, Literals.Int(b.Length))));
                w.Line("// Every size is checked and every buffer allocated before any field changes: a batch too large leaves the network as it was.");
                foreach (var (field, length) in buffers)
                {
                    w.Line("var " + field.Substring(1) + " = new float[global::ConvGen.BatchBuffer.Length(batchSize, " + length + ")];");
                }

                foreach (var (field, _) in buffers)
                {
                    w.Line(field + " = " + field.Substring(1) + ";");
                }
            }

            w.Line();
        }

        private static void EmitRunForward(SourceWriter w, NetworkPlan plan)
        {
            w.Line("/// <summary>Copies the input in and runs every layer over <paramref name=\"batchSize\"/> samples split among <paramref name=\"workers\"/> workers" + (plan.HasTrainingBehaviour ? ", in training or inference form" : string.Empty) + ".</summary>");
            using (w.Block("private void RunForward(" + TypeNames.ReadOnlySpan + " input, int batchSize, int workers" + (StorageEmitter.CallsGemm(plan) ? ", int gemmThreads" : string.Empty)
                + (plan.HasTrainingBehaviour ? ", bool training" : string.Empty) + ")"))
            {
                var batchNorms = plan.Layers.Where(l => l.Layer is BatchNorm2DLayer).ToList();
                if (batchNorms.Count > 0)
                {
                    var smallest = batchNorms.Min(l => l.Shape.In.Height * l.Shape.In.Width);
                    using (w.Block("if (training && batchSize * " + Literals.Int(smallest) + " < 2)"))
                    {
                        w.Line("throw new global::System.ArgumentException(\"BatchNorm2D in training needs more than one value per channel: use a batch of at least 2.\", nameof(batchSize));");
                    }
                }

                w.Line("_batch = batchSize;");
                w.Line("_workers = workers;");
                if (StorageEmitter.CallsGemm(plan))
                {
                    w.Line("_gemmThreads = gemmThreads;");
                }

                if (StorageEmitter.FoldsBatchNorm(plan))
                {
                    w.Line("_training = training;");
                }

                w.Line("input.CopyTo(_input);");
                if (plan.HasTrainingBehaviour)
                {
                    using (w.Block("if (training)"))
                    {
                        if (plan.HasDropout)
                        {
                            w.Line("_pass++;");
                        }

                        EmitForwardSteps(w, plan, training: true);
                    }

                    using (w.Block("else"))
                    {
                        EmitForwardSteps(w, plan, training: false);
                    }
                }
                else
                {
                    EmitForwardSteps(w, plan, training: false);
                }
            }

            w.Line();
        }

        private static void EmitForwardSteps(SourceWriter w, NetworkPlan plan, bool training)
        {
            foreach (var lp in plan.Layers)
            {
                EmitSteps(w, LayerEmitter.For(lp.Layer).Forward(lp, training));
            }
        }

        private static void EmitRunBackward(SourceWriter w, NetworkPlan plan, bool skipsSoftmax)
        {
            w.Line("/// <summary>Runs every layer's backward steps from the last" + (skipsSoftmax ? "; <paramref name=\"fromLogits\"/>: the loss already gave ∂L/∂logits, so the final softmax's are skipped" : string.Empty) + ".</summary>");
            using (w.Block("private void RunBackward(" + (skipsSoftmax ? "bool fromLogits, " : string.Empty) + "bool needInputGradient)"))
            {
                w.Line("_needInputGradient = needInputGradient;");
                var first = true;
                for (var i = plan.Layers.Count - 1; i >= 0; i--)
                {
                    var lp = plan.Layers[i];
                    if (!lp.HasBackward)
                    {
                        w.Line("// " + lp.Layer.Name + ": nothing reads its output, so it has no gradient");
                        continue;
                    }

                    foreach (var region in lp.ClearBeforeBackward)
                    {
                        w.Line(region.Batch() + ".Clear(); // several layers add parts of this gradient: start from zero");
                    }

                    var emitter = LayerEmitter.For(lp.Layer);
                    var full = emitter.Backward(lp, fromLogits: false).ToList();
                    if (first && skipsSoftmax)
                    {
                        // The steps the fused loss gradient skips come first; the rest are common to both.
                        var fromLogits = emitter.Backward(lp, fromLogits: true).ToList();
                        using (w.Block("if (!fromLogits)"))
                        {
                            EmitSteps(w, full.Take(full.Count - fromLogits.Count));
                        }

                        EmitSteps(w, fromLogits);
                    }
                    else
                    {
                        EmitSteps(w, full);
                    }

                    first = false;
                }
            }

            w.Line();
        }

        private static void EmitSteps(SourceWriter w, IEnumerable<Step> steps)
        {
            foreach (var step in steps)
            {
                var split = step.Split is null ? string.Empty : ", units: " + Literals.Int(step.Split.Units) + ", work: " + Literals.Int(step.Split.Work);
                w.Line("_runner.Run(" + step.Method + "Step" + split + "); // " + step.Comment);
            }
        }

        /// <summary>Copies ∂L/∂input out: in one piece, or sample by sample when it is a slice of a wider gradient.</summary>
        private static void EmitCopyInputGradient(SourceWriter w, NetworkPlan plan)
        {
            var view = plan.Gradients.Input;
            w.Line("/// <summary>Copies ∂L/∂input of <paramref name=\"batchSize\"/> samples out" + (view.IsWhole ? string.Empty : " (a slice of " + view.Field + ", sample by sample)") + ".</summary>");
            var signature = "private void CopyInputGradient(" + TypeNames.Span + " inputGradient, int batchSize)";
            if (view.IsWhole)
            {
                w.Line(signature + " => " + view.Field + ".AsSpan(0, batchSize * InputLength).CopyTo(inputGradient);");
            }
            else
            {
                using (w.Block(signature))
                using (w.Block("for (var n = 0; n < batchSize; n++)"))
                {
                    w.Line(view.Sample() + ".CopyTo(inputGradient.Slice(n * InputLength, InputLength));");
                }
            }

            w.Line();
        }
    }
}
