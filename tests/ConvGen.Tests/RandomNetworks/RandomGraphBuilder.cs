using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Tests.RandomNetworks
{
    /// <summary>
    /// Writes one random network's attribute lines, graph parts included: fork–join groups (<c>[Branch]</c> … <c>[Add]</c> or
    /// <c>[Concat]</c>, nested with <c>[Branch(Nested = true)]</c>, identity branches, strided branches, projections), and skips
    /// (a chain that starts with <c>From</c> at an earlier value and joins the current one through <c>[Add("a", "b")]</c> or
    /// <c>[Concat(...)]</c>). It tracks every value's name and shape, mirroring ConvGen's default names, so every
    /// merge is valid and every layer is read.
    /// </summary>
    internal sealed class RandomGraphBuilder
    {
        private const int MaxDepth = 2;

        private readonly Random _random;
        private readonly Dictionary<string, int> _ordinals = new();
        private readonly List<(string Name, Shape Shape)> _values = new();
        private int _explicitNames;

        public RandomGraphBuilder(Random random, Shape input)
        {
            _random = random;
            Shape = input;
            _values.Add((Current, input));
        }

        public List<string> Lines { get; } = new();

        public Shape Shape { get; private set; }

        /// <summary>The value the next layer reads unless it says <c>From</c>.</summary>
        public string Current { get; private set; } = "input";

        /// <summary>Appends <paramref name="attribute"/> (as written by <see cref="RandomNetworkSource"/>), naming it and optionally reading <paramref name="from"/>.</summary>
        public void Layer(string attribute, Shape output, string? from = null)
        {
            var options = new List<string>();
            if (from is not null)
            {
                options.Add($"From = \"{from}\"");
            }

            string name;
            if (_random.Next(8) == 0)
            {
                // Dotted like a PyTorch module path; never of the default form, so default names are unaffected.
                name = $"block{++_explicitNames}.{Prefix(attribute)}";
                options.Add($"Name = \"{name}\"");
            }
            else
            {
                var prefix = Prefix(attribute);
                _ordinals[prefix] = _ordinals.GetValueOrDefault(prefix) + 1;
                name = prefix + _ordinals[prefix];
            }

            Lines.Add(WithOptions(attribute, options));
            Shape = output;
            Current = name;
            _values.Add((name, output));
        }

        /// <summary>A fork–join group at the current value; branches keep H×W, or all halve it (stride 2).</summary>
        public void Group(int depth)
        {
            var origin = Current;
            var start = Shape;
            var add = _random.Next(2) == 0;
            var strided = depth == 0 && start.H >= 2 && start.W >= 2 && _random.Next(3) == 0;
            var channels = !add || _random.Next(2) == 0 ? start.C : _random.Next(1, 9);
            var count = _random.Next(2, 4);
            var ends = new List<Shape>();
            for (var b = 0; b < count; b++)
            {
                Lines.Add(b > 0 ? "[Branch]" : depth > 0 || _random.Next(4) == 0 ? "[Branch(Nested = true)]" : "[Branch]");
                Current = origin;
                Shape = start;
                var identity = !strided && channels == start.C && _random.Next(4) == 0;
                if (!identity)
                {
                    if (strided)
                    {
                        Downsample();
                    }

                    var layers = _random.Next(strided ? 0 : 1, 3);
                    for (var i = 0; i < layers; i++)
                    {
                        if (depth < MaxDepth && _random.Next(6) == 0)
                        {
                            Group(depth + 1);
                        }
                        else
                        {
                            Preserving();
                        }
                    }

                    if (add && Shape.C != channels)
                    {
                        Project(channels);
                    }
                }

                ends.Add(Shape);
            }

            var merge = add ? Add(null) : Concat(null);
            Layer(merge, add ? ends[0] : ends[0] with { C = ends.Sum(e => e.C) });
        }

        /// <summary>A chain from an earlier value of the same H×W (its first layer says <c>From</c>) joined to the current value by a named merge.</summary>
        public void Skip()
        {
            var joined = Current;
            var target = Shape;
            var candidates = _values.Where(v => v.Name != joined && v.Shape.H == target.H && v.Shape.W == target.W).ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            var (source, sourceShape) = candidates[_random.Next(candidates.Count)];
            var add = _random.Next(2) == 0;
            var inputs = new List<string> { joined };
            Current = source;
            Shape = sourceShape;
            var layers = _random.Next(0, 3);
            for (var i = 0; i < layers; i++)
            {
                Preserving(from: i == 0 ? source : null);
            }

            if (add && Shape.C != target.C)
            {
                Project(target.C, from: layers == 0 ? source : null);
            }

            inputs.Add(Current);
            if (_random.Next(4) == 0 && Current != source && (!add || sourceShape == target))
            {
                inputs.Add(source);
            }

            var ordered = inputs.OrderBy(_ => _random.Next()).ToList();
            var merged = add ? target : target with { C = ordered.Sum(i => _values.Last(v => v.Name == i).Shape.C) };
            Layer(add ? Add(ordered) : Concat(ordered), merged);
        }

        /// <summary>After Flatten: Dense branches merged by Add (equal units, or the identity) or Concat.</summary>
        public void FlatGroup()
        {
            var origin = Current;
            var start = Shape;
            var add = _random.Next(2) == 0;
            var units = add ? start.C : 0;
            var count = _random.Next(2, 4);
            var total = 0;
            for (var b = 0; b < count; b++)
            {
                Lines.Add("[Branch]");
                Current = origin;
                Shape = start;
                if (_random.Next(4) != 0)
                {
                    var width = add ? units : _random.Next(1, 7);
                    Layer(RandomNetworkSource.Dense(_random, width), start with { C = width });
                }

                total += Shape.C;
            }

            Layer(add ? Add(null) : Concat(null), start with { C = add ? units : total });
        }

        /// <summary>One layer that keeps H×W (channels may change).</summary>
        private void Preserving(string? from = null)
        {
            for (var attempt = 0; ; attempt++)
            {
                var shape = Shape;
                var layer = attempt < 50 && _random.Next(2) == 0 ? RandomNetworkSource.TryLayer(_random, ref shape) : RandomNetworkSource.PreservingConv(_random, ref shape);
                if (layer is not null && shape.H == Shape.H && shape.W == Shape.W)
                {
                    Layer(layer, shape, from);
                    return;
                }
            }
        }

        /// <summary>The first layer of a strided branch: output ⌈H/2⌉×⌈W/2⌉.</summary>
        private void Downsample()
        {
            var half = Shape with { H = (Shape.H + 1) / 2, W = (Shape.W + 1) / 2 };
            switch (_random.Next(4))
            {
                case 0:
                    var filters = _random.Next(1, 9);
                    Layer($"[Conv2D({filters}, 3, Stride = 2, Padding = 1)]", half with { C = filters });
                    break;
                case 1:
                    filters = _random.Next(1, 9);
                    Layer($"[Conv2D({filters}, 1, Stride = 2, Activation = Activation.ReLU)]", half with { C = filters });
                    break;
                case 2:
                    Layer("[MaxPool2D(3, Stride = 2, Padding = 1)]", half);
                    break;
                default:
                    Layer("[AvgPool2D(3, Stride = 2, Padding = 1)]", half);
                    break;
            }
        }

        /// <summary>A 1×1 convolution to <paramref name="channels"/>: ResNet's projection shortcut.</summary>
        private void Project(int channels, string? from = null) =>
            Layer(_random.Next(2) == 0 ? $"[Conv2D({channels}, 1)]" : $"[Conv2D({channels}, 1, Bias = false)]", Shape with { C = channels }, from);

        private string Add(IReadOnlyList<string>? inputs)
        {
            var options = Quoted(inputs);
            switch (_random.Next(4))
            {
                case 0:
                    options.Add("Activation = Activation.ReLU");
                    break;
                case 1:
                    options.Add(_random.Next(2) == 0 ? "Activation = Activation.Tanh" : "Activation = Activation.Sigmoid");
                    break;
            }

            return options.Count == 0 ? "[Add]" : $"[Add({string.Join(", ", options)})]";
        }

        private static string Concat(IReadOnlyList<string>? inputs)
        {
            var options = Quoted(inputs);
            return options.Count == 0 ? "[Concat]" : $"[Concat({string.Join(", ", options)})]";
        }

        private static List<string> Quoted(IReadOnlyList<string>? names) => names?.Select(n => $"\"{n}\"").ToList() ?? new List<string>();

        /// <summary>ConvGen's default-name prefix for the attribute's kind.</summary>
        private static string Prefix(string attribute)
        {
            var kind = attribute[1..attribute.IndexOfAny(new[] { '(', ']' })];
            return kind switch
            {
                "Conv2D" => "conv",
                "MaxPool2D" => "maxpool",
                "AvgPool2D" => "avgpool",
                "GlobalAvgPool2D" => "gap",
                "BatchNorm2D" => "bn",
                _ => kind.ToLowerInvariant(),
            };
        }

        /// <summary>Adds named options to "[Kind]" or "[Kind(args)]".</summary>
        private static string WithOptions(string attribute, IReadOnlyList<string> options)
        {
            if (options.Count == 0)
            {
                return attribute;
            }

            var extra = string.Join(", ", options);
            return attribute.EndsWith(")]", StringComparison.Ordinal)
                ? attribute[..^2] + ", " + extra + ")]"
                : attribute[..^1] + "(" + extra + ")]";
        }
    }
}
