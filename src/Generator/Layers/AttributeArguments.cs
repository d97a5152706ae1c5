using System;
using System.Collections.Generic;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Layers
{
    /// <summary>
    /// One layer attribute's arguments, read by the attribute's property names (<c>nameof(Conv2DAttribute.Stride)</c>): a
    /// constructor argument through the parameter of the same name (<c>filters</c> for <c>Filters</c>), any other property
    /// through its named argument. Only an absent argument takes a default: an explicit value (even 0) is kept for analysis.
    /// </summary>
    internal sealed class AttributeArguments
    {
        private readonly AttributeData _data;
        private readonly Dictionary<string, object?> _named = new(StringComparer.Ordinal);

        public AttributeArguments(AttributeData data, string name)
        {
            _data = data;
            foreach (var pair in data.NamedArguments)
            {
                _named[pair.Key] = pair.Value.Value;
            }

            Name = name;
            Expect = Named<string?>(nameof(LayerAttribute.Expect), null);
        }

        /// <summary>The layer's name: written, or its kind's next default.</summary>
        public string Name { get; }

        /// <summary>The declared expected output shape, verbatim, or null.</summary>
        public string? Expect { get; }

        /// <summary>Inputs are resolved later (<see cref="Parsing.GraphResolver"/>); until then a layer reads nothing in particular.</summary>
        public EquatableArray<string> Inputs => EquatableArray<string>.Empty;

        /// <summary>The named argument for <paramref name="property"/>, or <paramref name="fallback"/> when it is not written.</summary>
        public T Named<T>(string property, T fallback) => _named.TryGetValue(property, out var value) && value is T typed ? typed : fallback;

        /// <summary>
        /// The constructor argument that sets <paramref name="property"/> (an optional parameter left out holds its default),
        /// or <paramref name="fallback"/> when the constructor has no such parameter or its value has another type.
        /// </summary>
        public T Constructor<T>(string property, T fallback)
        {
            var position = ConstructorPosition(_data.AttributeConstructor, property);
            return position >= 0 && position < _data.ConstructorArguments.Length && _data.ConstructorArguments[position].Value is T value ? value : fallback;
        }

        /// <summary>The strings of the constructor's array argument that sets <paramref name="property"/> (a merge's input names); empty when absent.</summary>
        public List<string> Strings(string property)
        {
            var names = new List<string>();
            var position = ConstructorPosition(_data.AttributeConstructor, property);
            if (position >= 0 && position < _data.ConstructorArguments.Length && _data.ConstructorArguments[position].Kind == TypedConstantKind.Array)
            {
                foreach (var value in _data.ConstructorArguments[position].Values)
                {
                    names.Add(value.Value as string ?? string.Empty);
                }
            }

            return names;
        }

        /// <summary>The position of the constructor parameter that sets <paramref name="property"/> (<c>kernelSize</c> for <c>KernelSize</c>), or -1.</summary>
        public static int ConstructorPosition(IMethodSymbol? constructor, string property)
        {
            var parameters = constructor?.Parameters ?? default;
            for (var i = 0; i < parameters.Length; i++)
            {
                if (string.Equals(parameters[i].Name, property, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
