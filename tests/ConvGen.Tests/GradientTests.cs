using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Tests.Networks;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests
{
    /// <summary>
    /// Generated backward passes against central finite differences of the float64 reference, for every parameter
    /// tensor and the input, on every SIMD path and on one and two threads. The loss is L = Σ r·y for fixed random r.
    /// </summary>
    [Collection("Simd")]
    public sealed class GradientTests
    {
        public static IEnumerable<object[]> Cases() =>
            from level in TestData.Levels()
            from name in new[] { nameof(LeNet5), nameof(ConvOptionsNet), nameof(SameRectNet), nameof(PoolingNet), nameof(BatchNormNet), nameof(PixelSoftmaxNet), nameof(SixAndSwishNet), nameof(WideRowsNet), nameof(WinogradNet) }
            from threads in new[] { 1, 2 }
            select new object[] { name, level, threads };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Backward_matches_finite_differences(string network, SimdLevel level, int threads)
        {
            var net = ForwardTests.Create(network, seed: 21);
            net.Threads = threads;
            net.Training = true;
            ForwardTests.RandomizeBuffers(net);
            const int batch = 3;
            var input = TestData.Random(batch * net.InputLength, seed: 4);
            var weights = TestData.Random(batch * net.OutputLength, seed: 9);
            var inputGradient = new float[input.Length];
            var reference = new ReferenceNetwork(net.GetType(), net) { Training = true };
            TestData.WithLevel(level, () =>
            {
                net.Forward(input, new float[batch * net.OutputLength], batch);
                net.ZeroGradients();
                net.Backward(weights, inputGradient, batch);
            });

            var x = input.Select(v => (double)v).ToArray();
            double Loss() => reference.Forward(x, batch).Zip(weights, (y, r) => y * r).Sum();
            var random = new Random(5);
            foreach (var parameter in net.Parameters)
            {
                var values = reference.Tensor(parameter.Name);
                TestData.CheckSampled(parameter.Gradients.ToArray(), values, Loss, random, network + " " + parameter.Name);
            }

            TestData.CheckSampled(inputGradient, x, Loss, random, network + " input");
        }

        public static IEnumerable<object[]> LevelsAndThreads() =>
            from level in TestData.Levels()
            from threads in new[] { 1, 2 }
            select new object[] { level, threads };

        /// <summary>
        /// Issue 11, item 7: a BatchNorm2D reading another's output undoes that one's scale and shift, so the first one's
        /// ∂L/∂γ is what is left of a cancellation (of the order of eps) and its ∂L/∂β is exactly zero. ∂L/∂γ must match the
        /// float64 finite differences to 2% of its own largest magnitude, and ∂L/∂β must stay within 1e-5 of the pair's
        /// largest gradient (float rounding of a sum that cancels, nothing more).
        /// </summary>
        [Theory]
        [MemberData(nameof(LevelsAndThreads))]
        public void BatchNorm_after_BatchNorm_gradients_match_at_their_own_scale(SimdLevel level, int threads)
        {
            var net = new BatchNormPairNet(seed: 3) { Threads = threads, Training = true };
            ForwardTests.RandomizeBuffers(net);
            const int batch = 4;
            var input = TestData.Random(batch * BatchNormPairNet.InputLength, seed: 6);
            var weights = TestData.Random(batch * BatchNormPairNet.OutputLength, seed: 7);
            TestData.WithLevel(level, () =>
            {
                net.Forward(input, new float[weights.Length], batch);
                net.ZeroGradients();
                net.Backward(weights, batch);
            });

            var reference = new ReferenceNetwork(typeof(BatchNormPairNet), net) { Training = true };
            var x = input.Select(v => (double)v).ToArray();
            double Loss() => reference.Forward(x, batch).Zip(weights, (y, r) => y * r).Sum();
            var names = new[] { "bn1.weight", "bn1.bias", "bn2.weight", "bn2.bias" };
            var numeric = names.ToDictionary(name => name, name => CentralDifferences(reference.Tensor(name), Loss));
            var largest = numeric.Values.Max(g => g.Max(Math.Abs));
            foreach (var name in names)
            {
                var scale = name == "bn1.bias" ? 1e-5 * largest : 2e-2 * numeric[name].Max(Math.Abs);
                var analytic = net.Parameters[name].Gradients;
                for (var i = 0; i < analytic.Length; i++)
                {
                    var error = Math.Abs(analytic[i] - numeric[name][i]);
                    Assert.True(error <= scale, $"{name}[{i}] ({level}, {threads} threads): backward {analytic[i]}, finite differences {numeric[name][i]} (error {error:E2} > {scale:E2})");
                }
            }

            Assert.True(numeric["bn1.weight"].Max(Math.Abs) < 1e-2 * largest, "the first BatchNorm's ∂L/∂γ should be a small remainder, or the test checks nothing special");
        }

        /// <summary>∂Loss/∂values[i] for every i, by central differences (values perturbed in place and restored).</summary>
        private static double[] CentralDifferences(double[] values, Func<double> loss)
        {
            const double h = 1e-5;
            var result = new double[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var saved = values[i];
                values[i] = saved + h;
                var plus = loss();
                values[i] = saved - h;
                var minus = loss();
                values[i] = saved;
                result[i] = (plus - minus) / (2 * h);
            }

            return result;
        }

        [Fact]
        public void Backward_accumulates_until_gradients_are_zeroed()
        {
            var net = new ConvOptionsNet(seed: 2);
            var input = TestData.Random(2 * ConvOptionsNet.InputLength, seed: 1);
            var weights = TestData.Random(2 * ConvOptionsNet.OutputLength, seed: 2);
            net.Forward(input, new float[weights.Length], 2);
            net.Backward(weights, 2);
            var once = net.ParameterGradients.ToArray();
            net.Backward(weights, 2);
            var twice = net.ParameterGradients.ToArray();
            Assert.Contains(once, g => g != 0);
            for (var i = 0; i < once.Length; i++)
            {
                Assert.Equal(2 * once[i], twice[i], 4);
            }

            net.ZeroGradients();
            Assert.All(net.ParameterGradients.ToArray(), g => Assert.Equal(0f, g));
        }

        [Fact]
        public void Backward_needs_a_forward_of_the_same_batch_and_training_mode_for_batchnorm()
        {
            var net = new BatchNormNet();
            var error = Assert.Throws<InvalidOperationException>(() => net.Backward(new float[5], 1));
            Assert.Contains("Forward", error.Message);
            net.Forward(new float[2 * BatchNormNet.InputLength], new float[10], 2);
            error = Assert.Throws<InvalidOperationException>(() => net.Backward(new float[10], 2));
            Assert.Contains("Training = true", error.Message);
            net.Training = true;
            net.Forward(new float[2 * BatchNormNet.InputLength], new float[10], 2);
            net.Backward(new float[10], 2);
        }

        [Fact]
        public void Results_are_bit_identical_for_a_given_thread_count()
        {
            float[] Run(int threads)
            {
                var net = new LeNet5(seed: 1) { Threads = threads, Training = true };
                var input = TestData.Random(8 * LeNet5.InputLength, seed: 3);
                net.Forward(input, new float[80], 8);
                net.Backward(TestData.Random(80, seed: 4), 8);
                return net.ParameterGradients.ToArray();
            }

            Assert.Equal(Run(2), Run(2));
            Assert.Equal(Run(1), Run(1));
        }
    }
}
