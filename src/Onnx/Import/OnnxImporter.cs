using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Onnx.Protobuf;
using ConvGen.Serialization;

namespace ConvGen.Onnx
{
    /// <summary>
    /// Reads an ONNX CNN into a <see cref="NetworkDescription"/> plus its weights under ConvGen's parameter names. Every node is
    /// checked; all that ConvGen cannot express are reported together in one <see cref="OnnxImportException"/>.
    /// </summary>
    internal sealed partial class OnnxImporter
    {
        private readonly ModelProto _model;
        private readonly string _source;
        private readonly long _opset;
        private readonly Dictionary<string, ConstantTensor> _constants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _readers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _poisoned = new(StringComparer.Ordinal);
        private readonly List<LayerDescription> _layers = new();
        private readonly List<SafeTensor> _tensors = new();
        private readonly HashSet<string> _names = new(StringComparer.Ordinal) { NetworkDescription.InputName };
        private readonly LayerNames _defaults = new();
        private readonly List<UnsupportedNode> _unsupported = new();

        private OnnxImporter(ModelProto model, string source)
        {
            _model = model;
            _source = source;
            _opset = model.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain)).Select(o => o.Version).DefaultIfEmpty(0).Max();
        }

        /// <summary>Reads and converts the model at <paramref name="path"/>.</summary>
        public static ImportedNetwork Import(string path) => Import(OnnxFile.Read(path), path);

        /// <summary>Converts <paramref name="model"/>; <paramref name="source"/> names it in messages.</summary>
        public static ImportedNetwork Import(ModelProto model, string source)
        {
            if (model.Graph is null)
            {
                throw new OnnxImportException($"'{source}' has no graph.");
            }

            return new OnnxImporter(model, source).Run();
        }

        /// <summary>The value an ONNX name holds: a layer's output (or the network input) and its per-sample shape.</summary>
        /// <param name="Layer">The layer (or <see cref="NetworkDescription.InputName"/>) whose output this is.</param>
        /// <param name="Shape">Its shape per sample: [C, H, W] or [features].</param>
        /// <param name="Direct">Whether this ONNX value is that layer's own output rather than an alias of it.</param>
        /// <param name="PendingPad">Zero padding a <c>Pad</c> node asked for, to be folded into the conv or pooling that reads it.</param>
        private sealed record Value(string Layer, IReadOnlyList<int> Shape, bool Direct, Padding2D? PendingPad = null)
        {
            public bool IsSpatial => Shape.Count == 3;

            public int Features => Shape.Aggregate(1, (a, b) => a * b);

            public string ShapeText => string.Join("×", Shape);
        }

        /// <summary>Thrown by a node's handler to report it as unsupported.</summary>
        private sealed class Unsupported(string reason) : Exception(reason);

        private ImportedNetwork Run()
        {
            var graph = _model.Graph;
            foreach (var initializer in graph.Initializer)
            {
                _constants[initializer.Name] = ConstantTensor.Decode(initializer, "Initializer");
            }

            var (input, channels, height, width) = ReadInput(graph);
            _values[input] = new Value(NetworkDescription.InputName, new[] { channels, height, width }, Direct: true);
            if (graph.Output.Count != 1)
            {
                throw new OnnxImportException($"'{_source}' has {graph.Output.Count} outputs; a ConvGen network has exactly one.");
            }

            var output = graph.Output[0].Name;
            var nodes = NodesFor(graph, output);
            foreach (var node in nodes)
            {
                foreach (var name in node.Input.Where(n => n.Length > 0))
                {
                    _readers[name] = _readers.GetValueOrDefault(name) + 1;
                }
            }

            _readers[output] = _readers.GetValueOrDefault(output) + 1;
            foreach (var node in nodes)
            {
                Convert(node);
            }

            if (_unsupported.Count > 0)
            {
                throw new OnnxImportException(_source, _unsupported);
            }

            if (!_values.TryGetValue(output, out var result) || result.Layer == NetworkDescription.InputName || result.PendingPad is not null)
            {
                throw new OnnxImportException($"'{_source}': output '{output}' is not computed by any layer ConvGen can express.");
            }

            var description = new NetworkDescription(channels, height, width, _layers);
            return new ImportedNetwork(description, _tensors, _source);
        }

        /// <summary>The graph's one real input (not an initializer), which must be FLOAT [N, C, H, W] with C, H and W fixed.</summary>
        private (string Name, int Channels, int Height, int Width) ReadInput(GraphProto graph)
        {
            var inputs = graph.Input.Where(i => !_constants.ContainsKey(i.Name)).ToList();
            if (inputs.Count != 1)
            {
                throw new OnnxImportException(
                    $"'{_source}' has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => "'" + i.Name + "'"))}); a ConvGen network has exactly one image input.");
            }

            var input = inputs[0];
            var tensor = input.Type?.TensorType;
            if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
            {
                throw new OnnxImportException($"'{_source}': input '{input.Name}' is not a FLOAT tensor; ConvGen networks read float images.");
            }

            var dims = tensor.Shape?.Dim;
            if (dims is null || dims.Count != 4)
            {
                throw new OnnxImportException(
                    $"'{_source}': input '{input.Name}' has {(dims is null ? "no shape" : $"rank {dims.Count}")}; ConvGen reads images [N, C, H, W].");
            }

            var sizes = new int[3];
            string[] axes = { "channels", "height", "width" };
            for (var axis = 1; axis < 4; axis++)
            {
                var dim = dims[axis];
                if (dim.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dim.DimValue <= 0 || dim.DimValue > int.MaxValue)
                {
                    var what = dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam
                        ? $"a symbolic {axes[axis - 1]} ('{dim.DimParam}')"
                        : $"no fixed {axes[axis - 1]}";
                    throw new OnnxImportException(
                        $"'{_source}': input '{input.Name}' has {what}; ConvGen compiles for one input size, so C, H and W must be fixed " +
                        "(export with a concrete input shape; only the batch axis may be dynamic).");
                }

                sizes[axis - 1] = (int)dim.DimValue;
            }

            return (input.Name, sizes[0], sizes[1], sizes[2]);
        }

        /// <summary>The nodes the output depends on, in file order (ONNX requires a topological order); nodes nobody reads are dropped.</summary>
        private static List<NodeProto> NodesFor(GraphProto graph, string output)
        {
            var producer = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
            foreach (var node in graph.Node)
            {
                foreach (var name in node.Output.Where(n => n.Length > 0))
                {
                    producer[name] = node;
                }
            }

            var needed = new HashSet<NodeProto>();
            var pending = new Stack<string>(new[] { output });
            while (pending.Count > 0)
            {
                if (producer.TryGetValue(pending.Pop(), out var node) && needed.Add(node))
                {
                    foreach (var name in node.Input.Where(n => n.Length > 0))
                    {
                        pending.Push(name);
                    }
                }
            }

            return graph.Node.Where(needed.Contains).ToList();
        }

        private void Convert(NodeProto node)
        {
            var name = string.IsNullOrEmpty(node.Name) ? "(unnamed)" : node.Name;
            try
            {
                if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
                {
                    throw new Unsupported($"operator from domain '{node.Domain}'; ConvGen reads only the standard ONNX operators");
                }

                if (!Handlers.ContainsKey(node.OpType))
                {
                    throw new Unsupported("ConvGen has no layer for this operator");
                }

                if (node.Input.Any(_poisoned.Contains))
                {
                    // Reads a value that could not be converted: already reported there.
                    Poison(node);
                    return;
                }

                Handlers[node.OpType](this, node);
            }
            catch (Unsupported e)
            {
                _unsupported.Add(new UnsupportedNode(node.OpType, name, e.Message));
                Poison(node);
            }
        }

        private void Poison(NodeProto node)
        {
            foreach (var output in node.Output)
            {
                _poisoned.Add(output);
            }
        }
    }
}
