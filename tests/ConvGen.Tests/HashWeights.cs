using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ConvGen.Tests
{
    /// <summary>
    /// The weights tests/golden defines by formula instead of storing them, bit for bit as make_golden.py
    /// (<c>hash_uniform_ints</c>, <c>hash_uniform_weights</c>) and make_graph_golden.py (<c>generated_tensor</c>) compute them.
    /// </summary>
    internal static class HashWeights
    {
        /// <summary>k[i] = (lowbias32(i + seed·0x9E3779B9) &gt;&gt; 8) − 2²³, uniform on [−2²³, 2²³).</summary>
        public static int[] Ints(int count, uint seed)
        {
            var k = new int[count];
            for (var i = 0; i < count; i++)
            {
                var x = unchecked((uint)i + (seed * 0x9E3779B9u));
                x ^= x >> 16;
                x = unchecked(x * 0x7FEB352Du);
                x ^= x >> 15;
                x = unchecked(x * 0x846CA68Bu);
                x ^= x >> 16;
                k[i] = (int)((x >> 8) - (1u << 23));
            }

            return k;
        }

        /// <summary>LeNet-5's dense1.weight: k · 2⁻²⁸, uniform on [−1/32, 1/32) (exact in float32).</summary>
        public static float[] Uniform(int count, uint seed) => Ints(count, seed).Select(k => k * (1f / (1 << 28))).ToArray();

        /// <summary>32-bit FNV-1a of the UTF-8 bytes: the seed of a graph golden tensor is the hash of its name.</summary>
        public static uint Fnv1a(string text)
        {
            var h = 0x811C9DC5u;
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                h = unchecked((h ^ b) * 0x01000193u);
            }

            return h;
        }

        /// <summary>
        /// The initial value of parameter or buffer <paramref name="name"/>, u = Ints(n, Fnv1a(name)) / 2²³ in [−1, 1), each
        /// formula in float64 rounded once: conv/linear weight u/√fan_in (fan_in = product of shape[1..]), their bias the
        /// same bound, BatchNorm weight and running_var 1 + u/4, BatchNorm bias and running_mean u/4.
        /// </summary>
        public static float[] Tensor(string name, int[] shape, IReadOnlyDictionary<string, int[]> shapes)
        {
            var count = shape.Aggregate(1, (a, b) => a * b);
            var dot = name.LastIndexOf('.');
            var kind = name[(dot + 1)..];
            var sibling = shapes.GetValueOrDefault(name[..dot] + ".weight", Array.Empty<int>());
            Func<double, double> formula = kind switch
            {
                "weight" when shape.Length >= 2 => u => u / Math.Sqrt(FanIn(shape)),
                "bias" when sibling.Length >= 2 => u => u / Math.Sqrt(FanIn(sibling)),
                "weight" or "running_var" => u => 1 + (u / 4),
                "bias" or "running_mean" => u => u / 4,
                _ => throw new ArgumentException($"no weight formula for {name}", nameof(name)),
            };
            return Ints(count, Fnv1a(name)).Select(k => (float)formula(k / 8388608.0)).ToArray();
        }

        private static int FanIn(int[] shape) => shape.Skip(1).Aggregate(1, (a, b) => a * b);
    }
}
