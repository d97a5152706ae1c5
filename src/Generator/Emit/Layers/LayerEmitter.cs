using System;
using System.Collections.Generic;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>Emits one kind of layer: its forward and backward steps and the methods behind them.</summary>
    internal abstract class LayerEmitter
    {
        protected const string Kernels = "global::ConvGen.Kernels";

        public static LayerEmitter For(LayerModel layer) => layer switch
        {
            Conv2DLayer => ConvEmitter.Instance,
            Pool2DLayer => PoolEmitter.Instance,
            GlobalAvgPool2DLayer => PoolEmitter.Instance,
            DenseLayer => DenseEmitter.Instance,
            FlattenLayer => FlattenEmitter.Instance,
            ActivationLayer or SoftmaxLayer or DropoutLayer => ElementwiseEmitter.Instance,
            BatchNorm2DLayer => BatchNormEmitter.Instance,
            _ => throw new InvalidOperationException("No emitter for " + layer.Kind),
        };

        /// <summary>The forward steps; <paramref name="training"/> selects training behaviour (batch statistics, dropout, no folding).</summary>
        public abstract IEnumerable<Step> Forward(LayerPlan lp, bool training);

        /// <summary>The backward steps, ∂L/∂output in <c>_dy</c>; <paramref name="fromLogits"/> skips a trailing softmax whose gradient the loss already gave.</summary>
        public abstract IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits);

        /// <summary>Writes the private methods the steps name.</summary>
        public abstract void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan);

        /// <summary>Opens the method of one step: doc comment, signature, and this worker's share of the samples.</summary>
        protected static IDisposable SampleMethod(SourceWriter w, string name, string summary)
        {
            Doc(w, summary);
            var block = w.Block("private void " + name + "(int worker)");
            w.Line("var (first, end) = global::ConvGen.Threading.Partition.Range(_batch, worker, _workers);");
            return block;
        }

        /// <summary>Opens a method that splits its work itself.</summary>
        protected static IDisposable PlainMethod(SourceWriter w, string name, string summary)
        {
            Doc(w, summary);
            return w.Block("private void " + name + "(int worker)");
        }

        /// <summary>Opens a method whose work is split by <paramref name="count"/> items (units, channels) rather than samples.</summary>
        protected static IDisposable RangeMethod(SourceWriter w, string name, string summary, string count, string start, string end)
        {
            Doc(w, summary);
            var block = w.Block("private void " + name + "(int worker)");
            w.Line("var (" + start + ", " + end + ") = global::ConvGen.Threading.Partition.Range(" + count + ", worker, _workers);");
            return block;
        }

        protected static string Slice(string buffer, string length) => buffer + ".AsSpan(n * " + length + ", " + length + ")";

        protected static string Parameter(TensorPlan tensor) => "_parameters.AsSpan(" + tensor.Constant + ", " + Literals.Int(tensor.Length) + ")";

        protected static string Activation(ActivationKind kind) => "global::ConvGen.Activation." + kind;

        protected static string I(long value) => Literals.Int(value);

        /// <summary>A blank line, then the method's doc comment.</summary>
        protected static void Doc(SourceWriter w, string summary)
        {
            w.Line();
            w.Line("/// <summary>" + Xml(summary) + "</summary>");
        }

        private static string Xml(string text) => SummaryTable.EscapeXml(text);
    }
}
