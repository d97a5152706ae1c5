using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// The layout decisions behind the generated class: the flat parameter and buffer storage (PyTorch order and layouts),
    /// where each value's activations live (a field of its own, its input's for Flatten, a Concat's channel slice when the
    /// producer can write there directly), the gradient layout (<see cref="GradientLayout"/>), the per-worker scratch sizes,
    /// which BatchNorm layers inference folds into a conv, and every member name.
    /// </summary>
    internal sealed class NetworkPlan
    {
        private readonly Dictionary<string, LayerPlan> _byName = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ValueView> _views = new(StringComparer.Ordinal);

        /// <summary>For each value written straight into a Concat's slice: the Concat and the slice's offset in its sample.</summary>
        private readonly Dictionary<string, (LayerPlan Concat, int Offset)> _placed = new(StringComparer.Ordinal);

        private NetworkPlan(NetworkModel model, NetworkAnalysis analysis)
        {
            Model = model;
            Analysis = analysis;
            Input = ValueView.Whole("_input", InputLength);
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

        public int InputLength => (int)Model.Input.Length;

        public int OutputLength => Layers.Count == 0 ? InputLength : Layers[Layers.Count - 1].OutLength;

        /// <summary>The network input's activations.</summary>
        public ValueView Input { get; }

        /// <summary>The network output's activations (the last layer's).</summary>
        public ValueView Output => Layers.Count == 0 ? Input : Layers[Layers.Count - 1].Output;

        /// <summary>Activation fields: one per value that does not live in another's memory, plus logits and dropout masks.</summary>
        public List<(string Field, int Length, string Comment)> ActivationFields { get; } = new();

        public GradientLayout Gradients { get; private set; } = null!;

        /// <summary>True when training and inference run different code (BatchNorm statistics, Dropout).</summary>
        public bool HasTrainingBehaviour => Layers.Exists(l => l.Layer is BatchNorm2DLayer or DropoutLayer);

        public bool HasDropout => Layers.Exists(l => l.Layer is DropoutLayer);

        /// <summary>The softmax that ends the network (a [Softmax] layer or Dense with Activation.Softmax), if any.</summary>
        public bool EndsWithSoftmax =>
            Layers.Count > 0 && Layers[Layers.Count - 1].Layer is SoftmaxLayer or DenseLayer { Activation: Activation.Softmax };

        /// <summary>The layer producing <paramref name="value"/>, or null for the network input.</summary>
        public LayerPlan? Producer(string value) => value == LayerModel.NetworkInput ? null : _byName[value];

        /// <summary>The read edges of every value (network input included): (reading layer, position in its inputs), in declaration order.</summary>
        public Dictionary<string, List<(LayerPlan Reader, int Slot)>> Readers { get; } = new(StringComparer.Ordinal);

        public static NetworkPlan Create(NetworkModel model, NetworkAnalysis analysis)
        {
            var plan = new NetworkPlan(model, analysis);
            var names = new ReservedNames(model.ClassName);
            plan.Readers[LayerModel.NetworkInput] = new();
            for (var i = 0; i < model.Layers.Count; i++)
            {
                var layer = model.Layers[i];
                var lp = new LayerPlan(i, layer, analysis.Layers[i], ReservedNames.Stem(layer.Name));
                plan.Layers.Add(lp);
                plan._byName[layer.Name] = lp;
                plan.Readers[layer.Name] = new();
                for (var k = 0; k < layer.Inputs.Count; k++)
                {
                    plan.Readers[layer.Inputs[k]].Add((lp, k));
                }

                lp.Reserve(names, Storage(lp));
            }

            plan.PlaceConcatInputs();
            foreach (var lp in plan.Layers)
            {
                foreach (var input in lp.Layer.Inputs)
                {
                    lp.Inputs.Add(plan.View(input));
                    lp.InputShapes.Add(input == LayerModel.NetworkInput ? model.Input : plan._byName[input].Shape.Out);
                }

                lp.Output = plan.View(lp.Layer.Name);
                lp.Comment = EmitComments.Heading(lp, lp.Index == 0 ? null : model.Layers[lp.Index - 1].Name);
                plan.AddActivationFields(lp);
            }

            plan.FoldBatchNorms();
            plan.FoldResidualAdds();
            plan.Gradients = GradientLayout.Create(plan, names);
            foreach (var lp in plan.Layers)
            {
                lp.Reserve(names, lp.Kind.Emitter.Methods(lp));
                lp.Kind.AddTensors(lp, plan);
            }

            return plan;
        }

        /// <summary>Length of one sample of <paramref name="value"/>.</summary>
        public int Length(string value) => value == LayerModel.NetworkInput ? InputLength : _byName[value].OutLength;

        /// <summary>
        /// Decides which Concat inputs write straight into the Concat's channel slice, last Concat first (so that a Concat
        /// feeding another Concat sits in that one's slice, and its own inputs inside it): the input must be a layer's own
        /// output (not the network input, not a Flatten's alias) that no other Concat has taken. The rest are copied.
        /// </summary>
        private void PlaceConcatInputs()
        {
            // The network output must stay one piece (Forward and the loss read it whole): what a trailing Flatten shows is not placed.
            var output = Layers.Count == 0 ? LayerModel.NetworkInput : Layers[Layers.Count - 1].Layer.Name;
            while (output != LayerModel.NetworkInput && _byName[output].Layer is FlattenLayer flatten)
            {
                output = flatten.Input;
            }

            for (var i = Layers.Count - 1; i >= 0; i--)
            {
                var concat = Layers[i];
                if (concat.Layer is not ConcatLayer)
                {
                    continue;
                }

                var offset = 0;
                foreach (var input in concat.Layer.Inputs)
                {
                    var placeable = input != LayerModel.NetworkInput && input != output && _byName[input].Layer is not FlattenLayer && !_placed.ContainsKey(input);
                    if (placeable)
                    {
                        _placed[input] = (concat, offset);
                    }

                    concat.WritesInPlace.Add(placeable);
                    offset += Length(input);
                }
            }
        }

        /// <summary>Where <paramref name="value"/>'s activations live.</summary>
        public ValueView View(string value)
        {
            if (_views.TryGetValue(value, out var known))
            {
                return known;
            }

            ValueView view;
            if (value == LayerModel.NetworkInput)
            {
                view = Input;
            }
            else if (_byName[value].Layer is FlattenLayer flatten)
            {
                view = View(flatten.Input);
            }
            else if (_placed.TryGetValue(value, out var place))
            {
                view = View(place.Concat.Layer.Name).Slice(place.Offset, Length(value));
            }
            else
            {
                view = ValueView.Whole(_byName[value].Field("Out"), Length(value));
            }

            _views[value] = view;
            return view;
        }

        /// <summary>For a value written into a Concat's slice: that Concat and the offset; otherwise null.</summary>
        public (LayerPlan Concat, int Offset)? Placement(string value) => _placed.TryGetValue(value, out var place) ? place : null;

        private void AddActivationFields(LayerPlan lp)
        {
            if (lp.Layer is DenseLayer { Activation: Activation.Softmax })
            {
                lp.Logits = ValueView.Whole(lp.Field("Logits"), lp.OutLength);
                ActivationFields.Add((lp.Logits.Field, lp.OutLength, lp.Layer.Name + ": logits before the softmax"));
            }

            if (lp.Layer is not FlattenLayer && lp.Output.IsWhole && lp.Output.Field == lp.Field("Out"))
            {
                ActivationFields.Add((lp.Output.Field, lp.OutLength, lp.Layer.Name + ": " + lp.Shape.Out));
            }

            if (lp.Layer is DropoutLayer)
            {
                ActivationFields.Add((lp.Field("Mask"), lp.OutLength, lp.Layer.Name + ": the kept elements' scale, 0 where dropped"));
            }
        }

        /// <summary>The fields and constants a layer needs (reserved before the layout is planned): its output, unless it is a view, and its kind's.</summary>
        private static LayerMembers Storage(LayerPlan lp)
        {
            var members = new LayerMembers();
            if (lp.Layer is not FlattenLayer)
            {
                members.Fields.Add("Out");
            }

            lp.Kind.AddStorage(lp.Layer, members);
            return members;
        }

        /// <summary>A weight of <paramref name="shape"/> and, when <paramref name="bias"/>, a bias of its first dimension, both U(±1/√fan_in).</summary>
        public void AddWeights(LayerPlan lp, int[] shape, bool bias, int fanIn)
        {
            lp.Weight = AddParameter(lp, "weight", shape, TensorInit.FanInUniform, fanIn);
            lp.Bias = bias ? AddParameter(lp, "bias", new[] { shape[0] }, TensorInit.FanInUniform, fanIn) : null;
        }

        /// <summary>A conv's private per-worker gradient accumulator (its weight and bias) and im2col scratch of <paramref name="columns"/> floats.</summary>
        public void AddLocalGradients(LayerPlan lp, int columns)
        {
            lp.LocalGradientOffset = LocalGradientLength;
            LocalGradientLength += lp.Weight!.Length + (lp.Bias?.Length ?? 0);
            ColumnLength = Math.Max(ColumnLength, columns);
        }

        /// <summary>
        /// In inference, a BatchNorm2D that reads a conv without activation, when nothing else reads that conv, becomes
        /// that conv's per-channel scale and shift; and an activation layer (ReLU, ReLU6, Tanh, Sigmoid) that alone reads
        /// that BatchNorm becomes the conv's activation (conv → BatchNorm → ReLU, as in ResNet and GoogLeNet, is one pass).
        /// </summary>
        private void FoldBatchNorms()
        {
            foreach (var bn in Layers.Where(l => l.Layer is BatchNorm2DLayer))
            {
                if (Producer(bn.Layer.Input) is { Layer: Conv2DLayer { Activation: Activation.None } } conv && Readers[conv.Layer.Name].Count == 1)
                {
                    conv.FoldedBatchNorm = bn;
                    bn.FoldedInto = conv;
                    var readers = Readers[bn.Layer.Name];
                    if (readers.Count == 1 && readers[0].Reader is { Kind: FusableActivationKind } activation)
                    {
                        conv.FoldedActivation = activation;
                        activation.FoldedInto = conv;
                    }
                }
            }
        }

        /// <summary>
        /// In inference, a two-input Add one of whose inputs is a BatchNorm folded into a conv (without an activation), read
        /// by that Add alone, becomes the rest of that conv's epilogue: the conv adds the Add's other input (the residual)
        /// and applies the Add's activation, writing the Add's output (ResNet's conv → BatchNorm → sum → ReLU is one pass).
        /// So does an Add that alone reads a conv without activation or BatchNorm (an imported ResNet's, its BatchNorms
        /// already in the biases), in training too: nothing reads that conv's own output, in the forward or the backward.
        /// The residual must be computed before the conv runs (steps run in declaration order), and the conv must run on a
        /// kernel that adds one in its epilogue (<see cref="ConvEmitter.AddsResidual"/>). When both inputs qualify, the later
        /// conv takes the Add (the earlier one's output is then the residual).
        /// </summary>
        private void FoldResidualAdds()
        {
            foreach (var add in Layers.Where(l => l.Layer is AddLayer { Inputs.Count: 2 }))
            {
                var inputs = add.Layer.Inputs;
                if (inputs[0] == inputs[1])
                {
                    continue;
                }

                LayerPlan? chosen = null;
                var slot = -1;
                for (var k = 0; k < 2; k++)
                {
                    var other = inputs[1 - k];
                    var otherIndex = other == LayerModel.NetworkInput ? -1 : _byName[other].Index;
                    var conv = Producer(inputs[k]) switch
                    {
                        { Layer: BatchNorm2DLayer, FoldedInto: { FoldedActivation: null } folded } => folded,
                        { Layer: Conv2DLayer { Activation: Activation.None } } plain => plain,
                        _ => null,
                    };
                    if (conv is not null && Readers[inputs[k]].Count == 1 && otherIndex < conv.Index && ConvEmitter.AddsResidual(conv)
                        && (chosen is null || conv.Index > chosen.Index))
                    {
                        chosen = conv;
                        slot = 1 - k;
                    }
                }

                if (chosen is not null)
                {
                    chosen.FoldedAdd = add;
                    chosen.ResidualSlot = slot;
                    add.FoldedInto = chosen;
                }
            }
        }

        public TensorPlan AddParameter(LayerPlan lp, string suffix, int[] shape, TensorInit init, int fanIn)
        {
            var tensor = new TensorPlan(lp.Layer.Name + "." + suffix, lp.Member(Pascal(suffix)), shape, ParameterLength, init, fanIn);
            Parameters.Add(tensor);
            ParameterLength += tensor.Length;
            return tensor;
        }

        public TensorPlan AddBuffer(LayerPlan lp, string suffix, int length, TensorInit init)
        {
            var tensor = new TensorPlan(lp.Layer.Name + "." + suffix, lp.Member(Pascal(suffix)), new[] { length }, BufferLength, init, 0);
            Buffers.Add(tensor);
            BufferLength += tensor.Length;
            return tensor;
        }

        /// <summary>"running_mean" → "RunningMean": the constant naming a tensor's offset.</summary>
        public static string Pascal(string snake)
        {
            var result = string.Empty;
            foreach (var part in snake.Split('_'))
            {
                result += char.ToUpperInvariant(part[0]) + part.Substring(1);
            }

            return result;
        }
    }
}
