using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace ConvGen.Tests.Reference
{
    /// <summary>One layer of a network and the names of the values it reads ("input" for the network input).</summary>
    public sealed record ReferenceNode(string Name, LayerAttribute Layer, IReadOnlyList<string> Inputs);

    /// <summary>
    /// The DAG a network class declares, worked out from its attributes by the rules of the README, independently of the
    /// generator: a layer reads the previous layer (or <c>From</c>); the first <c>[Branch]</c> (or any <c>[Branch(Nested = true)]</c>)
    /// opens a group at the current value, a further <c>[Branch]</c> ends the current branch and restarts from the group's
    /// origin; <c>[Add]</c>/<c>[Concat]</c> without names merge the innermost group's branch ends, with names the named layers.
    /// Unnamed layers take kind + ordinal, skipping names written explicitly.
    /// </summary>
    public static class ReferenceGraph
    {
        public const string NetworkInput = "input";

        public static IReadOnlyList<ReferenceNode> Resolve(Type networkType)
        {
            var attributes = networkType.GetCustomAttributes(inherit: false).Where(a => a is LayerAttribute or BranchAttribute).ToList();
            var taken = attributes.OfType<LayerAttribute>().Select(l => l.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var ordinals = new Dictionary<string, int>();
            var nodes = new List<ReferenceNode>();
            var groups = new Stack<(string Origin, List<string> Ends)>();
            var current = NetworkInput;
            foreach (var attribute in attributes)
            {
                if (attribute is BranchAttribute branch)
                {
                    if (groups.Count == 0 || branch.Nested)
                    {
                        groups.Push((current, new List<string>()));
                    }
                    else
                    {
                        groups.Peek().Ends.Add(current);
                    }

                    current = groups.Peek().Origin;
                    continue;
                }

                var layer = (LayerAttribute)attribute;
                var name = layer.Name ?? DefaultName(layer, taken, ordinals);
                var named = layer switch
                {
                    AddAttribute add => add.Inputs,
                    ConcatAttribute concat => concat.Inputs,
                    _ => null,
                };
                IReadOnlyList<string> inputs;
                if (named is null)
                {
                    inputs = new[] { layer.From ?? current };
                }
                else if (named.Length > 0)
                {
                    inputs = named;
                }
                else
                {
                    var (_, ends) = groups.Pop();
                    inputs = ends.Append(current).ToList();
                }

                var known = nodes.Select(n => n.Name).Append(NetworkInput).ToHashSet(StringComparer.Ordinal);
                var unknown = inputs.FirstOrDefault(i => !known.Contains(i));
                if (unknown is not null)
                {
                    throw new InvalidOperationException($"{networkType.Name}: layer '{name}' reads '{unknown}', which is not an earlier layer");
                }

                nodes.Add(new ReferenceNode(name, layer, inputs));
                current = name;
            }

            if (groups.Count > 0)
            {
                throw new InvalidOperationException($"{networkType.Name}: a [Branch] group opened at '{groups.Peek().Origin}' is never merged");
            }

            return nodes;
        }

        private static string DefaultName(LayerAttribute layer, HashSet<string> taken, Dictionary<string, int> ordinals)
        {
            var prefix = layer switch
            {
                Conv2DAttribute => "conv",
                MaxPool2DAttribute => "maxpool",
                AvgPool2DAttribute => "avgpool",
                GlobalAvgPool2DAttribute => "gap",
                BatchNorm2DAttribute => "bn",
                _ => layer.GetType().Name.Replace("Attribute", string.Empty).ToLowerInvariant(),
            };
            var count = ordinals.GetValueOrDefault(prefix);
            string name;
            do
            {
                name = prefix + ++count;
            }
            while (taken.Contains(name));

            ordinals[prefix] = count;
            return name;
        }
    }
}
