using System;
using System.Linq;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests
{
    /// <summary>
    /// The element-wise activation kernels (<see cref="VectorOps.ScaleShiftActivate"/>, <see cref="VectorOps.AddBiasActivate"/>,
    /// <see cref="VectorOps.Activate"/>, <see cref="VectorOps.AddActivate"/>, <see cref="VectorOps.ScaleShiftAddActivate"/>) against a float64 reference on every SIMD path, at lengths whose tails the scalar loop
    /// finishes, and with NaN, ±∞ and values around the clamps' bounds in both the vector part and the tail.
    /// </summary>
    [Collection("Simd")]
    public sealed class ElementwiseKernelTests
    {
        private static readonly Activation[] Activations = { Activation.None, Activation.ReLU, Activation.ReLU6, Activation.Tanh, Activation.Sigmoid };

        public static TheoryData<SimdLevel> Levels()
        {
            var data = new TheoryData<SimdLevel>();
            foreach (var level in Enum.GetValues<SimdLevel>().Where(l => l <= Simd.Supported))
            {
                data.Add(level);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void Scale_shift_activate_matches_the_reference_on_every_element(SimdLevel level)
        {
            foreach (var activation in Activations)
            {
                foreach (var length in new[] { 1, 7, 8, 29, 64 })
                {
                    var x = Values(length, seed: length);
                    var actual = (float[])x.Clone();
                    Run(level, () => VectorOps.ScaleShiftActivate(actual, 1.5f, -0.25f, activation));
                    AssertMatches(x.Select(v => Reference(((double)v * 1.5) - 0.25, activation)), actual, $"{activation}, length {length}");
                }
            }
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void Add_bias_activate_matches_the_reference_with_and_without_bias(SimdLevel level)
        {
            foreach (var activation in Activations)
            {
                foreach (var length in new[] { 3, 16, 21 })
                {
                    var x = Values(length, seed: 10 + length);
                    var bias = Values(length, seed: 20 + length);
                    var withBias = (float[])x.Clone();
                    var withoutBias = (float[])x.Clone();
                    Run(level, () =>
                    {
                        VectorOps.AddBiasActivate(withBias, bias, activation);
                        VectorOps.AddBiasActivate(withoutBias, ReadOnlySpan<float>.Empty, activation);
                    });
                    AssertMatches(x.Zip(bias, (v, b) => Reference((double)v + b, activation)), withBias, $"{activation} with bias, length {length}");
                    AssertMatches(x.Select(v => Reference(v, activation)), withoutBias, $"{activation} without bias, length {length}");
                }
            }
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void Add_activate_is_the_copy_add_and_activate_it_replaces_bit_for_bit(SimdLevel level)
        {
            // A residual Add: f(first + second) in one pass, into a third span or over the first; NaN and ∞ in the vector
            // part and the tail.
            foreach (var activation in Activations)
            {
                foreach (var length in new[] { 5, 8, 27 })
                {
                    var first = Values(length, seed: 30 + length);
                    var second = Values(length, seed: 40 + length);
                    first[length / 2] = float.NaN;
                    second[length - 1] = float.PositiveInfinity;
                    var expected = (float[])first.Clone();
                    var actual = new float[length];
                    var inPlace = (float[])first.Clone();
                    Run(level, () =>
                    {
                        VectorOps.Add(second, expected);
                        VectorOps.Activate(expected, expected, activation);
                        VectorOps.AddActivate(first, second, actual, activation);
                        VectorOps.AddActivate(inPlace, second, inPlace, activation);
                    });
                    Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
                    Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), inPlace.Select(BitConverter.SingleToInt32Bits));
                    AssertMatches(first.Zip(second, (a, b) => Reference((double)a + b, activation)), actual, $"{activation}, length {length}");
                }
            }

            Assert.Throws<ArgumentException>(() => VectorOps.AddActivate(new float[8], new float[9], new float[8], Activation.ReLU));
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void Scale_shift_add_activate_is_scale_shift_then_add_activate_bit_for_bit(SimdLevel level)
        {
            // A product's epilogue with a residual Add: f(x·scale + shift + addend) in one pass; NaN, ±∞ and −0 in the vector
            // part and the tail.
            foreach (var activation in Activations)
            {
                foreach (var length in new[] { 5, 8, 27 })
                {
                    var x = Values(length, seed: 50 + length);
                    var addend = Values(length, seed: 60 + length);
                    x[0] = -0f;
                    addend[0] = -0f;
                    x[length / 2] = float.NaN;
                    addend[length - 1] = float.PositiveInfinity;
                    addend[length - 2] = float.NegativeInfinity;
                    var expected = (float[])x.Clone();
                    var actual = (float[])x.Clone();
                    Run(level, () =>
                    {
                        VectorOps.ScaleShiftActivate(expected, -1.25f, 0.5f, Activation.None);
                        VectorOps.AddActivate(expected, addend, expected, activation);
                        VectorOps.ScaleShiftAddActivate(actual, -1.25f, 0.5f, addend, activation);
                    });
                    Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
                    AssertMatches(x.Zip(addend, (v, a) => Reference(((double)v * -1.25) + 0.5 + a, activation)), actual, $"{activation}, length {length}");
                }
            }

            var error = Assert.Throws<ArgumentException>(() => VectorOps.ScaleShiftAddActivate(new float[8], 1f, 0f, new float[7], Activation.ReLU));
            Assert.Equal("addend", error.ParamName);
            Assert.Contains("7 values for a row of 8", error.Message);
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void Activate_keeps_nan_and_clamps_infinities_in_the_vectors_and_the_tail_alike(SimdLevel level)
        {
            // 8 special values fill one vector on the vector paths; the same 8 again plus 3 form the scalar tail.
            var special = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 6f, 6.0001f, -1e-30f, 3f };
            var x = special.Concat(special).Concat(new[] { float.NaN, 7f, -2f }).ToArray();
            foreach (var activation in Activations)
            {
                var y = new float[x.Length];
                Run(level, () => VectorOps.Activate(x, y, activation));
                AssertMatches(x.Select(v => Reference(v, activation)), y, activation.ToString());
            }
        }

        [Fact]
        public void Lengths_that_differ_are_refused()
        {
            var error = Assert.Throws<ArgumentException>(() => VectorOps.Activate(new float[9], new float[8], Activation.ReLU));
            Assert.Contains("Lengths differ: 9 and 8", error.Message);
            error = Assert.Throws<ArgumentException>(() => VectorOps.AddBiasActivate(new float[9], new float[8], Activation.ReLU));
            Assert.Equal("bias", error.ParamName);
        }

        private static void Run(SimdLevel level, Action action)
        {
            var saved = Simd.Level;
            Simd.Level = level;
            try
            {
                action();
            }
            finally
            {
                Simd.Level = saved;
            }
        }

        private static double Reference(double x, Activation activation) => activation switch
        {
            Activation.None => x,
            Activation.ReLU => double.IsNaN(x) ? x : Math.Max(x, 0),
            Activation.ReLU6 => double.IsNaN(x) ? x : Math.Min(Math.Max(x, 0), 6),
            Activation.Tanh => Math.Tanh(x),
            Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };

        private static void AssertMatches(System.Collections.Generic.IEnumerable<double> expected, float[] actual, string what)
        {
            var i = 0;
            foreach (var e in expected)
            {
                var a = actual[i];
                if (double.IsNaN(e))
                {
                    Assert.True(float.IsNaN(a), $"{what}: element {i} is {a}, expected NaN");
                }
                else
                {
                    Assert.True(Math.Abs(a - e) <= 1e-6 * Math.Max(1, Math.Abs(e)) || a == e, $"{what}: element {i} is {a}, expected {e}");
                }

                i++;
            }
        }

        private static float[] Values(int length, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 16) - 5)).ToArray();
        }
    }
}
