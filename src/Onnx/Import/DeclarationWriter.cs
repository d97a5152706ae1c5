using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen.Onnx
{
    /// <summary>
    /// Writes a <see cref="NetworkDescription"/> as ConvGen's attribute declaration: a partial class whose attributes are the layers,
    /// fork–join structure as indented <c>[Branch]</c> groups (or, for other graphs, <c>From</c> and named merge inputs), names only
    /// where ConvGen's default would differ, <c>Expect</c> where the shape changes and <c>ExpectedParameters</c> on the input.
    /// </summary>
    internal sealed class DeclarationWriter
    {
        private const string Indent = "    ";

        private readonly StringBuilder _text = new();
        private readonly LayerNames _defaults = new();
        private readonly NetworkDescription _network;
        private string _previous = NetworkDescription.InputName;

        private DeclarationWriter(NetworkDescription network) => _network = network;

        /// <summary>The C# source of the declaration, with a header comment naming <paramref name="origin"/>.</summary>
        public static string Write(NetworkDescription network, int parameterCount, string className, string? @namespace, string origin)
        {
            var writer = new DeclarationWriter(network);
            var text = writer._text;
            text.Append("// Imported from ").Append(origin).Append(" by `convgen import`: ")
                .Append(network.Layers.Count.ToString(CultureInfo.InvariantCulture)).Append(" layers, ")
                .Append(parameterCount.ToString("N0", CultureInfo.InvariantCulture)).Append(" parameters.\n")
                .Append("// The weights are in ").Append(className).Append(".safetensors: net.Load(\"").Append(className).Append(".safetensors\").\n")
                .Append("using ConvGen;\n\n");
            var indent = @namespace is null ? string.Empty : Indent;
            if (@namespace is not null)
            {
                text.Append("namespace ").Append(@namespace).Append("\n{\n");
            }

            text.Append(indent).Append("[Input(").Append(Ints(network.InputChannels, network.InputHeight, network.InputWidth))
                .Append(", ExpectedParameters = ").Append(parameterCount.ToString(CultureInfo.InvariantCulture)).Append(")]\n");
            if (BranchStructure.Find(network) is { } items)
            {
                writer.WriteItems(items, indent);
            }
            else
            {
                foreach (var layer in network.Layers)
                {
                    writer.WriteLayer(layer, indent, explicitInputs: true);
                }
            }

            text.Append(indent).Append("public partial class ").Append(className).Append(" { }\n");
            if (@namespace is not null)
            {
                text.Append("}\n");
            }

            return text.ToString();
        }

        private void WriteItems(IEnumerable<BranchStructure.Item> items, string indent)
        {
            foreach (var item in items)
            {
                switch (item)
                {
                    case BranchStructure.LayerItem layer:
                        WriteLayer(layer.Layer, indent, explicitInputs: false);
                        break;
                    case BranchStructure.GroupItem group:
                        foreach (var branch in group.Branches)
                        {
                            _text.Append(indent).Append("[Branch]\n");
                            WriteItems(branch, indent + Indent);
                        }

                        WriteLayer(group.Merge, indent, explicitInputs: false);
                        break;
                }
            }
        }

        /// <summary>
        /// One attribute. With <paramref name="explicitInputs"/>, a layer that does not read the previous one says <c>From</c> and a
        /// merge names its inputs; inside <c>[Branch]</c> groups both are implied by the structure.
        /// </summary>
        private void WriteLayer(LayerDescription layer, string indent, bool explicitInputs)
        {
            var arguments = new List<string>();
            var options = new List<string>();
            var input = _network.ShapeOf(layer.Inputs[0]);
            switch (layer)
            {
                case ConvDescription conv:
                    arguments.Add(Int(conv.Filters));
                    arguments.Add(Int(conv.KernelHeight));
                    Option(options, conv.KernelWidth != conv.KernelHeight, "KernelWidth", Int(conv.KernelWidth));
                    if (conv.StrideHeight == conv.StrideWidth)
                    {
                        Option(options, conv.StrideHeight != 1, "Stride", Int(conv.StrideHeight));
                    }
                    else
                    {
                        options.Add("StrideHeight = " + Int(conv.StrideHeight));
                        options.Add("StrideWidth = " + Int(conv.StrideWidth));
                    }

                    if (conv.Padding.IsUniform)
                    {
                        Option(options, conv.Padding.Top != 0, "Padding", Int(conv.Padding.Top));
                    }
                    else
                    {
                        // The importer accepts uneven padding only when it is exactly Same padding for this input.
                        options.Add("PaddingMode = PaddingMode.Same");
                    }

                    Option(options, conv.Dilation != 1, "Dilation", Int(conv.Dilation));
                    Option(options, conv.Groups != 1, "Groups", Int(conv.Groups));
                    Option(options, !conv.Bias, "Bias", "false");
                    Option(options, conv.Activation != Activation.None, "Activation", "Activation." + conv.Activation);
                    break;
                case BatchNormDescription bn:
                    Option(options, !Close(bn.Epsilon, 1e-5f), "Epsilon", Float(bn.Epsilon));
                    Option(options, !Close(bn.Momentum, 0.1f), "Momentum", Float(bn.Momentum));
                    break;
                case PoolDescription pool:
                    arguments.Add(Int(pool.Size));
                    Option(options, pool.Stride != pool.Size, "Stride", Int(pool.Stride));
                    Option(options, pool.Padding != 0, "Padding", Int(pool.Padding));
                    Option(options, pool.CeilMode, "CeilMode", "true");
                    break;
                case DenseDescription dense:
                    arguments.Add(Int(dense.Units));
                    Option(options, !dense.Bias, "Bias", "false");
                    Option(options, dense.Activation != Activation.None, "Activation", "Activation." + dense.Activation);
                    break;
                case ActivationDescription { Function: ActivationFunction.LeakyReLU } leaky:
                    arguments.Add(Float(leaky.Slope));
                    break;
                case DropoutDescription dropout:
                    arguments.Add(Float(dropout.Rate));
                    break;
                case AddDescription add:
                    Option(options, add.Activation != Activation.None, "Activation", "Activation." + add.Activation);
                    break;
            }

            var merge = layer is AddDescription or ConcatDescription;
            if (merge && explicitInputs)
            {
                arguments.InsertRange(0, layer.Inputs.Select(Quote));
            }

            if (_defaults.Peek(layer.Kind) == layer.Name)
            {
                _defaults.Take(layer.Kind);
            }
            else
            {
                options.Add("Name = " + Quote(layer.Name));
            }

            Option(options, !merge && explicitInputs && layer.Inputs[0] != _previous, "From", Quote(layer.Inputs[0]));
            Option(options, ShowsShape(layer, input), "Expect", Quote(string.Join("x", layer.OutputShape)));
            _previous = layer.Name;

            _text.Append(indent).Append('[').Append(layer.Kind);
            var all = arguments.Concat(options).ToList();
            if (all.Count > 0)
            {
                _text.Append('(').Append(string.Join(", ", all)).Append(')');
            }

            _text.Append("]\n");
        }

        /// <summary>Shapes are stated where a reader would otherwise work them out: merges, resampling, flattening and the output.</summary>
        private bool ShowsShape(LayerDescription layer, IReadOnlyList<int> input) =>
            layer is AddDescription or ConcatDescription or FlattenDescription or GlobalAvgPoolDescription
            || layer == _network.Layers[^1]
            || layer.IsSpatial && input.Count == 3 && (input[1] != layer.OutputShape[1] || input[2] != layer.OutputShape[2]);

        private static void Option(List<string> options, bool condition, string name, string value)
        {
            if (condition)
            {
                options.Add(name + " = " + value);
            }
        }

        private static bool Close(float a, float b) => Math.Abs(a - b) <= 1e-6f * Math.Max(1f, Math.Abs(b));

        private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Ints(params int[] values) => string.Join(", ", values.Select(Int));

        /// <summary>Seven significant digits: these are hyper-parameters (1 − 0.9f prints as 0.1f, not 0.100000024f).</summary>
        private static string Float(float value) => value.ToString("G7", CultureInfo.InvariantCulture) is var text && text.Contains('E')
            ? text + "f"
            : (text.Contains('.') ? text : text + ".0") + "f";

        private static string Quote(string value) =>
            "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
