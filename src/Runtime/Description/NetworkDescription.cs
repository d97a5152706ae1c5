using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen
{
    /// <summary>
    /// A network's structure as data: its input shape and its layers in declaration (topological) order, each naming the values
    /// it reads. Generated networks expose theirs through <see cref="IDescribedNetwork"/>; the ONNX writer and importer use it.
    /// The output is the last layer.
    /// </summary>
    public sealed class NetworkDescription
    {
        /// <summary>The name by which layers read the network input.</summary>
        public const string InputName = "input";

        /// <summary>Checks that names are unique and every layer reads only the input or earlier layers.</summary>
        public NetworkDescription(int inputChannels, int inputHeight, int inputWidth, IReadOnlyList<LayerDescription> layers)
        {
            ArgumentNullException.ThrowIfNull(layers);
            if (inputChannels <= 0 || inputHeight <= 0 || inputWidth <= 0)
            {
                throw new ArgumentException($"The input shape {inputChannels}x{inputHeight}x{inputWidth} has a dimension below 1.");
            }

            if (layers.Count == 0)
            {
                throw new ArgumentException("A network has at least one layer.", nameof(layers));
            }

            var known = new HashSet<string>(StringComparer.Ordinal) { InputName };
            foreach (var layer in layers)
            {
                ArgumentNullException.ThrowIfNull(layer, nameof(layers));
                var unknown = layer.Inputs.FirstOrDefault(i => !known.Contains(i));
                if (layer.Inputs.Count == 0 || unknown is not null)
                {
                    throw new ArgumentException($"Layer '{layer.Name}' reads '{unknown}', which is neither the input nor an earlier layer.", nameof(layers));
                }

                if (!known.Add(layer.Name))
                {
                    throw new ArgumentException($"Two layers (or a layer and the input) are named '{layer.Name}'.", nameof(layers));
                }
            }

            InputChannels = inputChannels;
            InputHeight = inputHeight;
            InputWidth = inputWidth;
            Layers = layers.ToArray();
        }

        /// <summary>Input channels.</summary>
        public int InputChannels { get; }

        /// <summary>Input height.</summary>
        public int InputHeight { get; }

        /// <summary>Input width.</summary>
        public int InputWidth { get; }

        /// <summary>The layers in declaration order; the last is the output.</summary>
        public IReadOnlyList<LayerDescription> Layers { get; }

        /// <summary>The shape of the value called <paramref name="name"/>: the input's, or that layer's output.</summary>
        public IReadOnlyList<int> ShapeOf(string name) => name == InputName
            ? new[] { InputChannels, InputHeight, InputWidth }
            : Layers.FirstOrDefault(l => l.Name == name)?.OutputShape ?? throw new ArgumentException($"No value is named '{name}'.", nameof(name));
    }
}
