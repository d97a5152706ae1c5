using System;
using System.Collections.Generic;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// The layout decisions behind the generated class: the flat parameter and buffer storage (PyTorch order and layouts),
    /// one activation field per layer, the per-worker scratch sizes, and which BatchNorm layers inference folds into a conv.
    /// </summary>
    internal sealed class NetworkPlan
    {
        private NetworkPlan(NetworkModel model, NetworkAnalysis analysis)
        {
            Model = model;
            Analysis = analysis;
        }

        public NetworkModel Model { get; }

        public NetworkAnalysis Analysis { get; }

        public List<LayerPlan> Layers { get; } = new();

        public List<TensorPlan> Parameters { get; } = new();

        public List<TensorPlan> Buffers { get; } = new();

        public int ParameterLength { get; private set; }

        public int BufferLength { get; private set; }

        /// <summary>Floats of conv gradients each worker accumulates privately before the fixed-order reduction.</summary>
        public int LocalGradientLength { get; private set; }

        /// <summary>The largest im2col matrix (floats) of any conv; 0 when there is none.</summary>
        public int ColumnLength { get; private set; }

        /// <summary>The largest activation of one sample, input included: the size of the gradient ping-pong buffers.</summary>
        public int MaxActivationLength { get; private set; }

        public int InputLength => (int)Model.Input.Length;

        public int OutputLength => Layers.Count == 0 ? InputLength : Layers[Layers.Count - 1].OutLength;

        public string OutputBuffer => Layers.Count == 0 ? "_input" : Layers[Layers.Count - 1].OutputBuffer;

        /// <summary>True when training and inference run different code (BatchNorm statistics, Dropout).</summary>
        public bool HasTrainingBehaviour => Layers.Exists(l => l.Layer is BatchNorm2DLayer or DropoutLayer);

        public bool HasDropout => Layers.Exists(l => l.Layer is DropoutLayer);

        /// <summary>The softmax that ends the network (a [Softmax] layer or Dense with Activation.Softmax), if any.</summary>
        public bool EndsWithSoftmax =>
            Layers.Count > 0 && Layers[Layers.Count - 1].Layer is SoftmaxLayer or DenseLayer { Activation: ActivationKind.Softmax };

        public static NetworkPlan Create(NetworkModel model, NetworkAnalysis analysis)
        {
            var plan = new NetworkPlan(model, analysis);
            var names = new ReservedNames();
            var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
            plan.MaxActivationLength = plan.InputLength;
            for (var i = 0; i < model.Layers.Count; i++)
            {
                var layer = model.Layers[i];
                var lp = new LayerPlan(i, layer, analysis.Layers[i], names.Pascal(layer.Name));
                lp.InputBuffer = layer.Input == LayerModel.NetworkInput ? "_input" : outputs[layer.Input];
                lp.OutputBuffer = layer is FlattenLayer ? lp.InputBuffer : lp.Field("Out");
                if (layer is DenseLayer { Activation: ActivationKind.Softmax })
                {
                    lp.LogitBuffer = lp.Field("Logits");
                }

                outputs[layer.Name] = lp.OutputBuffer;
                plan.MaxActivationLength = Math.Max(plan.MaxActivationLength, lp.OutLength);
                plan.AddTensors(lp);
                plan.Layers.Add(lp);
            }

            plan.FoldBatchNorms();
            return plan;
        }

        private void AddTensors(LayerPlan lp)
        {
            var shape = lp.Shape;
            switch (lp.Layer)
            {
                case Conv2DLayer conv:
                    var inPerGroup = shape.In.Channels / conv.Groups;
                    var fanIn = inPerGroup * conv.KernelHeight * conv.KernelWidth;
                    lp.Weight = AddParameter(lp, "weight", new[] { conv.Filters, inPerGroup, conv.KernelHeight, conv.KernelWidth }, TensorInit.FanInUniform, fanIn);
                    lp.Bias = conv.Bias ? AddParameter(lp, "bias", new[] { conv.Filters }, TensorInit.FanInUniform, fanIn) : null;
                    lp.LocalGradientOffset = LocalGradientLength;
                    LocalGradientLength += lp.Weight.Length + (lp.Bias?.Length ?? 0);
                    var columns = fanIn * shape.Out.Height * shape.Out.Width;
                    ColumnLength = Math.Max(ColumnLength, columns);
                    break;
                case DenseLayer dense:
                    var inputs = shape.In.Channels;
                    lp.Weight = AddParameter(lp, "weight", new[] { dense.Units, inputs }, TensorInit.FanInUniform, inputs);
                    lp.Bias = dense.Bias ? AddParameter(lp, "bias", new[] { dense.Units }, TensorInit.FanInUniform, inputs) : null;
                    break;
                case BatchNorm2DLayer:
                    var channels = shape.In.Channels;
                    lp.Weight = AddParameter(lp, "weight", new[] { channels }, TensorInit.Ones, 0);
                    lp.Bias = AddParameter(lp, "bias", new[] { channels }, TensorInit.Zeros, 0);
                    lp.RunningMean = AddBuffer(lp, "running_mean", channels, TensorInit.Zeros);
                    lp.RunningVariance = AddBuffer(lp, "running_var", channels, TensorInit.Ones);
                    break;
            }
        }

        /// <summary>In inference, a BatchNorm2D that directly follows a conv without activation becomes that conv's per-channel scale and shift.</summary>
        private void FoldBatchNorms()
        {
            for (var i = 1; i < Layers.Count; i++)
            {
                var bn = Layers[i];
                var conv = Layers[i - 1];
                if (bn.Layer is BatchNorm2DLayer && conv.Layer is Conv2DLayer { Activation: ActivationKind.None } && bn.InputBuffer == conv.OutputBuffer)
                {
                    conv.FoldedBatchNorm = bn;
                    bn.FoldedInto = conv;
                }
            }
        }

        private TensorPlan AddParameter(LayerPlan lp, string suffix, int[] shape, TensorInit init, int fanIn)
        {
            var tensor = new TensorPlan(lp.Layer.Name + "." + suffix, lp.Id + Pascal(suffix), shape, ParameterLength, init, fanIn);
            Parameters.Add(tensor);
            ParameterLength += tensor.Length;
            return tensor;
        }

        private TensorPlan AddBuffer(LayerPlan lp, string suffix, int length, TensorInit init)
        {
            var tensor = new TensorPlan(lp.Layer.Name + "." + suffix, lp.Id + Pascal(suffix), new[] { length }, BufferLength, init, 0);
            Buffers.Add(tensor);
            BufferLength += tensor.Length;
            return tensor;
        }

        private static string Pascal(string snake)
        {
            var parts = snake.Split('_');
            var result = string.Empty;
            foreach (var part in parts)
            {
                result += char.ToUpperInvariant(part[0]) + part.Substring(1);
            }

            return result;
        }
    }
}
