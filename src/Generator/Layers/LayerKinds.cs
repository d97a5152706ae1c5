using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Layers
{
    /// <summary>The built-in layer kinds, one <see cref="LayerKind"/> each, and the lookups from an attribute class or a layer to its kind.</summary>
    internal static class LayerKinds
    {
        /// <summary>
        /// Every built-in kind, ordered by name: the public static fields of their own type that the sealed
        /// <see cref="LayerKind"/> classes of this assembly declare (<c>Conv2DKind.Instance</c>, <c>Pool2DKind.Max</c>), so a
        /// new kind is its file alone.
        /// </summary>
        public static readonly IReadOnlyList<LayerKind> All = typeof(LayerKind).Assembly.GetTypes()
            .Where(type => type.IsSealed && typeof(LayerKind).IsAssignableFrom(type))
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(field => field.FieldType == type))
            .Select(field => (LayerKind)field.GetValue(null))
            .OrderBy(kind => kind.Name, StringComparer.Ordinal)
            .ToList();

        private static readonly Dictionary<string, LayerKind> ByName = All.ToDictionary(kind => kind.Name, StringComparer.Ordinal);

        /// <summary>The kind of <paramref name="layer"/> (by <see cref="LayerModel.Kind"/>, which every kind's layers carry).</summary>
        public static LayerKind Of(LayerModel layer) => ByName[layer.Kind];

        /// <summary>The kind a built-in ConvGen layer attribute declares, or null for any other attribute class.</summary>
        public static LayerKind? Of(INamedTypeSymbol? attributeClass)
        {
            const string Suffix = nameof(Attribute);
            if (attributeClass is null
                || attributeClass.ContainingType is not null
                || attributeClass.ContainingNamespace?.ToDisplayString() != nameof(ConvGen)
                || !attributeClass.Name.EndsWith(Suffix, StringComparison.Ordinal))
            {
                return null;
            }

            return ByName.TryGetValue(attributeClass.Name.Substring(0, attributeClass.Name.Length - Suffix.Length), out var kind) ? kind : null;
        }
    }
}
