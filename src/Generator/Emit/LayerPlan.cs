using ConvGen.Generator.Analysis;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>Everything the emitters need to know about one layer: its model, shapes, identifiers, buffers and tensors.</summary>
    internal sealed class LayerPlan
    {
        public LayerPlan(int index, LayerModel layer, LayerShape shape, string id)
        {
            Index = index;
            Layer = layer;
            Shape = shape;
            Id = id;
        }

        public int Index { get; }

        public LayerModel Layer { get; }

        public LayerShape Shape { get; }

        /// <summary>The PascalCase identifier stem: <c>Conv1</c> → <c>Conv1Forward</c>, <c>_conv1Out</c>.</summary>
        public string Id { get; }

        public int InLength => (int)Shape.In.Length;

        public int OutLength => (int)Shape.Out.Length;

        /// <summary>The field holding this layer's input activations (batch × <see cref="InLength"/>).</summary>
        public string InputBuffer { get; set; } = "_input";

        /// <summary>The field holding this layer's output activations; Flatten shares its input's.</summary>
        public string OutputBuffer { get; set; } = "_input";

        /// <summary>For Dense with a fused softmax: where the pre-softmax logits go.</summary>
        public string? LogitBuffer { get; set; }

        public TensorPlan? Weight { get; set; }

        public TensorPlan? Bias { get; set; }

        public TensorPlan? RunningMean { get; set; }

        public TensorPlan? RunningVariance { get; set; }

        /// <summary>Where this layer's weight (then bias) gradients start in each worker's private accumulator, or -1.</summary>
        public int LocalGradientOffset { get; set; } = -1;

        /// <summary>The generated constant naming <see cref="LocalGradientOffset"/>, e.g. <c>Conv1LocalGradients</c>.</summary>
        public string LocalGradientConstant => Id + "LocalGradients";

        /// <summary>On a Conv2D: the BatchNorm2D that inference folds into this conv's output.</summary>
        public LayerPlan? FoldedBatchNorm { get; set; }

        /// <summary>On a BatchNorm2D: true when inference folds it into the preceding conv.</summary>
        public bool IsFolded => FoldedInto is not null;

        public LayerPlan? FoldedInto { get; set; }

        /// <summary>True for the layer that reads the network input (its input gradient is only computed on request).</summary>
        public bool ReadsNetworkInput => InputBuffer == "_input";

        public string Comment => EmitComments.Describe(this);

        public string Field(string suffix) => "_" + char.ToLowerInvariant(Id[0]) + Id.Substring(1) + suffix;
    }
}
