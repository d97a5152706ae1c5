using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>
    /// Graph networks (residual blocks, an Inception-like Concat, DenseNet layers, named merges with From edges and values
    /// read by several layers): forward and backward of the generated code on every SIMD path and on one and two threads.
    /// Gradients are checked against central finite differences of the generated forward itself (evaluated in float32, summed
    /// in double), so the checks hold for any graph the generator accepts; the float64 graph reference belongs to the golden tests.
    /// </summary>
    [Collection("Simd")]
    public sealed class GraphGradientTests
    {
        private static readonly string[] Graphs = { nameof(ResidualGraphNet), nameof(InceptionGraphNet), nameof(DenseGraphNet), nameof(NamedGraphNet), nameof(SixResidualNet) };

        public static IEnumerable<object[]> Cases() =>
            from level in TestData.Levels()
            from name in Graphs
            from threads in new[] { 1, 2 }
            select new object[] { name, level, threads };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Backward_matches_finite_differences(string network, SimdLevel level, int threads)
        {
            var net = ForwardTests.Create(network, seed: 17);
            net.Threads = threads;
            net.Training = true;
            ForwardTests.RandomizeBuffers(net);
            const int batch = 3;
            var input = TestData.Random(batch * net.InputLength, seed: 8);
            var weights = TestData.Random(batch * net.OutputLength, seed: 12);
            var output = new float[batch * net.OutputLength];
            var inputGradient = new float[input.Length];
            TestData.WithLevel(level, () =>
            {
                net.Forward(input, output, batch);
                net.ZeroGradients();
                net.Backward(weights, inputGradient, batch);
                var parameterGradients = net.Parameters.ToDictionary(p => p.Name, p => p.Gradients.ToArray());

                double Loss()
                {
                    net.Forward(input, output, batch);
                    return output.Zip(weights, (y, r) => (double)y * r).Sum();
                }

                var random = new Random(31);
                foreach (var parameter in net.Parameters)
                {
                    Check(parameterGradients[parameter.Name], index => parameter.Values[index], (index, value) => parameter.Values[index] = value, Loss, random, $"{network} {parameter.Name} ({level}, {threads} threads)");
                }

                Check(inputGradient, index => input[index], (index, value) => input[index] = value, Loss, random, $"{network} input ({level}, {threads} threads)");
            });
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Inference_equals_training_forward_without_batch_statistics_and_threads_agree(string network, SimdLevel level, int threads)
        {
            // BatchNorm folds into a conv only where nothing else reads the conv; whatever the layout, inference must agree
            // with itself across thread counts and give finite, input-dependent outputs.
            var net = ForwardTests.Create(network, seed: 5);
            ForwardTests.RandomizeBuffers(net);
            const int batch = 4;
            var input = TestData.Random(batch * net.InputLength, seed: 2);
            var single = new float[batch * net.OutputLength];
            var many = new float[batch * net.OutputLength];
            TestData.WithLevel(level, () =>
            {
                net.Threads = 1;
                net.Forward(input, single, batch);
                net.Threads = threads;
                net.Forward(input, many, batch);
            });

            TestData.AssertClose(many, single.Select(v => (double)v).ToArray(), 1e-5, $"{network} ({level}, {threads} threads)");
            Assert.All(single, v => Assert.True(float.IsFinite(v)));
            Assert.NotEqual(single.AsSpan(0, net.OutputLength).ToArray(), single.AsSpan(net.OutputLength, net.OutputLength).ToArray());
        }

        /// <summary>
        /// Central differences at up to six random indices (the value restored after), within 2% of the largest analytic
        /// magnitude of the tensor (at least 1e-3; the forward runs in float32). ReLU, max-pool and Add+ReLU kinks make a step cross into another linear
        /// piece now and then; the difference then depends on the step, so two steps are tried and the closer one counts.
        /// A wrong analytic gradient misses with both.
        /// </summary>
        private static void Check(float[] analytic, Func<int, float> get, Action<int, float> set, Func<double> loss, Random random, string what)
        {
            var scale = Math.Max(analytic.Max(v => Math.Abs((double)v)), 1e-3);
            foreach (var i in Enumerable.Range(0, 6).Select(_ => random.Next(analytic.Length)).Distinct())
            {
                var saved = get(i);
                var numeric = new[] { 1e-3f, 3e-4f }.Select(h =>
                {
                    set(i, saved + h);
                    var plus = loss();
                    set(i, saved - h);
                    var minus = loss();
                    set(i, saved);
                    return (plus - minus) / (2 * (double)h);
                }).OrderBy(n => Math.Abs(n - analytic[i])).First();
                var error = Math.Abs(numeric - analytic[i]);
                Assert.True(error <= 2e-2 * scale, $"{what}[{i}]: backward {analytic[i]}, finite differences {numeric} (error {error:E2}, scale {scale:G4})");
            }
        }
    }
}
