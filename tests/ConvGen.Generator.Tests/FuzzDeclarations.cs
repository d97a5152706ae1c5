using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen.Generator.Tests
{
    /// <summary>One random declaration: a whole source file, and whether ConvGen must accept it.</summary>
    internal sealed record FuzzCase(int Index, string Source, bool Valid, string What);

    /// <summary>
    /// Random network declarations for <see cref="GeneratorFuzzTests"/>: valid chains (shapes tracked as PyTorch computes
    /// them) with residual blocks among their layers (the shapes a fold of the Add into a conv sees), the same with every odd-but-legal spelling of namespaces, class names and layer names, and invalid ones —
    /// each with exactly one thing wrong that ConvGen must report. Every file is legal C#: what is wrong is ConvGen's to say.
    /// </summary>
    internal sealed class FuzzDeclarations
    {
        private static readonly string[] OddClassNames = { "Net", "NET", "_net", "Ñet", "N\\u0065t", "Ne\\u200Bt", "@Net", "Net2", "Summary2", "ForwardNet", "Conv1" };

        private static readonly string[] ReservedClassNames = { "Summary", "Forward", "Backward", "TrainStep", "Parameters", "RunStep", "_parameters", "@class", "@event", "var" };

        private static readonly string[] OddLayerNames = { "layer{0}.0.conv", "_x{0}", "Ünï{0}", "a{0}_b", "L{0}", "n{0}.weight_", "层{0}" };

        private static readonly string[] InvalidLayerNames = { "a b", "1x", "", "a..b", "x.", "a\\nb", "a\\u2028b", "a\\u200Bb", "a-b", "a\\u0000b", "tab\\tname", new string('n', 201) };

        private readonly Random _random;

        public FuzzDeclarations(int seed) => _random = new Random(seed);

        public FuzzCase Next(int index)
        {
            // 40% valid (three quarters of them with odd spellings), 60% invalid: compiling valid ones' code is the cost.
            var kind = _random.Next(10);
            return kind switch
            {
                < 4 => Valid(index, odd: kind >= 1),
                _ => Invalid(index),
            };
        }

        private FuzzCase Valid(int index, bool odd)
        {
            var layers = Chain(odd);
            var (header, footer, className) = Container(index, odd ? OddClassNames[_random.Next(OddClassNames.Length)] : "Net");
            return new FuzzCase(index, header + Attributes(layers) + "public partial class " + className + " { }\n" + footer, true, odd ? "odd-but-legal" : "valid");
        }

        private FuzzCase Invalid(int index)
        {
            var layers = Chain(odd: false);
            var className = "Net";
            var modifiers = "public partial";
            string what;
            switch (_random.Next(12))
            {
                case 0:
                    className = ReservedClassNames[_random.Next(ReservedClassNames.Length)];
                    what = "class name " + className;
                    break;
                case 1:
                    modifiers = "public static partial";
                    what = "static class";
                    break;
                case 2:
                    var name = InvalidLayerNames[_random.Next(InvalidLayerNames.Length)];
                    var named = layers.Where(l => l.Kind != "Branch").ToList();
                    named[_random.Next(named.Count)].Name = name;
                    what = "layer name \"" + name + "\"";
                    break;
                case 3:
                    // Two names that become one identifier.
                    var pair = new[] { ("conv", "Conv"), ("a.b", "a_b"), ("kx", "\\u212Ax"), ("ix", "\\u0130x") }[_random.Next(4)];
                    layers.Add(new Layer("ReLU") { Name = pair.Item1 });
                    layers.Add(new Layer("ReLU") { Name = pair.Item2 });
                    what = "names " + pair.Item1 + " / " + pair.Item2;
                    break;
                case 4:
                    layers.Clear();
                    if (_random.Next(2) == 0)
                    {
                        layers.Add(new Layer("Flatten"));
                    }

                    what = "nothing to compute";
                    break;
                case 5:
                    layers.Insert(0, new Layer("Conv2D", "1, 3", "Padding = int.MaxValue", "Stride = int.MaxValue"));
                    what = "padding and stride int.MaxValue";
                    break;
                case 6:
                    return new FuzzCase(index, DiagnosticAssert.Usings + "namespace N" + index + " {\n[Input(3, 2500, 2500)]\n[Conv2D(64, 11, Padding = 5)]\npublic partial class Net { }\n}\n", false, "im2col over an array");
                case 7:
                    layers.Insert(0, new Layer("Conv2D", _random.Next(-2, 1).ToString(CultureInfo.InvariantCulture) + ", 1"));
                    what = "filters out of range";
                    break;
                case 8:
                    layers.Insert(0, new Layer("Conv2D", "1, 50"));
                    what = "kernel larger than input";
                    break;
                case 9:
                    layers.Insert(0, new Layer("Dense", "4"));
                    what = "dense on a spatial input";
                    break;
                case 10:
                    layers.Insert(0, new Layer("Dropout", "1.5f"));
                    what = "dropout rate";
                    break;
                default:
                    layers.Insert(0, new Layer("MaxPool2D", "2", "Padding = 2"));
                    what = "pool padding over half the window";
                    break;
            }

            var (header, footer, container) = Container(index, className);
            return new FuzzCase(index, header + Attributes(layers) + modifiers + " class " + container + " { }\n" + footer, false, what);
        }

        /// <summary>The file around the class: a namespace in one of its spellings (or none), and the class name to declare.</summary>
        private (string Header, string Footer, string ClassName) Container(int index, string className)
        {
            var n = index.ToString(CultureInfo.InvariantCulture);
            return _random.Next(6) switch
            {
                0 => (DiagnosticAssert.Usings + "namespace N" + n + ";\n", string.Empty, className),
                1 => (DiagnosticAssert.Usings + "namespace @event.N" + n + "\n{\n", "}\n", className),
                2 => (DiagnosticAssert.Usings + "namespace A.B\n{\n    namespace N" + n + "\n    {\n", "    }\n}\n", className),
                3 => (DiagnosticAssert.Usings + "namespace N\\u0041" + n + "\n{\n", "}\n", className),
                4 when className == "Net" => (DiagnosticAssert.Usings, string.Empty, "Global" + n),
                _ => (DiagnosticAssert.Usings + "namespace N" + n + "\n{\n", "}\n", className),
            };
        }

        private static string Attributes(List<Layer> layers, string input = "")
        {
            var builder = new StringBuilder();
            builder.Append("[Input(").Append(input.Length > 0 ? input : "3, 9, 9").Append(")]\n");
            foreach (var layer in layers)
            {
                builder.Append('[').Append(layer.Kind);
                var arguments = layer.Arguments.ToList();
                if (layer.Name is not null)
                {
                    arguments.Add("Name = \"" + layer.Name + "\"");
                }

                if (arguments.Count > 0)
                {
                    builder.Append('(').Append(string.Join(", ", arguments)).Append(')');
                }

                builder.Append("]\n");
            }

            return builder.ToString();
        }

        /// <summary>A valid chain on a 3×9×9 input: sizes tracked with PyTorch's formulas, so every layer fits.</summary>
        private List<Layer> Chain(bool odd)
        {
            var layers = new List<Layer>();
            int c = 3, h = 9, w = 9;
            var flat = false;
            var count = _random.Next(1, 6);
            for (var i = 0; i < count; i++)
            {
                Layer layer;
                if (flat)
                {
                    layer = _random.Next(3) switch
                    {
                        0 => new Layer("Dense", _random.Next(1, 7).ToString(CultureInfo.InvariantCulture), _random.Next(2) == 0 ? "Activation = Activation.ReLU" : "Bias = false"),
                        1 => new Layer("Dropout", "0.25f"),
                        _ => new Layer(new[] { "ReLU", "Tanh", "Sigmoid", "Softmax" }[_random.Next(4)]),
                    };
                    if (layer.Kind == "Dense")
                    {
                        c = int.Parse(layer.Arguments[0], CultureInfo.InvariantCulture);
                    }
                }
                else
                {
                    switch (_random.Next(9))
                    {
                        case 8:
                            c = ResidualBlock(layers, c);
                            continue;
                        case 0:
                        case 1:
                            var kernel = _random.Next(1, 4);
                            var padding = _random.Next(0, 3);
                            var stride = _random.Next(1, 3);
                            if (kernel > Math.Min(h, w) + (2 * padding))
                            {
                                continue;
                            }

                            var filters = _random.Next(1, 5);
                            layer = new Layer("Conv2D", filters + ", " + kernel, "Padding = " + padding, "Stride = " + stride);
                            c = filters;
                            h = ((h + (2 * padding) - kernel) / stride) + 1;
                            w = ((w + (2 * padding) - kernel) / stride) + 1;
                            break;
                        case 2:
                            var size = _random.Next(1, 3);
                            if (size > Math.Min(h, w))
                            {
                                continue;
                            }

                            layer = new Layer(_random.Next(2) == 0 ? "MaxPool2D" : "AvgPool2D", size.ToString(CultureInfo.InvariantCulture));
                            h = ((h - size) / size) + 1;
                            w = ((w - size) / size) + 1;
                            break;
                        case 3:
                            layer = new Layer("BatchNorm2D");
                            break;
                        case 4:
                            layer = new Layer(new[] { "ReLU", "Tanh", "Sigmoid" }[_random.Next(3)]);
                            break;
                        case 5:
                            layer = new Layer("GlobalAvgPool2D");
                            h = w = 1;
                            break;
                        default:
                            layer = new Layer("Flatten");
                            flat = true;
                            c *= h * w;
                            h = w = 1;
                            break;
                    }
                }

                if (odd && _random.Next(2) == 0)
                {
                    layer.Name = string.Format(CultureInfo.InvariantCulture, OddLayerNames[_random.Next(OddLayerNames.Length)], i);
                }

                layers.Add(layer);
            }

            if (layers.All(l => l.Kind == "Flatten"))
            {
                layers.Add(new Layer(flat ? "Dense" : "ReLU", flat ? "2" : string.Empty));
                layers[^1].Arguments.RemoveAll(a => a.Length == 0);
            }

            if (odd && _random.Next(10) == 0)
            {
                layers.First(l => l.Kind != "Branch").Name = new string('n', 200);
            }

            return layers;
        }

        /// <summary>
        /// A ResNet-style block on a c-channel value, shape kept: [Branch], a conv (1×1 or 3×3, same padding) that may
        /// change the channels, maybe a BatchNorm and maybe an activation after it (which keeps the Add from folding), then
        /// [Branch] with the identity or, when the channels changed or at random, a 1×1 projection (maybe with its own
        /// BatchNorm), and [Add] with a random activation. Returns the channels after it.
        /// </summary>
        private int ResidualBlock(List<Layer> layers, int c)
        {
            var kernel = _random.Next(2) == 0 ? 1 : 3;
            var filters = _random.Next(2) == 0 ? c : _random.Next(1, 5);
            layers.Add(new Layer("Branch"));
            layers.Add(new Layer("Conv2D", filters + ", " + kernel, "Padding = " + (kernel / 2), _random.Next(2) == 0 ? "Bias = false" : "Bias = true"));
            if (_random.Next(4) != 0)
            {
                layers.Add(new Layer("BatchNorm2D"));
            }

            if (_random.Next(4) == 0)
            {
                layers.Add(new Layer(new[] { "ReLU", "Tanh" }[_random.Next(2)]));
            }

            layers.Add(new Layer("Branch"));
            if (filters != c || _random.Next(3) == 0)
            {
                layers.Add(new Layer("Conv2D", filters + ", 1", "Bias = false"));
                if (_random.Next(2) == 0)
                {
                    layers.Add(new Layer("BatchNorm2D"));
                }
            }

            var activation = new[] { "None", "ReLU", "ReLU6", "Tanh", "Sigmoid" }[_random.Next(5)];
            layers.Add(new Layer("Add", "Activation = Activation." + activation));
            return filters;
        }

        private sealed class Layer
        {
            public Layer(string kind, params string[] arguments)
            {
                Kind = kind;
                Arguments = arguments.ToList();
            }

            public string Kind { get; }

            public List<string> Arguments { get; }

            public string? Name { get; set; }
        }
    }
}
