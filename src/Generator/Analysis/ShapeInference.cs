using System;
using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Analysis
{
    /// <summary>
    /// Infers every layer's output shape, padding, parameter count, multiply-adds and receptive field from a
    /// <see cref="NetworkModel"/>, and reports what does not fit. A pure function of the model.
    /// Output sizes follow PyTorch: floor((n + 2p − d(k−1) − 1)/s) + 1, ceil with CeilMode.
    /// Never throws: sizes are computed in checked 64-bit arithmetic, and anything that does not fit is a problem (CG0024).
    /// </summary>
    internal static class ShapeInference
    {
        public static NetworkAnalysis Infer(NetworkModel network)
        {
            var shapes = new List<LayerShape>();
            var problems = new List<Problem>();
            var byName = new Dictionary<string, LayerShape>(StringComparer.Ordinal);
            var input = new LayerShape(network.Input, network.Input, Padding.None, 0, 0, 1, 1, 1, 1);
            long totalParameters = 0;
            long totalMultiplyAdds = 0;
            var inputContext = new ShapeContext(-1, new[] { input }, network, problems);
            if (!inputContext.Positive(LayerModel.NetworkInput, "Input", nameof(InputAttribute.Channels), network.Input.Channels, 1)
                || !inputContext.Positive(LayerModel.NetworkInput, "Input", nameof(InputAttribute.Height), network.Input.Height, 1)
                || !inputContext.Positive(LayerModel.NetworkInput, "Input", nameof(InputAttribute.Width), network.Input.Width, 1))
            {
                return new NetworkAnalysis(EquatableArray<LayerShape>.Empty, 0, 0, new EquatableArray<Problem>(problems));
            }

            if (Elements(network.Input) > int.MaxValue)
            {
                problems.Add(Problem.Create(
                    DiagnosticCatalog.LayerTooLarge.Id, -1, null, "input", "Input", network.Input.ToString(),
                    "it has " + Elements(network.Input).ToString("N0", CultureInfo.InvariantCulture) + " elements"));
                return new NetworkAnalysis(EquatableArray<LayerShape>.Empty, 0, 0, new EquatableArray<Problem>(problems));
            }

            for (var i = 0; i < network.Layers.Count; i++)
            {
                var layer = network.Layers[i];
                if (byName.ContainsKey(layer.Name))
                {
                    problems.Add(Problem.Create(DiagnosticCatalog.DuplicateLayerName.Id, i, "Name", layer.Name));
                    break;
                }

                var sources = new List<LayerShape>();
                foreach (var name in layer.Inputs)
                {
                    if ((name == LayerModel.NetworkInput ? input : byName.TryGetValue(name, out var found) ? found : null) is { } read)
                    {
                        sources.Add(read);
                    }
                }

                if (sources.Count == 0 || sources.Count != layer.Inputs.Count)
                {
                    // Inputs are resolved by the parser (GraphResolver reports any that name no earlier layer).
                    break;
                }

                var source = sources[0];
                LayerShape? shape;
                try
                {
                    shape = LayerKinds.Of(layer).Infer(layer, new ShapeContext(i, sources, network, problems));
                    if (shape is not null)
                    {
                        totalParameters = checked(totalParameters + shape.Parameters);
                        totalMultiplyAdds = checked(totalMultiplyAdds + shape.MultiplyAdds);
                    }
                }
                catch (OverflowException)
                {
                    problems.Add(Problem.Create(
                        DiagnosticCatalog.LayerTooLarge.Id, i, null, layer.Name, layer.Kind, source.Out.ToString(), "a size or count it implies overflows"));
                    break;
                }

                if (shape is null)
                {
                    break;
                }

                if (Elements(shape.Out) > int.MaxValue)
                {
                    problems.Add(Problem.Create(
                        DiagnosticCatalog.LayerTooLarge.Id, i, null, layer.Name, layer.Kind, source.Out.ToString(),
                        "its output " + shape.Out.ToString() + " has " + Elements(shape.Out).ToString("N0", CultureInfo.InvariantCulture) + " elements"));
                    break;
                }

                CheckExpect(layer, i, source.Out, shape.Out, problems);
                shapes.Add(shape);
                byName[layer.Name] = shape;
            }

            WarnNeverRead(network, problems);
            if (shapes.Count == network.Layers.Count && problems.TrueForAll(p => DiagnosticCatalog.IsWarning(p.DescriptorId)))
            {
                if (totalParameters > int.MaxValue)
                {
                    problems.Add(Problem.Create(
                        DiagnosticCatalog.TooManyParameters.Id, -1, null, network.ClassName, totalParameters.ToString("N0", CultureInfo.InvariantCulture)));
                }
                else if (network.ExpectedParameters != 0 && network.ExpectedParameters != totalParameters)
                {
                    problems.Add(Problem.Create(
                        DiagnosticCatalog.ExpectedParametersMismatch.Id, -1, "ExpectedParameters",
                        network.ClassName, totalParameters.ToString("N0", CultureInfo.InvariantCulture),
                        network.ExpectedParameters.ToString("N0", CultureInfo.InvariantCulture)));
                }
            }

            return new NetworkAnalysis(
                new EquatableArray<LayerShape>(shapes), totalParameters, totalMultiplyAdds, new EquatableArray<Problem>(problems));
        }

        /// <summary>Parses an <c>Expect</c> string: "CxHxW" (x, X or ×, spaces allowed) or a single number.</summary>
        public static Shape? ParseExpect(string text)
        {
            var parts = text.Replace('×', 'x').Replace('X', 'x').Split('x');
            var numbers = new int[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]) || numbers[i] <= 0)
                {
                    return null;
                }
            }

            return numbers.Length switch
            {
                1 => Shape.Flat(numbers[0]),
                3 => Shape.Spatial(numbers[0], numbers[1], numbers[2]),
                _ => null,
            };
        }

        /// <summary>One axis of a convolution or pooling window: output size and the rows/columns the stride leaves unread.</summary>
        public static (long Output, long Unread) WindowAxis(long size, long padBefore, long padAfter, long extent, long stride, bool ceilMode)
        {
            var span = size + padBefore + padAfter - extent;
            if (span < 0)
            {
                return (0, 0);
            }

            var steps = ceilMode ? (span + stride - 1) / stride : span / stride;
            if (ceilMode && steps * stride >= size + padBefore)
            {
                // PyTorch: the last window must start inside the input or its left padding.
                steps--;
            }

            return (steps + 1, ceilMode ? 0 : span % stride);
        }

        /// <summary>Same padding (Keras/TensorFlow): output = ceil(n/s); the odd extra pixel goes after.</summary>
        public static (long Before, long After) SamePadding(long size, long extent, long stride)
        {
            var output = (size + stride - 1) / stride;
            var total = Math.Max(((output - 1) * stride) + extent - size, 0L);
            return (total / 2, total - (total / 2));
        }

        /// <summary>Elements of a shape, as a double so that no int product can wrap.</summary>
        private static double Elements(Shape shape) => (double)shape.Channels * shape.Height * shape.Width;

        /// <summary>Receptive fields and jumps are informative only: they saturate instead of failing.</summary>
        public static int Saturate(double value) => value >= int.MaxValue ? int.MaxValue : (int)value;

        /// <summary>A size that must fit an int: an <see cref="OverflowException"/> otherwise, which <see cref="Infer"/> reports.</summary>
        public static int ToInt(long value) => checked((int)value);

        /// <summary>Warns about every layer but the last (the output) that no layer reads.</summary>
        private static void WarnNeverRead(NetworkModel network, List<Problem> problems)
        {
            var read = new HashSet<string>(StringComparer.Ordinal);
            foreach (var layer in network.Layers)
            {
                foreach (var name in layer.Inputs)
                {
                    read.Add(name);
                }
            }

            for (var i = 0; i < network.Layers.Count - 1; i++)
            {
                var layer = network.Layers[i];
                if (!read.Contains(layer.Name))
                {
                    problems.Add(Problem.Create(DiagnosticCatalog.UnusedLayer.Id, i, null, layer.Name, layer.Kind));
                }
            }
        }

        private static void CheckExpect(LayerModel layer, int index, Shape input, Shape output, List<Problem> problems)
        {
            if (layer.Expect is null)
            {
                return;
            }

            var expected = ParseExpect(layer.Expect);
            if (expected is null)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.ExpectInvalid.Id, index, "Expect", layer.Name, layer.Kind, layer.Expect));
            }
            else if (expected != output)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.ExpectMismatch.Id, index, "Expect", layer.Name, layer.Kind, output.ToString(), layer.Expect, input.ToString()));
            }
        }
    }
}
