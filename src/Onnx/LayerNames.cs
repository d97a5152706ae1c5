using System.Collections.Generic;
using System.Globalization;

namespace ConvGen.Onnx
{
    /// <summary>The names ConvGen gives layers declared without <c>Name</c>: a prefix per kind and an ordinal per prefix (conv1, bn1, add1).</summary>
    internal sealed class LayerNames
    {
        private readonly Dictionary<string, int> _ordinals = new();

        /// <summary>The prefix ConvGen's parser uses for <paramref name="kind"/>.</summary>
        public static string Prefix(string kind) => kind switch
        {
            "Conv2D" => "conv",
            "MaxPool2D" => "maxpool",
            "AvgPool2D" => "avgpool",
            "GlobalAvgPool2D" => "gap",
            "BatchNorm2D" => "bn",
            "ReLU6" => "relu6_",
            _ => kind.ToLowerInvariant(),
        };

        /// <summary>The default name the next unnamed layer of <paramref name="kind"/> would get, without taking it.</summary>
        public string Peek(string kind)
        {
            var prefix = Prefix(kind);
            _ordinals.TryGetValue(prefix, out var count);
            return prefix + (count + 1).ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>Takes the default name of the next unnamed layer of <paramref name="kind"/>.</summary>
        public string Take(string kind)
        {
            var name = Peek(kind);
            var prefix = Prefix(kind);
            _ordinals[prefix] = _ordinals.GetValueOrDefault(prefix) + 1;
            return name;
        }
    }
}
