using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>Emits one kind of layer: its forward and backward steps and the methods behind them.</summary>
    internal abstract class LayerEmitter
    {
        /// <summary>The runtime's kernel namespace, as the generated code spells it.</summary>
        public const string Kernels = "global::ConvGen.Kernels";

        /// <summary>The emitter of <paramref name="layer"/>'s kind.</summary>
        public static LayerEmitter For(LayerModel layer) => LayerKinds.Of(layer).Emitter;

        /// <summary>The step methods (and helper methods) this layer emits, for the layout <paramref name="lp"/> has.</summary>
        public abstract LayerMembers Methods(LayerPlan lp);

        /// <summary>The forward steps; <paramref name="training"/> selects training behaviour (batch statistics, dropout, no folding).</summary>
        public abstract IEnumerable<Step> Forward(LayerPlan lp, bool training);

        /// <summary>
        /// The backward steps: they read ∂L/∂output (complete by then) and write or add ∂L/∂input; <paramref name="fromLogits"/>
        /// skips a trailing softmax whose gradient the loss already gave.
        /// </summary>
        public abstract IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits);

        /// <summary>
        /// The part steps a step runs itself through <c>NetworkRunner.RunParts</c>: pieces of one sample's work whose methods
        /// take <c>(n, part, parts)</c>, the sample and which part of it. None unless a layer has them.
        /// </summary>
        public virtual IEnumerable<Step> Parts(LayerPlan lp) => Enumerable.Empty<Step>();

        /// <summary>Writes the private methods the steps name.</summary>
        public abstract void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan);

        /// <summary>Members with these suffixes, all step methods.</summary>
        protected static LayerMembers StepMembers(params string[] suffixes)
        {
            var members = new LayerMembers();
            members.Steps.AddRange(suffixes);
            return members;
        }

        /// <summary>"conv2 backward: ∂L/∂conv2.weight, ∂L/∂pool1 (added) from ∂L/∂conv2" — what one backward step computes.</summary>
        protected static string BackwardComment(LayerPlan lp, params string[] parameters)
        {
            var outputs = parameters.Select(p => "∂L/∂" + lp.Layer.Name + "." + p).ToList();
            foreach (var g in lp.InputGradients.Where(g => g.Flow != GradientFlow.Shared))
            {
                outputs.Add("∂L/∂" + g.Value + (g.Flow switch
                {
                    GradientFlow.Accumulate => " (added)",
                    GradientFlow.InPlace => " (in place)",
                    _ => string.Empty,
                }));
            }

            return lp.Layer.Name + " backward: " + string.Join(", ", outputs) + " from ∂L/∂" + lp.Layer.Name;
        }

        /// <summary>One line handing <paramref name="source"/> (one sample's span) to ∂L/∂input: copied, or added when others contribute too.</summary>
        protected static string Transfer(string source, InputGradient g) => Transfer(source, g, sample => sample);

        /// <summary><see cref="Transfer(string, InputGradient)"/> into the part <paramref name="part"/> takes of ∂L/∂input's sample span.</summary>
        protected static string Transfer(string source, InputGradient g, Func<string, string> part) => g.Accumulates
            ? Kernels + ".VectorOps.Add(" + source + ", " + part(g.View.Sample()) + ");"
            : source + ".CopyTo(" + part(g.View.Sample()) + ");";

        /// <summary>Opens a guard that skips work on ∂L/∂(network input) unless Backward was asked for it; null otherwise.</summary>
        protected static IDisposable? InputGradientGuard(SourceWriter w, InputGradient g) => g.IsNetworkInput ? w.Block("if (_needInputGradient)") : null;

        /// <summary>Opens the method of one step: doc comment, signature, and this worker's share of the samples.</summary>
        protected static IDisposable SampleMethod(SourceWriter w, string name, string summary, StepBody body = StepBody.ElementLoops)
        {
            return OpenSampleMethod(w, name + "(int worker)", summary, body);
        }

        /// <summary>
        /// Opens the method of a step that can split samples by channel (<see cref="SampleSplit"/>): this worker's share of
        /// the samples, and this part's channels [c0, c1) of <paramref name="channels"/> in each.
        /// </summary>
        protected static IDisposable ChannelSampleMethod(SourceWriter w, string name, string summary, int channels, StepBody body = StepBody.ElementLoops)
        {
            var block = OpenSampleMethod(w, name + "(int worker, int part, int parts)", summary, body);
            w.Line("var (c0, c1) = global::ConvGen.Threading.Partition.Range(" + I(channels) + ", part, parts); // this part's channels of each sample");
            return block;
        }

        /// <summary>
        /// Opens the method of an element-wise step that can split samples (<see cref="SampleSplit.Blocks"/>): this worker's
        /// share of the samples, and this part's floats [start, start + length) of each, in whole 64-float blocks.
        /// </summary>
        protected static IDisposable BlockSampleMethod(SourceWriter w, string name, string summary, int length, StepBody body = StepBody.ElementLoops)
        {
            var block = OpenSampleMethod(w, name + "(int worker, int part, int parts)", summary, body);
            w.Line("var (start, length) = global::ConvGen.Threading.Partition.Block(" + I(length) + ", part, parts); // this part's floats of each sample, in whole 64-float blocks");
            return block;
        }

        /// <summary>The doc comment, <c>private void <paramref name="signature"/></c>, and this worker's share of the samples.</summary>
        private static IDisposable OpenSampleMethod(SourceWriter w, string signature, string summary, StepBody body)
        {
            Doc(w, summary, body);
            var block = w.Block("private void " + signature);
            w.Line("var (first, end) = global::ConvGen.Threading.Partition.Range(_batch, worker, _workers);");
            return block;
        }

        /// <summary>Opens a method that splits its work itself.</summary>
        protected static IDisposable PlainMethod(SourceWriter w, string name, string summary, StepBody body = StepBody.ElementLoops)
        {
            Doc(w, summary, body);
            return w.Block("private void " + name + "(int worker)");
        }

        /// <summary>
        /// Opens a method whose work is split by <paramref name="count"/> items (units, channels) rather than samples, for a
        /// step that can split samples too: the items go to the workers, or to the parts of one worker's samples (<see cref="SampleSplit"/>: one of the two counts is always 1).
        /// </summary>
        protected static IDisposable SplitRangeMethod(SourceWriter w, string name, string summary, int count, string start, string end)
        {
            Doc(w, summary);
            var block = w.Block("private void " + name + "(int worker, int part, int parts)");
            w.Line("// this worker's items, or this part's when the one worker's samples split");
            w.Line("var (" + start + ", " + end + ") = global::ConvGen.Threading.Partition.Range(" + I(count) + ", worker * parts + part, _workers * parts);");
            return block;
        }

        protected static string ActivationLiteral(Activation kind) => RuntimeText.Activation(kind);

        protected static string I(long value) => Literals.Int(value);

        /// <summary>A blank line, the method's doc comment, and <see cref="HotPath.Attribute"/> unless the body only calls kernels.</summary>
        protected static void Doc(SourceWriter w, string summary, StepBody body = StepBody.ElementLoops)
        {
            w.Line();
            w.Line("/// <summary>" + Xml(summary) + "</summary>");
            if (body == StepBody.ElementLoops)
            {
                w.Line(HotPath.Attribute);
            }
        }

        private static string Xml(string text) => SummaryTable.EscapeXml(text);
    }
}
