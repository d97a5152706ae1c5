using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen.Tests.RandomNetworks
{
    /// <summary>One random network: its class name and the full declaration (attributes and class) that reproduces it.</summary>
    public sealed record RandomNetworkDeclaration(int Index, string ClassName, string Declaration, IReadOnlyList<string> Layers)
    {
        public bool HasBatchNorm => Layers.Any(l => l.StartsWith("[BatchNorm2D", StringComparison.Ordinal));

        public override string ToString() => ClassName;
    }

    /// <summary>
    /// Draws random, valid ConvGen network declarations from a seed: chains, and graphs built by <see cref="RandomGraphBuilder"/>. Shapes are tracked with the PyTorch formulas
    /// (floor((n + 2p − d(k − 1) − 1)/s) + 1, the ceil-mode rule that the last window must start inside the input or its
    /// left padding, Same = ceil(n/s)); a layer that does not fit its input is redrawn, so every declaration compiles.
    /// </summary>
    public static class RandomNetworkSource
    {
        public const string Namespace = "ConvGen.RandomNetworks";

        private static readonly string[] ConvActivations = { "None", "ReLU", "Tanh", "Sigmoid" };
        private static readonly string[] DenseActivations = { "None", "ReLU", "Tanh", "Sigmoid", "Softmax" };
        private static readonly string[] Slopes = { "0.01f", "0.1f", "0.2f", "0.3f", "0.05f" };

        /// <summary><paramref name="count"/> declarations; network i depends only on (seed, i).</summary>
        public static IReadOnlyList<RandomNetworkDeclaration> Generate(int count, int seed)
        {
            var master = new Random(seed);
            var seeds = Enumerable.Range(0, count).Select(_ => master.Next()).ToArray();
            return seeds.Select((s, i) => Declare(i, new Random(s))).ToList();
        }

        /// <summary>All declarations as one compilation unit.</summary>
        public static string Compose(IEnumerable<RandomNetworkDeclaration> networks)
        {
            var text = new StringBuilder();
            text.Append("using ConvGen;\n\nnamespace ").Append(Namespace).Append("\n{\n");
            foreach (var network in networks)
            {
                foreach (var line in network.Declaration.Split('\n'))
                {
                    text.Append("    ").Append(line).Append('\n');
                }

                text.Append('\n');
            }

            return text.Append("}\n").ToString();
        }

        private static RandomNetworkDeclaration Declare(int index, Random random)
        {
            var shape = new Shape(random.Next(1, 5), random.Next(5, 17), random.Next(5, 17));
            var input = $"[Input({shape.C}, {shape.H}, {shape.W})]";
            var graph = new RandomGraphBuilder(random, shape);

            // Two networks in five stay chains, as before graphs; the others mix layers with groups and skips.
            var graphs = random.Next(5) >= 2;
            var spatialSteps = random.Next(1, graphs ? 5 : 6);
            for (var i = 0; i < spatialSteps; i++)
            {
                var roll = graphs ? random.Next(10) : 9;
                if (roll < 3)
                {
                    graph.Group(depth: 0);
                }
                else if (roll < 6)
                {
                    graph.Skip();
                }
                else
                {
                    for (var attempt = 0; attempt < 50; attempt++)
                    {
                        var next = graph.Shape;
                        var layer = TryLayer(random, ref next);
                        if (layer is not null)
                        {
                            graph.Layer(layer, next);
                            break;
                        }
                    }
                }
            }

            graph.Layer("[Flatten]", new Shape(graph.Shape.C * graph.Shape.H * graph.Shape.W, 1, 1));
            var units = random.Next(1, 7);
            graph.Layer(Dense(random, units), new Shape(units, 1, 1));
            if (graphs && random.Next(4) == 0)
            {
                graph.FlatGroup();
            }

            if (random.Next(3) == 0)
            {
                units = random.Next(1, 7);
                graph.Layer(Dense(random, units), new Shape(units, 1, 1));
            }

            if (random.Next(4) == 0)
            {
                graph.Layer("[Softmax]", graph.Shape);
            }

            var layers = graph.Lines;
            var name = "Random" + index.ToString("D3", CultureInfo.InvariantCulture);
            return new RandomNetworkDeclaration(index, name, input + "\n" + string.Join("\n", layers) + $"\npublic partial class {name} {{ }}", layers);
        }

        /// <summary>A random layer that fits <paramref name="shape"/> (which becomes its output), or null when the draw does not fit.</summary>
        internal static string? TryLayer(Random random, ref Shape shape)
        {
            var roll = random.Next(100);
            return roll switch
            {
                < 38 => Conv(random, ref shape),
                < 48 => Pool(random, ref shape, "MaxPool2D"),
                < 58 => Pool(random, ref shape, "AvgPool2D"),
                < 61 => GlobalAvgPool(ref shape),
                < 67 => "[ReLU]",
                < 73 => random.Next(4) == 0 ? "[LeakyReLU]" : $"[LeakyReLU({Slopes[random.Next(Slopes.Length)]})]",
                < 79 => "[Tanh]",
                < 85 => "[Sigmoid]",
                < 95 => random.Next(4) switch
                {
                    0 => "[BatchNorm2D(Epsilon = 1e-3f)]",
                    1 => "[BatchNorm2D(Momentum = 0.2f)]",
                    _ => "[BatchNorm2D]",
                },
                _ => "[Softmax]",
            };
        }

        private static string? GlobalAvgPool(ref Shape shape)
        {
            shape = shape with { H = 1, W = 1 };
            return "[GlobalAvgPool2D]";
        }

        private static string? Conv(Random random, ref Shape shape)
        {
            var args = new List<string>();
            var channels = shape.C;
            int filters, groups;
            if (random.Next(5) == 0)
            {
                // Depthwise, with a channel multiplier of 1 or 2.
                groups = shape.C;
                filters = shape.C * random.Next(1, 3);
            }
            else
            {
                filters = random.Next(1, 9);
                var divisors = Enumerable.Range(1, Math.Min(shape.C, filters)).Where(g => channels % g == 0 && filters % g == 0).ToArray();
                groups = divisors[random.Next(divisors.Length)];
            }

            var kernel = random.Next(1, 5);
            int kh = kernel, kw = kernel;
            switch (random.Next(5))
            {
                case 0:
                    kh = random.Next(1, 5);
                    args.Add($"KernelHeight = {kh}");
                    break;
                case 1:
                    kw = random.Next(1, 5);
                    args.Add($"KernelWidth = {kw}");
                    break;
                case 2:
                    kh = random.Next(1, 5);
                    kw = random.Next(1, 5);
                    args.Add($"KernelHeight = {kh}");
                    args.Add($"KernelWidth = {kw}");
                    break;
            }

            int sh = 1, sw = 1;
            switch (random.Next(6))
            {
                case 0:
                case 1:
                    sh = sw = random.Next(1, 4);
                    args.Add($"Stride = {sh}");
                    break;
                case 2:
                    sh = random.Next(1, 4);
                    args.Add($"StrideHeight = {sh}");
                    break;
                case 3:
                    sh = random.Next(1, 4);
                    sw = random.Next(1, 4);
                    args.Add($"StrideHeight = {sh}");
                    args.Add($"StrideWidth = {sw}");
                    break;
                case 4:
                    sh = random.Next(1, 4);
                    sw = random.Next(1, 4);
                    args.Add($"Stride = {sh}");
                    args.Add($"StrideWidth = {sw}");
                    break;
            }

            var dilation = random.Next(3) == 0 ? 2 : 1;
            if (dilation != 1)
            {
                args.Add($"Dilation = {dilation}");
            }

            var eh = (dilation * (kh - 1)) + 1;
            var ew = (dilation * (kw - 1)) + 1;
            int oh, ow;
            var mode = random.Next(5);
            if (mode == 3)
            {
                args.Add("PaddingMode = PaddingMode.Same");
                oh = (shape.H + sh - 1) / sh;
                ow = (shape.W + sw - 1) / sw;
            }
            else
            {
                var padding = 0;
                if (mode == 4)
                {
                    args.Add("PaddingMode = PaddingMode.Valid");
                }
                else if (mode != 0)
                {
                    padding = random.Next(0, 3);
                    args.Add($"Padding = {padding}");
                }

                if (eh > shape.H + (2 * padding) || ew > shape.W + (2 * padding))
                {
                    return null;
                }

                oh = ((shape.H + (2 * padding) - eh) / sh) + 1;
                ow = ((shape.W + (2 * padding) - ew) / sw) + 1;
            }

            if (oh <= 0 || ow <= 0)
            {
                return null;
            }

            if (groups != 1)
            {
                args.Add($"Groups = {groups}");
            }

            if (random.Next(3) == 0)
            {
                args.Add("Bias = false");
            }

            var activation = ConvActivations[random.Next(ConvActivations.Length)];
            if (activation != "None" || random.Next(4) == 0)
            {
                args.Add($"Activation = Activation.{activation}");
            }

            shape = new Shape(filters, oh, ow);
            return $"[Conv2D({filters}, {kernel}{string.Concat(args.Select(a => ", " + a))})]";
        }

        /// <summary>A stride-1 convolution that keeps H×W: an odd kernel padded by half its (dilated) extent, or PaddingMode.Same.</summary>
        internal static string PreservingConv(Random random, ref Shape shape)
        {
            var filters = random.Next(1, 9);
            var channels = shape.C;
            var divisors = Enumerable.Range(1, Math.Min(channels, filters)).Where(g => channels % g == 0 && filters % g == 0).ToArray();
            var groups = divisors[random.Next(divisors.Length)];
            var args = new List<string>();
            int kernel;
            var dilation = random.Next(3) == 0 ? 2 : 1;
            if (random.Next(3) == 0)
            {
                kernel = random.Next(1, 5);
                args.Add("PaddingMode = PaddingMode.Same");
            }
            else
            {
                kernel = random.Next(2) == 0 ? 1 : 3;
                if (kernel > 1)
                {
                    args.Add($"Padding = {dilation * (kernel - 1) / 2}");
                }
            }

            if (dilation != 1 && kernel > 1)
            {
                args.Add($"Dilation = {dilation}");
            }

            if (groups != 1)
            {
                args.Add($"Groups = {groups}");
            }

            if (random.Next(3) == 0)
            {
                args.Add("Bias = false");
            }

            var activation = ConvActivations[random.Next(ConvActivations.Length)];
            if (activation != "None")
            {
                args.Add($"Activation = Activation.{activation}");
            }

            shape = shape with { C = filters };
            return $"[Conv2D({filters}, {kernel}{string.Concat(args.Select(a => ", " + a))})]";
        }

        private static string? Pool(Random random, ref Shape shape, string kind)
        {
            var size = random.Next(1, 4);
            var args = new List<string>();
            var stride = size;
            if (random.Next(3) != 0)
            {
                stride = random.Next(1, 4);
                args.Add($"Stride = {stride}");
            }

            var padding = random.Next(0, (size / 2) + 1);
            if (padding != 0)
            {
                args.Add($"Padding = {padding}");
            }

            var ceil = random.Next(3) == 0;
            if (ceil)
            {
                args.Add("CeilMode = true");
            }

            int Out(int n)
            {
                var span = n + (2 * padding) - size;
                if (span < 0)
                {
                    return 0;
                }

                var steps = ceil ? (span + stride - 1) / stride : span / stride;
                if (ceil && steps * stride >= n + padding)
                {
                    steps--;
                }

                return steps + 1;
            }

            var oh = Out(shape.H);
            var ow = Out(shape.W);
            if (oh <= 0 || ow <= 0)
            {
                return null;
            }

            shape = shape with { H = oh, W = ow };
            return $"[{kind}({size}{string.Concat(args.Select(a => ", " + a))})]";
        }

        internal static string Dense(Random random, int units)
        {
            var args = new List<string>();
            if (random.Next(4) == 0)
            {
                args.Add("Bias = false");
            }

            var activation = DenseActivations[random.Next(DenseActivations.Length)];
            if (activation != "None")
            {
                args.Add($"Activation = Activation.{activation}");
            }

            return $"[Dense({units}{string.Concat(args.Select(a => ", " + a))})]";
        }
    }
}
