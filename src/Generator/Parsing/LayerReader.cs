using System.Collections.Generic;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Parsing
{
    /// <summary>
    /// Reads one layer attribute into its <see cref="LayerModel"/> record through the attribute's <see cref="LayerKind"/>,
    /// after giving it its name: the written <c>Name</c>, or the next free default of its kind.
    /// </summary>
    internal static class LayerReader
    {
        /// <summary>The metadata names of the built-in layer attributes, e.g. <c>ConvGen.Conv2DAttribute</c>.</summary>
        public static IEnumerable<string> AttributeMetadataNames
        {
            get
            {
                foreach (var kind in LayerKinds.All)
                {
                    yield return kind.AttributeMetadataName;
                }
            }
        }

        /// <summary>The <c>Name</c> written on a layer attribute, or null when it takes a default name.</summary>
        public static string? ExplicitName(AttributeData data) => NetworkParser.Named<string?>(data, nameof(LayerAttribute.Name), null);

        /// <summary>
        /// Reads a built-in layer attribute of <paramref name="kind"/> (<see cref="LayerKinds.Of(INamedTypeSymbol)"/>).
        /// A layer without <c>Name</c> takes the next free default name of its kind, skipping <paramref name="taken"/> (the names written explicitly).
        /// Its inputs are left for <see cref="GraphResolver"/>: the declaration carries <c>From</c> and a merge's explicit names.
        /// </summary>
        public static LayerDeclaration Read(AttributeData data, LayerKind kind, ISet<string> taken, Dictionary<string, int> ordinals)
        {
            var name = ExplicitName(data) ?? DefaultName(kind, taken, ordinals);
            var arguments = new AttributeArguments(data, name);
            var names = kind.IsMerge ? arguments.Strings(nameof(AddAttribute.Inputs)) : new List<string>();
            return new LayerDeclaration(kind.Read(arguments), NetworkParser.Named<string?>(data, nameof(LayerAttribute.From), null), names);
        }

        /// <summary>Stem + ordinal per stem: conv1, conv2, dense1, bn1, ..., skipping names already <paramref name="taken"/>.</summary>
        private static string DefaultName(LayerKind kind, ISet<string> taken, Dictionary<string, int> ordinals)
        {
            var prefix = kind.DefaultStem;
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
    }
}
