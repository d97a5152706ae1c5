using System;
using System.Collections.Generic;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Parsing
{
    /// <summary>
    /// Turns the declarations of a class, in source order, into layers with explicit <see cref="LayerModel.Inputs"/>:
    /// a layer reads the current value (the previous layer's output, or the value its branch starts from) unless it says
    /// <c>From</c>; <c>[Branch]</c> groups are kept on a stack, and a merge without names closes the innermost one, reading
    /// the last value of each branch (an empty branch contributes the value the group opened at). Reports unbalanced
    /// groups and references that do not name an earlier layer. Pure: no symbols, so it is tested on plain declarations.
    /// </summary>
    internal static class GraphResolver
    {
        /// <summary>A problem found on declaration <paramref name="Item"/>: at its <paramref name="Property"/> argument
        /// (for <c>Inputs</c>, the explicit name at <paramref name="Position"/>), or on the whole attribute when null.</summary>
        internal sealed record Finding(int Item, DiagnosticDescriptor Descriptor, string? Property, int Position, object[] Arguments);

        /// <summary>The layers (inputs resolved) and what was wrong; the layers are only meaningful when there are no findings.</summary>
        internal sealed record Result(IReadOnlyList<LayerModel> Layers, IReadOnlyList<Finding> Findings);

        private sealed class Group
        {
            public Group(int item, string origin)
            {
                Item = item;
                Origin = origin;
            }

            /// <summary>The declaration index of the <c>[Branch]</c> that opened the group.</summary>
            public int Item { get; }

            /// <summary>The value every branch starts from.</summary>
            public string Origin { get; }

            /// <summary>The last value of each finished branch.</summary>
            public List<string> Ends { get; } = new();
        }

        public static Result Resolve(IReadOnlyList<Declaration> declarations)
        {
            // Layer index of each name's first declaration (duplicates are CG0018, reported by analysis).
            var firstDeclared = new Dictionary<string, int>(StringComparer.Ordinal);
            var count = 0;
            foreach (var declaration in declarations)
            {
                if (declaration is LayerDeclaration { Layer: var layer })
                {
                    if (!firstDeclared.ContainsKey(layer.Name))
                    {
                        firstDeclared[layer.Name] = count;
                    }

                    count++;
                }
            }

            var layers = new List<LayerModel>();
            var findings = new List<Finding>();
            var groups = new Stack<Group>();
            var current = LayerModel.NetworkInput;
            for (var item = 0; item < declarations.Count; item++)
            {
                if (declarations[item] is BranchDeclaration branch)
                {
                    if (groups.Count == 0 || branch.Nested)
                    {
                        groups.Push(new Group(item, current));
                    }
                    else
                    {
                        groups.Peek().Ends.Add(current);
                    }

                    current = groups.Peek().Origin;
                    continue;
                }

                var declared = (LayerDeclaration)declarations[item];
                var layer = declared.Layer;
                if (layer.Name == LayerModel.NetworkInput)
                {
                    findings.Add(new Finding(item, DiagnosticCatalog.ReservedLayerName, "Name", 0, new object[] { layer.Kind }));
                }

                var context = new Reader(item, layer, layers.Count, firstDeclared, findings);
                List<string> inputs;
                if (Layers.LayerKinds.Of(layer).IsMerge)
                {
                    inputs = MergeInputs(context, declared, groups, current);
                }
                else
                {
                    inputs = new List<string> { declared.From is null ? current : context.Check(declared.From, "From", 0) };
                }

                layers.Add(layer with { Inputs = new EquatableArray<string>(inputs) });
                current = layer.Name;
            }

            foreach (var group in groups)
            {
                findings.Add(new Finding(
                    group.Item, DiagnosticCatalog.UnclosedGroup, null, 0, new object[] { group.Origin, Branches(group.Ends.Count + 1) }));
            }

            return new Result(layers, findings);
        }

        private static List<string> MergeInputs(Reader context, LayerDeclaration declared, Stack<Group> groups, string current)
        {
            var layer = declared.Layer;
            var inputs = new List<string>();
            if (declared.Names.Count > 0)
            {
                for (var i = 0; i < declared.Names.Count; i++)
                {
                    inputs.Add(context.Check(declared.Names[i], "Inputs", i));
                }

                if (inputs.Count == 1)
                {
                    context.Report(DiagnosticCatalog.NothingToMerge, null, 0, layer.Name, layer.Kind, "it names only '" + inputs[0] + "'; name two or more layers");
                }
            }
            else if (groups.Count == 0)
            {
                context.Report(DiagnosticCatalog.MergeWithoutGroup, null, 0, layer.Name, layer.Kind);
                inputs.Add(current);
            }
            else
            {
                var group = groups.Pop();
                inputs.AddRange(group.Ends);
                inputs.Add(current);
                if (inputs.Count == 1)
                {
                    context.Report(
                        DiagnosticCatalog.NothingToMerge, null, 0, layer.Name, layer.Kind,
                        "its [Branch] group (opened at '" + group.Origin + "') has a single branch; start another with [Branch] (an empty branch is the identity)");
                }
            }

            if (declared.From is not null)
            {
                context.Report(
                    DiagnosticCatalog.FromOnMerge, "From", 0, layer.Name, layer.Kind,
                    declared.Names.Count > 0 ? "the layers it names" : "the branches of its group", declared.From);
            }

            return inputs;
        }

        private static string Branches(int count) => count == 1 ? "1 branch" : count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " branches";

        /// <summary>Checks the names one layer reads against the layers declared before it.</summary>
        private sealed class Reader
        {
            private readonly int _item;
            private readonly LayerModel _layer;
            private readonly int _index;
            private readonly Dictionary<string, int> _firstDeclared;
            private readonly List<Finding> _findings;

            public Reader(int item, LayerModel layer, int index, Dictionary<string, int> firstDeclared, List<Finding> findings)
            {
                _item = item;
                _layer = layer;
                _index = index;
                _firstDeclared = firstDeclared;
                _findings = findings;
            }

            /// <summary>Returns <paramref name="name"/>, reporting it when it is not the network input or an earlier layer.</summary>
            public string Check(string name, string property, int position)
            {
                if (name == LayerModel.NetworkInput || (_firstDeclared.TryGetValue(name, out var declared) && declared < _index))
                {
                    return name;
                }

                if (name == _layer.Name)
                {
                    Report(DiagnosticCatalog.SelfReference, property, position, _layer.Name, _layer.Kind);
                }
                else
                {
                    Report(_firstDeclared.ContainsKey(name) ? DiagnosticCatalog.ForwardReference : DiagnosticCatalog.UnknownInput, property, position, _layer.Name, _layer.Kind, name);
                }

                return name;
            }

            public void Report(DiagnosticDescriptor descriptor, string? property, int position, params object[] arguments) =>
                _findings.Add(new Finding(_item, descriptor, property, position, arguments));
        }
    }
}
