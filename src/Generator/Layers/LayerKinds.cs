using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Layers
{
    /// <summary>The built-in layer kinds, one <see cref="LayerKind"/> each, and the lookups from an attribute class or a layer to its kind.</summary>
    internal static class LayerKinds
    {
        /// <summary>Every built-in kind, in a fixed order.</summary>
        public static readonly IReadOnlyList<LayerKind> All = new LayerKind[]
        {
            Conv2DKind.Instance, Pool2DKind.Max, Pool2DKind.Average, GlobalAvgPool2DKind.Instance, FlattenKind.Instance, DenseKind.Instance,
            ReLUKind.Instance, LeakyReLUKind.Instance, TanhKind.Instance, SigmoidKind.Instance, SoftmaxKind.Instance,
            BatchNorm2DKind.Instance, DropoutKind.Instance, AddKind.Instance, ConcatKind.Instance,
        };

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
