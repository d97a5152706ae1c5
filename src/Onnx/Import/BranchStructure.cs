using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Onnx
{
    /// <summary>
    /// Finds the fork–join structure of a network so it can be declared with <c>[Branch]</c> groups: the network must be one
    /// sequence from the input to the output whose items are layers (each reading the previous item) or groups (branches that
    /// all start at the value before the group, merged by an Add or Concat). Networks that are not (a value read from two places
    /// other than a group's fork, say) have no such structure and are declared with <c>From</c> and named merge inputs instead.
    /// </summary>
    internal sealed class BranchStructure
    {
        private readonly Dictionary<string, LayerDescription> _byName;
        private readonly Dictionary<string, int> _order;
        private readonly Dictionary<(string End, string Start), IReadOnlyList<Item>?> _segments = new();

        private BranchStructure(NetworkDescription network)
        {
            _byName = network.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
            _order = network.Layers.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
            _order[NetworkDescription.InputName] = -1;
        }

        /// <summary>A layer read from the previous item, or a group closed by its merge layer.</summary>
        public abstract record Item;

        public sealed record LayerItem(LayerDescription Layer) : Item;

        public sealed record GroupItem(IReadOnlyList<IReadOnlyList<Item>> Branches, LayerDescription Merge) : Item;

        /// <summary>The network as nested items, every layer exactly once; null when it has no fork–join structure.</summary>
        public static IReadOnlyList<Item>? Find(NetworkDescription network)
        {
            var structure = new BranchStructure(network);
            var items = structure.Segment(network.Layers[^1].Name, NetworkDescription.InputName);
            if (items is null)
            {
                return null;
            }

            var declared = Flatten(items).ToList();
            return declared.Count == network.Layers.Count && declared.Distinct().Count() == declared.Count ? items : null;
        }

        /// <summary>The layers in the order the items declare them.</summary>
        public static IEnumerable<LayerDescription> Flatten(IEnumerable<Item> items) => items.SelectMany(item => item switch
        {
            LayerItem layer => new[] { layer.Layer },
            GroupItem group => group.Branches.SelectMany(Flatten).Append(group.Merge),
            _ => throw new InvalidOperationException(),
        });

        /// <summary>The items leading from value <paramref name="start"/> to value <paramref name="end"/>, or null when there is no such sequence.</summary>
        private IReadOnlyList<Item>? Segment(string end, string start)
        {
            if (_segments.TryGetValue((end, start), out var known))
            {
                return known;
            }

            var result = end == start ? Array.Empty<Item>() : end == NetworkDescription.InputName ? null : Build(_byName[end], start);
            _segments[(end, start)] = result;
            return result;
        }

        private IReadOnlyList<Item>? Build(LayerDescription layer, string start)
        {
            if (layer.Inputs.Count == 1)
            {
                var prefix = Segment(layer.Inputs[0], start);
                return prefix?.Append(new LayerItem(layer)).ToArray();
            }

            // A merge: try the latest value every input descends from as the group's fork, then earlier ones.
            foreach (var fork in CommonAncestors(layer.Inputs).OrderByDescending(v => _order[v]))
            {
                var branches = layer.Inputs.Select(i => Segment(i, fork)).ToList();
                if (branches.All(b => b is not null) && Segment(fork, start) is { } prefix)
                {
                    return prefix.Append(new GroupItem(branches!, layer)).ToArray();
                }
            }

            return null;
        }

        private IEnumerable<string> CommonAncestors(IReadOnlyList<string> values)
        {
            var common = Ancestors(values[0]);
            foreach (var value in values.Skip(1))
            {
                common.IntersectWith(Ancestors(value));
            }

            return common;
        }

        /// <summary>The value itself and every value it is computed from, the network input included.</summary>
        private HashSet<string> Ancestors(string value)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(new[] { value });
            while (pending.Count > 0)
            {
                var next = pending.Pop();
                if (result.Add(next) && _byName.TryGetValue(next, out var layer))
                {
                    foreach (var input in layer.Inputs)
                    {
                        pending.Push(input);
                    }
                }
            }

            return result;
        }
    }
}
