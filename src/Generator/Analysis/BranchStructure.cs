using System;
using System.Collections.Generic;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Analysis
{
    /// <summary>
    /// Where each layer sits in the network's fork–join structure, derived from the DAG alone (so groups written with
    /// <c>[Branch]</c>, <c>From</c> or named merges look the same): a value read by several layers opens a fork, which lasts
    /// until the first layer every path from it to the output passes through (its immediate post-dominator, where the
    /// branches have merged). A layer's depth is the number of forks it lies inside.
    /// </summary>
    internal static class BranchStructure
    {
        /// <summary>One layer's place: <paramref name="Depth"/> open forks around it; <paramref name="StartsBranch"/> when it reads one of them directly.</summary>
        internal sealed record Position(int Depth, bool StartsBranch);

        private const int Dead = int.MinValue;

        public static IReadOnlyList<Position> Of(NetworkModel model)
        {
            var count = model.Layers.Count;
            var positions = new Position[count];
            if (count == 0)
            {
                return positions;
            }

            // Values are numbered -1 (the network input) to count − 1; arrays are offset by one.
            var index = new Dictionary<string, int>(StringComparer.Ordinal) { [LayerModel.NetworkInput] = -1 };
            for (var i = 0; i < count; i++)
            {
                index[model.Layers[i].Name] = i;
            }

            var readers = new List<int>[count + 1];
            for (var v = 0; v <= count; v++)
            {
                readers[v] = new List<int>();
            }

            for (var i = 0; i < count; i++)
            {
                foreach (var name in model.Layers[i].Inputs)
                {
                    if (index.TryGetValue(name, out var v) && v < i && !readers[v + 1].Contains(i))
                    {
                        readers[v + 1].Add(i);
                    }
                }
            }

            // Immediate post-dominators toward the output (the last layer), in reverse declaration order; Dead for values that never reach it.
            var join = new int[count + 1];
            join[count] = count - 1;
            for (var v = count - 2; v >= -1; v--)
            {
                var found = Dead;
                foreach (var reader in readers[v + 1])
                {
                    if (join[reader + 1] != Dead)
                    {
                        found = found == Dead ? reader : Meet(found, reader, join);
                    }
                }

                join[v + 1] = found;
            }

            for (var i = 0; i < count; i++)
            {
                var depth = 0;
                var startsBranch = false;
                for (var v = -1; v < i; v++)
                {
                    if (readers[v + 1].Count > 1 && join[v + 1] != Dead && i < join[v + 1])
                    {
                        depth++;
                        startsBranch |= readers[v + 1].Contains(i);
                    }
                }

                positions[i] = new Position(depth, startsBranch);
            }

            return positions;
        }

        /// <summary>The first layer on the way to the output that both <paramref name="a"/> and <paramref name="b"/> pass through.</summary>
        private static int Meet(int a, int b, int[] join)
        {
            while (a != b)
            {
                if (a < b)
                {
                    a = join[a + 1];
                }
                else
                {
                    b = join[b + 1];
                }
            }

            return a;
        }
    }
}
