using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ConvGen.Onnx.Protobuf;
using ConvGen.Serialization;

namespace ConvGen.Onnx
{
    /// <summary>Reading node inputs and attributes, and recording what a node produces.</summary>
    internal sealed partial class OnnxImporter
    {
        private Value Read(NodeProto node, int index, bool allowPendingPad = false)
        {
            if (index >= node.Input.Count || node.Input[index].Length == 0)
            {
                throw new Unsupported($"input {index} is missing");
            }

            var name = node.Input[index];
            if (!_values.TryGetValue(name, out var value))
            {
                throw new Unsupported(_constants.ContainsKey(name)
                    ? $"input '{name}' is a constant where ConvGen expects a layer's output"
                    : $"input '{name}' is not produced by any node, initializer or graph input");
            }

            if (value.PendingPad is not null && !allowPendingPad)
            {
                throw new Unsupported($"it reads the output of a Pad node; ConvGen folds padding only into a Conv or AveragePool");
            }

            return value;
        }

        private Value ReadSpatial(NodeProto node, int index, bool allowPendingPad = false)
        {
            var value = Read(node, index, allowPendingPad);
            return value.IsSpatial ? value : throw new Unsupported($"it reads the flat value {value.ShapeText}; this operator needs [N, C, H, W]");
        }

        private ConstantTensor ReadConstant(NodeProto node, int index, string role)
        {
            if (index >= node.Input.Count || node.Input[index].Length == 0)
            {
                throw new Unsupported($"its {role} (input {index}) is missing");
            }

            return _constants.TryGetValue(node.Input[index], out var tensor)
                ? tensor
                : throw new Unsupported($"its {role} '{node.Input[index]}' is computed at run time; ConvGen needs it as an initializer or constant");
        }

        private static void RequireDims(ConstantTensor tensor, int length)
        {
            if (tensor.Dims.Length != 1 || tensor.Dims[0] != length || tensor.Floats is null)
            {
                throw new Unsupported($"'{tensor.Name}' {tensor.DimsText} should be {length} floats, one per channel");
            }
        }

        private static void RequireOnlyAttributes(NodeProto node, params string[] known)
        {
            var unknown = node.Attribute.Select(a => a.Name).Where(n => !known.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                throw new Unsupported($"attribute{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown)} not understood");
            }
        }

        private static float[] FloatsOf(ConstantTensor tensor) =>
            tensor.Floats ?? throw new Unsupported($"'{tensor.Name}' is an integer tensor where floats are expected");

        private static long Attribute(NodeProto node, string name, long fallback) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

        private static float Attribute(NodeProto node, string name, float fallback) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

        private static string StringAttribute(NodeProto node, string name, string fallback) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? Encoding.UTF8.GetString(a.S.Span) : fallback;

        private static long[]? Ints(NodeProto node, string name) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.Ints.ToArray() : null;

        /// <summary>A two-value attribute (height, width); <paramref name="fallback"/> for both when absent.</summary>
        private static (int A, int B) Pair(NodeProto node, string name, int fallback)
        {
            var values = Ints(node, name);
            if (values is null)
            {
                return fallback > 0 ? (fallback, fallback) : throw new Unsupported($"it has no {name}");
            }

            return values.Length == 2 && values.All(v => v is > 0 and <= int.MaxValue)
                ? ((int)values[0], (int)values[1])
                : throw new Unsupported($"{name} ({string.Join(", ", values)}) is not two positive values (height, width)");
        }

        /// <summary>A copy of a float constant under a ConvGen name, checked to hold <paramref name="dims"/>.</summary>
        private static SafeTensor Tensor(string name, ConstantTensor constant, long[] dims) =>
            SafeTensor.FromFloats(name, dims.Select(d => (int)d).ToArray(), FloatsOf(constant));

        /// <summary>
        /// A parameterized layer's name: from its weight's name (<c>fc.weight</c> → <c>fc</c>) unless the exporter made that name up
        /// (<c>onnx::Conv_193</c>, after folding BatchNorm), then from PyTorch's node scope (<c>/layer1/layer1.0/conv1/Conv</c> →
        /// <c>layer1.0.conv1</c>), else ConvGen's default. Unique in the network.
        /// </summary>
        private string LayerName(NodeProto node, string weightName, string kind)
        {
            string? name = null;
            if (weightName.EndsWith(".weight", StringComparison.Ordinal) && !weightName.StartsWith("onnx::", StringComparison.Ordinal))
            {
                name = weightName.Substring(0, weightName.Length - ".weight".Length);
            }
            else if (node.Name.StartsWith('/'))
            {
                name = ModulePath(node.Name);
            }

            if (string.IsNullOrEmpty(name))
            {
                return DefaultName(kind);
            }

            var unique = name;
            for (var i = 2; _names.Contains(unique); i++)
            {
                unique = name + "_" + i;
            }

            _names.Add(unique);
            return unique;
        }

        /// <summary>
        /// PyTorch's scope path without the op: each scope is a child's attribute name, and a Sequential's child repeats its parent's
        /// last name (<c>layer1/layer1.0</c>, <c>downsample/downsample.0</c>), so such a segment extends the path instead of nesting.
        /// </summary>
        private static string ModulePath(string nodeName)
        {
            var segments = nodeName.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var path = string.Empty;
            foreach (var segment in segments.Take(segments.Length - 1))
            {
                var last = path.Substring(path.LastIndexOf('.') + 1);
                path = path.Length > 0 && segment.StartsWith(last + ".", StringComparison.Ordinal)
                    ? path + segment.Substring(last.Length)
                    : path.Length == 0 ? segment : path + "." + segment;
            }

            return path;
        }

        /// <summary>ConvGen's next default name for <paramref name="kind"/> that no layer has taken.</summary>
        private string DefaultName(string kind)
        {
            string name;
            do
            {
                name = _defaults.Take(kind);
            }
            while (!_names.Add(name));
            return name;
        }

        private void AddLayer(NodeProto node, LayerDescription layer, IReadOnlyList<SafeTensor>? tensors = null)
        {
            _layers.Add(layer);
            _tensors.AddRange(tensors ?? Array.Empty<SafeTensor>());
            _values[node.Output[0]] = new Value(layer.Name, layer.OutputShape, Direct: true);
        }

        private void Alias(NodeProto node, Value value) => _values[node.Output[0]] = value with { Direct = false };
    }
}
