using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Onnx.Protobuf;
using ConvGen.Serialization;
using Google.Protobuf;

namespace ConvGen.Onnx
{
    /// <summary>Turns a <see cref="NetworkDescription"/> and its tensors into an ONNX model (IR 8, opset 17) in inference form.</summary>
    internal sealed class OnnxModelBuilder
    {
        public const long IrVersion = 8;
        public const long Opset = 17;
        public const string OutputName = "output";
        public const string BatchDimension = "N";

        private readonly NetworkDescription _network;
        private readonly Dictionary<string, SafeTensor> _tensors;
        private readonly GraphProto _graph;

        /// <summary>The ONNX value holding each layer's output (Dropout's is its input's).</summary>
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal) { [NetworkDescription.InputName] = NetworkDescription.InputName };

        private OnnxModelBuilder(NetworkDescription network, Dictionary<string, SafeTensor> tensors, string graphName)
        {
            _network = network;
            _tensors = tensors;
            _graph = new GraphProto { Name = graphName };
        }

        /// <summary>Builds the model; every tensor a layer needs must be among <paramref name="tensors"/>, as F32 with the layer's shape.</summary>
        public static ModelProto Build(NetworkDescription network, IEnumerable<SafeTensor> tensors, string graphName)
        {
            ArgumentNullException.ThrowIfNull(network);
            ArgumentNullException.ThrowIfNull(tensors);
            var builder = new OnnxModelBuilder(network, tensors.ToDictionary(t => t.Name, StringComparer.Ordinal), graphName);
            builder.AddGraph();
            return new ModelProto
            {
                IrVersion = IrVersion,
                ProducerName = "ConvGen",
                ProducerVersion = typeof(OnnxModelBuilder).Assembly.GetName().Version?.ToString() ?? "0",
                Graph = builder._graph,
                OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
            };
        }

        private void AddGraph()
        {
            _graph.Input.Add(ValueInfo(NetworkDescription.InputName, new[] { _network.InputChannels, _network.InputHeight, _network.InputWidth }));
            var last = _network.Layers[^1];
            foreach (var layer in _network.Layers)
            {
                AddLayer(layer, layer == last ? OutputName : ValueName(layer.Name));
            }

            if (_values[last.Name] != OutputName)
            {
                // The network ends in a layer that writes no node of its own (Dropout): name its value the output.
                Node("Identity", last.Name + "/output", new[] { _values[last.Name] }, OutputName);
            }

            _graph.Output.Add(ValueInfo(OutputName, last.OutputShape));
        }

        /// <summary>A layer's value name: its own, unless a layer is called "output" without being the last.</summary>
        private static string ValueName(string layer) => layer == OutputName ? layer + "/value" : layer;

        private void AddLayer(LayerDescription layer, string output)
        {
            var inputs = layer.Inputs.Select(i => _values[i]).ToArray();
            _values[layer.Name] = output;
            switch (layer)
            {
                case ConvDescription conv:
                    AddConv(conv, inputs[0], output);
                    break;
                case BatchNormDescription bn:
                    Node("BatchNormalization", bn.Name, inputs.Concat(Initializers(bn)).ToArray(), output,
                        Float("epsilon", bn.Epsilon), Float("momentum", 1 - bn.Momentum));
                    break;
                case PoolDescription pool when pool.Function == PoolFunction.Max:
                    Node("MaxPool", pool.Name, inputs, output, PoolAttributes(pool));
                    break;
                case PoolDescription pool:
                    Node("AveragePool", pool.Name, inputs, output, PoolAttributes(pool).Append(Int("count_include_pad", 1)).ToArray());
                    break;
                case GlobalAvgPoolDescription gap:
                    Node("GlobalAveragePool", gap.Name, inputs, output);
                    break;
                case FlattenDescription flatten:
                    Node("Flatten", flatten.Name, inputs, output, Int("axis", 1));
                    break;
                case DenseDescription dense:
                    var z = Activated(dense.Activation, dense.Name, output);
                    Node("Gemm", dense.Name, inputs.Concat(Initializers(dense)).ToArray(), z, Int("transB", 1));
                    Activate(dense.Activation, dense.Name, z, output);
                    break;
                case ActivationDescription activation:
                    AddActivation(activation.Function, activation.Slope, activation.Name, inputs[0], output);
                    break;
                case DropoutDescription:
                    _values[layer.Name] = inputs[0];
                    break;
                case AddDescription add:
                    var sum = Activated(add.Activation, add.Name, output);
                    Node(inputs.Length == 2 ? "Add" : "Sum", add.Name, inputs, sum);
                    Activate(add.Activation, add.Name, sum, output);
                    break;
                case ConcatDescription concat:
                    Node("Concat", concat.Name, inputs, output, Int("axis", 1));
                    break;
                default:
                    throw new NotSupportedException($"Layer '{layer.Name}' ({layer.Kind}) has no ONNX form.");
            }
        }

        private void AddConv(ConvDescription conv, string input, string output)
        {
            var p = conv.Padding;
            var z = Activated(conv.Activation, conv.Name, output);
            Node("Conv", conv.Name, new[] { input }.Concat(Initializers(conv)).ToArray(), z,
                Ints("kernel_shape", conv.KernelHeight, conv.KernelWidth),
                Ints("strides", conv.StrideHeight, conv.StrideWidth),
                Ints("pads", p.Top, p.Left, p.Bottom, p.Right),
                Ints("dilations", conv.Dilation, conv.Dilation),
                Int("group", conv.Groups));
            Activate(conv.Activation, conv.Name, z, output);
        }

        private static AttributeProto[] PoolAttributes(PoolDescription pool) => new[]
        {
            Ints("kernel_shape", pool.Size, pool.Size),
            Ints("strides", pool.Stride, pool.Stride),
            Ints("pads", pool.Padding, pool.Padding, pool.Padding, pool.Padding),
            Int("ceil_mode", pool.CeilMode ? 1 : 0),
        };

        /// <summary>Where a layer with a fused activation writes before the activation: its own output when there is none.</summary>
        private static string Activated(Activation activation, string layer, string output) =>
            activation == Activation.None ? output : layer + "/preactivation";

        private void Activate(Activation activation, string layer, string input, string output)
        {
            var function = activation switch
            {
                Activation.None => (ActivationFunction?)null,
                Activation.ReLU => ActivationFunction.ReLU,
                Activation.Tanh => ActivationFunction.Tanh,
                Activation.Sigmoid => ActivationFunction.Sigmoid,
                Activation.Softmax => ActivationFunction.Softmax,
                Activation.ReLU6 => ActivationFunction.ReLU6,
                _ => throw new NotSupportedException($"Layer '{layer}' has activation {activation}, which has no ONNX form here."),
            };
            if (function is { } f)
            {
                AddActivation(f, 0, layer + "/" + f, input, output);
            }
        }

        private void AddActivation(ActivationFunction function, float slope, string name, string input, string output)
        {
            switch (function)
            {
                case ActivationFunction.ReLU:
                    Node("Relu", name, new[] { input }, output);
                    break;
                case ActivationFunction.LeakyReLU:
                    Node("LeakyRelu", name, new[] { input }, output, Float("alpha", slope));
                    break;
                case ActivationFunction.Tanh:
                    Node("Tanh", name, new[] { input }, output);
                    break;
                case ActivationFunction.Sigmoid:
                    Node("Sigmoid", name, new[] { input }, output);
                    break;
                case ActivationFunction.Softmax:
                    Node("Softmax", name, new[] { input }, output, Int("axis", 1));
                    break;
                case ActivationFunction.ReLU6:
                    Node("Clip", name, new[] { input, Scalar(name + "/min", 0f), Scalar(name + "/max", 6f) }, output);
                    break;
                case ActivationFunction.Swish:
                    // ONNX (opset 17) has no Swish/SiLU operator: x·σ(x) as Sigmoid then Mul.
                    Node("Sigmoid", name + "/sigmoid", new[] { input }, name + "/sigmoid");
                    Node("Mul", name, new[] { input, name + "/sigmoid" }, output);
                    break;
                default:
                    throw new NotSupportedException($"Layer '{name}' has activation {function}, which has no ONNX form here.");
            }
        }

        /// <summary>A float scalar initializer named <paramref name="name"/> (an operator input such as Clip's bounds); returns its name.</summary>
        private string Scalar(string name, float value)
        {
            var initializer = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
            initializer.FloatData.Add(value);
            _graph.Initializer.Add(initializer);
            return name;
        }

        /// <summary>Adds the layer's tensors as initializers (once each) and returns their names.</summary>
        private IEnumerable<string> Initializers(LayerDescription layer)
        {
            foreach (var name in layer.TensorNames)
            {
                if (!_tensors.TryGetValue(name, out var tensor))
                {
                    throw new ArgumentException($"Layer '{layer.Name}' needs tensor '{name}', which the network does not have.");
                }

                if (tensor.DType != SafeTensorDType.F32)
                {
                    throw new ArgumentException($"Tensor '{name}' has dtype {tensor.DType}; ONNX export writes F32 tensors.");
                }

                var initializer = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(tensor.Data) };
                initializer.Dims.AddRange(tensor.Shape.Select(d => (long)d));
                _graph.Initializer.Add(initializer);
                yield return name;
            }
        }

        private void Node(string op, string name, string[] inputs, string output, params AttributeProto[] attributes)
        {
            var node = new NodeProto { OpType = op, Name = name, Output = { output } };
            node.Input.AddRange(inputs);
            node.Attribute.AddRange(attributes);
            _graph.Node.Add(node);
        }

        private static ValueInfoProto ValueInfo(string name, IReadOnlyList<int> shape)
        {
            var tensorShape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = BatchDimension } } };
            tensorShape.Dim.AddRange(shape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
            };
        }

        private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

        private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

        private static AttributeProto Ints(string name, params long[] values)
        {
            var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.AddRange(values);
            return attribute;
        }
    }
}
