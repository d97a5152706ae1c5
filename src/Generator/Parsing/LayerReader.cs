using System.Collections.Generic;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Parsing
{
    /// <summary>
    /// Reads one layer attribute's arguments into its <see cref="LayerModel"/> record, applying the attribute's defaults.
    /// Only an absent argument takes a default: an explicitly written value (even 0) is kept, so analysis can reject it.
    /// </summary>
    internal static class LayerReader
    {
        /// <summary>The built-in layer kinds: attribute names without "Attribute", in a fixed order.</summary>
        private static readonly string[] KindNames =
        {
            "Conv2D", "MaxPool2D", "AvgPool2D", "GlobalAvgPool2D", "Flatten", "Dense",
            "ReLU", "LeakyReLU", "Tanh", "Sigmoid", "Softmax", "BatchNorm2D", "Dropout", "Add", "Concat",
        };

        private static readonly HashSet<string> Kinds = new(KindNames, System.StringComparer.Ordinal);

        /// <summary>The metadata names of the built-in layer attributes, e.g. <c>ConvGen.Conv2DAttribute</c>.</summary>
        public static IEnumerable<string> AttributeMetadataNames
        {
            get
            {
                foreach (var kind in KindNames)
                {
                    yield return "ConvGen." + kind + "Attribute";
                }
            }
        }

        /// <summary>The layer kind ("Conv2D") of a built-in ConvGen layer attribute, or null for any other attribute class.</summary>
        public static string? KindOf(INamedTypeSymbol? attributeClass)
        {
            if (attributeClass is null
                || attributeClass.ContainingType is not null
                || attributeClass.ContainingNamespace?.ToDisplayString() != "ConvGen"
                || !attributeClass.Name.EndsWith("Attribute", System.StringComparison.Ordinal))
            {
                return null;
            }

            var kind = attributeClass.Name.Substring(0, attributeClass.Name.Length - "Attribute".Length);
            return Kinds.Contains(kind) ? kind : null;
        }

        /// <summary>The <c>Name</c> written on a layer attribute, or null when it takes a default name.</summary>
        public static string? ExplicitName(AttributeData data) => NetworkParser.Named<string?>(data, "Name", null);

        /// <summary>
        /// Reads a built-in layer attribute; <paramref name="kind"/> comes from <see cref="KindOf"/> (null for any other kind).
        /// A layer without <c>Name</c> takes the next free default name of its kind, skipping <paramref name="taken"/> (the names written explicitly).
        /// Its inputs are left for <see cref="GraphResolver"/>: the declaration carries <c>From</c> and a merge's explicit names.
        /// </summary>
        public static LayerDeclaration? Read(AttributeData data, string kind, ISet<string> taken, Dictionary<string, int> ordinals)
        {
            var layer = ReadLayer(data, kind, taken, ordinals);
            if (layer is null)
            {
                return null;
            }

            var names = new List<string>();
            if (kind is "Add" or "Concat" && data.ConstructorArguments.Length == 1 && data.ConstructorArguments[0].Kind == TypedConstantKind.Array)
            {
                foreach (var value in data.ConstructorArguments[0].Values)
                {
                    names.Add(value.Value as string ?? string.Empty);
                }
            }

            return new LayerDeclaration(layer, NetworkParser.Named<string?>(data, "From", null), names);
        }

        private static LayerModel? ReadLayer(AttributeData data, string kind, ISet<string> taken, Dictionary<string, int> ordinals)
        {
            var named = new Dictionary<string, object?>();
            foreach (var pair in data.NamedArguments)
            {
                named[pair.Key] = pair.Value.Value;
            }

            // Inputs are resolved later; until then every layer reads nothing in particular.
            var previous = EquatableArray<string>.Empty;
            var args = data.ConstructorArguments;
            var name = Get<string?>(named, "Name", null) ?? DefaultName(kind, taken, ordinals);
            var expect = Get<string?>(named, "Expect", null);
            switch (kind)
            {
                case "Conv2D":
                    var kernel = NetworkParser.Int(args, 1);
                    var stride = Get(named, "Stride", 1);
                    return new Conv2DLayer(
                        name, previous, expect,
                        NetworkParser.Int(args, 0),
                        Get(named, "KernelHeight", kernel),
                        Get(named, "KernelWidth", kernel),
                        Get(named, "StrideHeight", stride),
                        Get(named, "StrideWidth", stride),
                        Get(named, "Padding", 0),
                        (PaddingKind)Get(named, "PaddingMode", 0),
                        Get(named, "Dilation", 1),
                        Get(named, "Groups", 1),
                        Get(named, "Bias", true),
                        (ActivationKind)Get(named, "Activation", 0));
                case "MaxPool2D":
                case "AvgPool2D":
                    var size = NetworkParser.Int(args, 0);
                    return new Pool2DLayer(
                        name, previous, expect, kind == "MaxPool2D" ? PoolKind.Max : PoolKind.Average, size,
                        Get(named, "Stride", size), Get(named, "Padding", 0), Get(named, "CeilMode", false));
                case "GlobalAvgPool2D":
                    return new GlobalAvgPool2DLayer(name, previous, expect);
                case "Flatten":
                    return new FlattenLayer(name, previous, expect);
                case "Dense":
                    return new DenseLayer(
                        name, previous, expect, NetworkParser.Int(args, 0), Get(named, "Bias", true), (ActivationKind)Get(named, "Activation", 0));
                case "ReLU":
                    return new ActivationLayer(name, previous, expect, ElementwiseKind.ReLU, 0f);
                case "LeakyReLU":
                    return new ActivationLayer(name, previous, expect, ElementwiseKind.LeakyReLU, Float(args, 0, 0.01f));
                case "Tanh":
                    return new ActivationLayer(name, previous, expect, ElementwiseKind.Tanh, 0f);
                case "Sigmoid":
                    return new ActivationLayer(name, previous, expect, ElementwiseKind.Sigmoid, 0f);
                case "Softmax":
                    return new SoftmaxLayer(name, previous, expect);
                case "BatchNorm2D":
                    return new BatchNorm2DLayer(name, previous, expect, Get(named, "Epsilon", 1e-5f), Get(named, "Momentum", 0.1f));
                case "Dropout":
                    return new DropoutLayer(name, previous, expect, Float(args, 0, 0.5f));
                case "Add":
                    return new AddLayer(name, previous, expect, (ActivationKind)Get(named, "Activation", 0));
                case "Concat":
                    return new ConcatLayer(name, previous, expect);
                default:
                    return null;
            }
        }

        /// <summary>Kind + ordinal per kind: conv1, conv2, dense1, bn1, ..., skipping names already <paramref name="taken"/>.</summary>
        private static string DefaultName(string kind, ISet<string> taken, Dictionary<string, int> ordinals)
        {
            var prefix = kind switch
            {
                "Conv2D" => "conv",
                "MaxPool2D" => "maxpool",
                "AvgPool2D" => "avgpool",
                "GlobalAvgPool2D" => "gap",
                "BatchNorm2D" => "bn",
                _ => kind.ToLowerInvariant(),
            };
            ordinals.TryGetValue(prefix, out var count);
            string name;
            do
            {
                name = prefix + (++count).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            while (taken.Contains(name));

            ordinals[prefix] = count;
            return name;
        }

        private static float Float(System.Collections.Immutable.ImmutableArray<TypedConstant> args, int index, float fallback) =>
            index < args.Length && args[index].Value is float value ? value : fallback;

        private static T Get<T>(Dictionary<string, object?> named, string key, T fallback) =>
            named.TryGetValue(key, out var value) && value is T typed ? typed : fallback;
    }
}
