using System.Collections.Generic;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>Everything the emitters need to know about one layer: its model, shapes, member names, value views and tensors.</summary>
    internal sealed class LayerPlan
    {
        private readonly Dictionary<string, string> _members = new(System.StringComparer.Ordinal);

        public LayerPlan(int index, LayerModel layer, LayerShape shape, string stem)
        {
            Index = index;
            Layer = layer;
            Shape = shape;
            Stem = stem;
        }

        public int Index { get; }

        public LayerModel Layer { get; }

        /// <summary>The layer's kind: its storage, tensors, emitter and description.</summary>
        public LayerKind Kind => LayerKinds.Of(Layer);

        public LayerShape Shape { get; }

        /// <summary>The PascalCase stem the layer's member names are built from (<c>Conv1</c>); claimed names may differ.</summary>
        public string Stem { get; }

        public int InLength => (int)Shape.In.Length;

        public int OutLength => (int)Shape.Out.Length;

        /// <summary>Where each input's activations live, in <see cref="LayerModel.Inputs"/> order.</summary>
        public List<ValueView> Inputs { get; } = new();

        /// <summary>The shape of each input, in <see cref="LayerModel.Inputs"/> order.</summary>
        public List<Shape> InputShapes { get; } = new();

        /// <summary>The first (for all but merges, the only) input.</summary>
        public ValueView Input => Inputs[0];

        /// <summary>Where this layer's output activations live: a field of its own, its input's (Flatten), or a Concat's channel slice.</summary>
        public ValueView Output { get; set; } = ValueView.Whole("_input", 1);

        /// <summary>For Dense with a fused softmax: where the pre-softmax logits go.</summary>
        public ValueView? Logits { get; set; }

        /// <summary>∂L/∂output: complete (every reader has contributed) when this layer's backward runs; the step may overwrite it.</summary>
        public ValueView OutputGradient { get; set; } = ValueView.Whole("_input", 1);

        /// <summary>False for a layer the network output does not depend on ("computed but never read"): it has no backward steps.</summary>
        public bool HasBackward { get; set; }

        /// <summary>∂L/∂(each input), in <see cref="LayerModel.Inputs"/> order.</summary>
        public List<InputGradient> InputGradients { get; } = new();

        /// <summary>Gradient regions to clear before this layer's backward step (several partial contributions add up there).</summary>
        public List<ValueView> ClearBeforeBackward { get; } = new();

        /// <summary>For a Concat: which inputs write straight into their channel slice (the rest are copied).</summary>
        public List<bool> WritesInPlace { get; } = new();

        public TensorPlan? Weight { get; set; }

        public TensorPlan? Bias { get; set; }

        public TensorPlan? RunningMean { get; set; }

        public TensorPlan? RunningVariance { get; set; }

        /// <summary>Where this layer's weight (then bias) gradients start in each worker's private accumulator, or -1.</summary>
        public int LocalGradientOffset { get; set; } = -1;

        /// <summary>On a Conv2D: the BatchNorm2D that inference folds into this conv's output.</summary>
        public LayerPlan? FoldedBatchNorm { get; set; }

        /// <summary>
        /// On a Conv2D with a <see cref="FoldedBatchNorm"/>: the activation layer that alone reads that BatchNorm, which
        /// inference applies in the conv's epilogue too (the conv then writes the activation's output).
        /// </summary>
        public LayerPlan? FoldedActivation { get; set; }

        /// <summary>
        /// On a Conv2D with a <see cref="FoldedBatchNorm"/>: the two-input Add that alone reads that BatchNorm, which inference
        /// computes in the conv's epilogue too (the conv then adds <see cref="Residual"/>, applies the Add's activation and
        /// writes the Add's output), as ONNX Runtime fuses ResNet's residual sums into its convs.
        /// </summary>
        public LayerPlan? FoldedAdd { get; set; }

        /// <summary>On a conv with a <see cref="FoldedAdd"/>: the position among the Add's inputs of the other one, the residual.</summary>
        public int ResidualSlot { get; set; } = -1;

        /// <summary>On a conv with a <see cref="FoldedAdd"/>: where the residual its epilogue adds lives.</summary>
        public ValueView Residual => FoldedAdd!.Inputs[ResidualSlot];

        /// <summary>On a conv with a <see cref="FoldedAdd"/>: the name of the residual.</summary>
        public string ResidualValue => FoldedAdd!.Layer.Inputs[ResidualSlot];

        /// <summary>On a BatchNorm2D, an activation layer or an Add: true when inference folds it into a conv before it.</summary>
        public bool IsFolded => FoldedInto is not null;

        public LayerPlan? FoldedInto { get; set; }

        /// <summary>The one-line description heading the layer's code and its steps (<see cref="EmitComments"/>).</summary>
        public string Comment { get; set; } = string.Empty;

        /// <summary>The claimed name of this layer's member with <paramref name="suffix"/> (<c>Forward</c> → <c>Conv1Forward</c>).</summary>
        public string Member(string suffix) => _members.TryGetValue(suffix, out var name)
            ? name
            : throw new System.InvalidOperationException("No member '" + suffix + "' was reserved for " + Layer.Name);

        /// <summary>The claimed name of this layer's field with <paramref name="suffix"/> (<c>Out</c> → <c>_conv1Out</c>).</summary>
        public string Field(string suffix) => Member("_" + suffix);

        /// <summary>Claims this layer's members (step methods with their dispatcher constants, helpers, fields, constants) in one scope.</summary>
        public void Reserve(ReservedNames names, LayerMembers members)
        {
            foreach (var suffix in members.Steps)
            {
                _members[suffix] = names.ClaimStep(Stem + suffix);
            }

            foreach (var suffix in members.Others)
            {
                _members[suffix] = names.Claim(Stem + suffix);
            }

            foreach (var suffix in members.Fields)
            {
                _members["_" + suffix] = names.Claim("_" + char.ToLowerInvariant(Stem[0]) + Stem.Substring(1) + suffix);
            }
        }
    }
}
