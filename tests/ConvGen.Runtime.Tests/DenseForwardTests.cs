using System;
using System.Collections.Generic;
using ConvGen.Kernels;
using ConvGen.Networks;

namespace ConvGen.Runtime.Tests
{
    /// <summary>
    /// A Dense layer's forward product (<see cref="DenseForward"/>), each of its ways (y = x·Wᵀ by the GEMM or by a few
    /// samples per pass over W, yᵀ = W·xᵀ on weights packed ahead), shared among parts, against a float64 reference.
    /// </summary>
    [Collection("Simd")]
    public class DenseForwardTests
    {
        public static IEnumerable<object[]> Levels() => GemmTests.Levels();

        // Units that fill whole panels and units that do not; one KC block of inputs and several, and input counts that end
        // on a pair of vectors, on one vector and on single inputs; batches below the packed way's minimum (in one group of
        // samples and in several), at it, and past one 32-column panel with a narrow rest.
        private static readonly (int Units, int Inputs, int Batch)[] Shapes =
        {
            (500, 300, 64), (37, 70, 13), (10, 500, 10), (1, 5, 12), (70, 263, 41), (24, 40, 3), (9, 17, 1), (33, 100, 6), (20, 40, 9),
        };

        [Theory]
        [MemberData(nameof(Levels))]
        public void Every_way_and_part_count_follows_a_float64_reference(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(211 + (int)level);
                foreach (var (units, inputs, batch) in Shapes)
                {
                    int ldx = inputs + 3, ldy = units + 2;
                    var x = GemmTests.Random(rng, batch * ldx);
                    var weights = GemmTests.Random(rng, units * inputs);
                    var bias = GemmTests.Random(rng, units);
                    foreach (var activation in new[] { Activation.ReLU, Activation.None, Activation.Tanh })
                    {
                        foreach (var way in Enum.GetValues<DenseForward.Way>())
                        {
                            foreach (var (parts, threads) in new[] { (1, 1), (1, 2), (2, 1), (3, 1) })
                            {
                                var y = new float[batch * ldy];
                                y.AsSpan().Fill(float.NaN); // the gaps between rows must stay as they were
                                WithWay(way, () => Run(new DenseForward(units, inputs), x, ldx, weights, bias, activation, y, ldy, batch, parts, threads));
                                AssertReference(x, ldx, weights, bias, activation, y, ldy, units, inputs, batch,
                                    $"{level} {units}×{inputs} batch {batch} {activation} {way}, {parts} parts, {threads} threads");
                            }
                        }
                    }
                }
            });
        }

        [Theory]
        [MemberData(nameof(Levels))]
        public void The_packed_path_is_bit_identical_to_the_plain_one_for_every_part_count(SimdLevel level)
        {
            GemmTests.WithLevel(level, () =>
            {
                var rng = new Random(223 + (int)level);
                foreach (var (units, inputs, batch) in Shapes)
                {
                    if (batch == 1 || units == 1)
                    {
                        continue; // one sample or one unit takes the matrix-vector path on the plain weights, which sums in another order
                    }

                    var x = GemmTests.Random(rng, batch * inputs);
                    var weights = GemmTests.Random(rng, units * inputs);
                    var bias = GemmTests.Random(rng, units);
                    var expected = new float[batch * units];
                    WithWay(DenseForward.Way.Plain, () => Run(new DenseForward(units, inputs), x, inputs, weights, bias, Activation.ReLU, expected, units, batch, parts: 1, threads: 1));
                    foreach (var (parts, threads) in new[] { (1, 1), (1, 2), (2, 1), (3, 1) })
                    {
                        var actual = new float[batch * units];
                        WithWay(DenseForward.Way.Packed, () => Run(new DenseForward(units, inputs), x, inputs, weights, bias, Activation.ReLU, actual, units, batch, parts, threads));
                        GemmEpilogueTests.AssertBitEqual(expected, actual, $"{level} {units}×{inputs} batch {batch}, {parts} parts, {threads} threads");
                    }
                }
            });
        }

        [Fact]
        public void Each_batch_takes_the_way_measured_fastest_for_it()
        {
            var layer = new DenseForward(500, 2450);
            GemmTests.WithLevel(SimdLevel.Avx2, () =>
            {
                Assert.Equal(DenseForward.Way.Plain, layer.Choose(batch: 1, threads: 1, settled: true));
                Assert.Equal(DenseForward.Way.SampleDots, layer.Choose(batch: 2, threads: 1, settled: true));
                Assert.Equal(DenseForward.Way.SampleDots, layer.Choose(batch: DenseForward.SampleDotsMaximumBatch, threads: 1, settled: true));
                Assert.Equal(DenseForward.Way.Plain, layer.Choose(batch: DenseForward.PackedMinimumBatch - 1, threads: 1, settled: true));
                Assert.Equal(DenseForward.Way.Plain, layer.Choose(batch: 4, threads: 2, settled: true)); // the GEMM splits over the threads, the dots do not
                Assert.Equal(DenseForward.Way.Packed, layer.Choose(batch: DenseForward.PackedMinimumBatch, threads: 2, settled: true));
                Assert.Equal(DenseForward.Way.Plain, layer.Choose(batch: 64, threads: 1, settled: false)); // new weights every pass: not worth a copy
                Assert.Equal(DenseForward.Way.Plain, new DenseForward(4096, 4096).Choose(batch: 64, threads: 1, settled: true)); // too big to copy
            });
            GemmTests.WithLevel(SimdLevel.Scalar, () => Assert.Equal(DenseForward.Way.Plain, layer.Choose(batch: 4, threads: 1, settled: true)));
        }

        [Fact]
        public void New_weights_are_packed_again_and_a_larger_batch_gets_room()
        {
            var rng = new Random(227);
            var (units, inputs) = (30, 50);
            var layer = new DenseForward(units, inputs);
            var weights = GemmTests.Random(rng, units * inputs);
            var writes = Settled();
            foreach (var (batch, version) in new[] { (12, 1), (40, 2), (64, 3) })
            {
                var x = GemmTests.Random(rng, batch * inputs);
                var y = new float[batch * units];
                Assert.Equal(DenseForward.Way.Packed, layer.Choose(batch, threads: 1, writes.Settled));
                Run(layer, x, inputs, weights, default, Activation.None, y, units, batch, parts: 1, threads: 1, writes);
                AssertReference(x, inputs, weights, default, Activation.None, y, units, units, inputs, batch, $"batch {batch}, weights version {version}");

                // The next call's weights differ from the packed ones: written as an optimizer step writes them, then two passes.
                weights[(version * 7) + 3] += 1f;
                writes.Changed();
                writes.StartPass();
                writes.StartPass();
            }
        }

        [Fact]
        public void Wrong_arguments_are_refused_with_what_is_wrong()
        {
            var layer = new DenseForward(4, 6);
            var x = new float[3 * 6];
            var weights = new float[24];
            var y = new float[3 * 4];
            void Apply(float[] xs, int ldx, float[] w, float[] bias, Activation activation, float[] ys, int ldy, int part = 0, int parts = 1) =>
                layer.Apply(xs, ldx, w, new ParameterWrites(), bias, activation, ys, ldy, batch: 3, part, parts, threads: 1);

            Assert.Contains("needs 24", Assert.Throws<ArgumentException>(() => Apply(x, 6, new float[23], null!, Activation.None, y, 4)).Message);
            Assert.Contains("one per unit (4)", Assert.Throws<ArgumentException>(() => Apply(x, 6, weights, new float[3], Activation.None, y, 4)).Message);
            Assert.Contains("Softmax", Assert.Throws<ArgumentException>(() => Apply(x, 6, weights, null!, Activation.Softmax, y, 4)).Message);
            Assert.Contains("ldx is 5", Assert.Throws<ArgumentException>(() => Apply(x, 5, weights, null!, Activation.None, y, 4)).Message);
            Assert.Contains("x holds 17", Assert.Throws<ArgumentException>(() => Apply(new float[17], 6, weights, null!, Activation.None, y, 4)).Message);
            Assert.Contains("y holds 11", Assert.Throws<ArgumentException>(() => Apply(x, 6, weights, null!, Activation.None, new float[11], 4)).Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => Apply(x, 6, weights, null!, Activation.None, y, 4, part: 2, parts: 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => new DenseForward(0, 6));
            Assert.Throws<ArgumentNullException>(() => layer.Apply(x, 6, weights, null!, default, Activation.None, y, 4, batch: 3, part: 0, parts: 1, threads: 1));
        }

        private static void Run(DenseForward layer, float[] x, int ldx, float[] weights, float[]? bias, Activation activation, float[] y, int ldy,
            int batch, int parts, int threads, ParameterWrites? writes = null)
        {
            writes ??= Settled();
            for (var part = 0; part < parts; part++)
            {
                layer.Apply(x, ldx, weights, writes, bias, activation, y, ldy, batch, part, parts, threads);
            }
        }

        /// <summary>A record of writes on its second pass over the same weights, as inference runs: weights may be packed ahead.</summary>
        private static ParameterWrites Settled()
        {
            var writes = new ParameterWrites();
            writes.StartPass();
            writes.StartPass();
            return writes;
        }

        private static void WithWay(DenseForward.Way way, Action action)
        {
            try
            {
                DenseForward.ForcedWay = way;
                action();
            }
            finally
            {
                DenseForward.ForcedWay = null;
            }
        }

        private static void AssertReference(float[] x, int ldx, float[] weights, float[]? bias, Activation activation, float[] y, int ldy,
            int units, int inputs, int batch, string what)
        {
            for (var n = 0; n < batch; n++)
            {
                for (var u = 0; u < ldy; u++)
                {
                    var actual = y[(n * ldy) + u];
                    if (u >= units)
                    {
                        Assert.True(float.IsNaN(actual), $"{what}: y[{n}, {u}] past the units was written");
                        continue;
                    }

                    double sum = bias is { Length: > 0 } ? bias[u] : 0, magnitude = Math.Abs(sum);
                    for (var i = 0; i < inputs; i++)
                    {
                        var term = (double)x[(n * ldx) + i] * weights[(u * inputs) + i];
                        sum += term;
                        magnitude += Math.Abs(term);
                    }

                    var expected = activation switch
                    {
                        Activation.ReLU => Math.Max(sum, 0),
                        Activation.Tanh => Math.Tanh(sum),
                        _ => sum,
                    };
                    Assert.True(Math.Abs(actual - expected) <= (1e-5 * magnitude) + 1e-5, $"{what}: y[{n}, {u}] = {actual}, float64 gives {expected}");
                }
            }
        }
    }
}
