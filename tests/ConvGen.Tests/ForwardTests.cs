using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Tests.Networks;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests
{
    /// <summary>Generated forward passes against the float64 reference interpreter, on every SIMD path and thread count.</summary>
    [Collection("Simd")]
    public sealed class ForwardTests
    {
        public static IEnumerable<object[]> Cases() =>
            from level in TestData.Levels()
            from type in new[] { typeof(LeNet5), typeof(ConvOptionsNet), typeof(SameRectNet), typeof(PoolingNet), typeof(BatchNormNet), typeof(PixelSoftmaxNet), typeof(DropoutNet), typeof(SixAndSwishNet), typeof(ResidualGraphNet), typeof(DirectResidualNet), typeof(SixResidualNet) }
            from threads in new[] { 1, 2 }
            select new object[] { type.Name, level, threads };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Forward_matches_the_reference(string network, SimdLevel level, int threads)
        {
            var net = Create(network, seed: 7);
            net.Threads = threads;
            RandomizeBuffers(net);
            const int batch = 3;
            var input = TestData.Random(batch * net.InputLength, seed: 11);
            var output = new float[batch * net.OutputLength];
            TestData.WithLevel(level, () => net.Forward(input, output, batch));
            var expected = new ReferenceNetwork(net.GetType(), net).Forward(input.Select(v => (double)v).ToArray(), batch);
            TestData.AssertClose(output, expected, 1e-5, network + " output");
        }

        public static IEnumerable<object[]> LargeBatchCases() =>
            from level in TestData.Levels()
            from threads in new[] { 1, 2 }
            select new object[] { level, threads };

        /// <summary>
        /// A batch large enough for the Dense layers to run on weights packed ahead (<see cref="DenseForward"/>), before and
        /// after a training step changes those weights: a packed copy that did not follow would give the old outputs.
        /// </summary>
        [Theory]
        [MemberData(nameof(LargeBatchCases))]
        public void A_large_batch_matches_the_reference_before_and_after_a_training_step(SimdLevel level, int threads)
        {
            var net = new LeNet5(seed: 9) { Threads = threads };
            const int batch = 13;
            var input = TestData.Random(batch * LeNet5.InputLength, seed: 19);
            var labels = Enumerable.Range(0, batch).Select(n => n % 10).ToArray();
            var output = new float[batch * LeNet5.OutputLength];
            TestData.WithLevel(level, () =>
            {
                foreach (var step in new[] { "before", "after" })
                {
                    if (step == "after")
                    {
                        net.TrainStep(input, labels, batch, new Sgd(0.5f));
                    }

                    // The first pass on new weights multiplies by the GEMM, the next by the weights packed ahead.
                    var expected = new ReferenceNetwork(typeof(LeNet5), net).Forward(input.Select(v => (double)v).ToArray(), batch);
                    foreach (var pass in new[] { "first", "second" })
                    {
                        net.Forward(input, output, batch);
                        TestData.AssertClose(output, expected, 1e-5, $"{level}, {threads} threads, {step} the step, {pass} pass");
                    }
                }
            });
        }

        [Fact]
        public void Single_sample_forward_equals_the_batch_forward_row()
        {
            var net = new LeNet5(seed: 3);
            var input = TestData.Random(4 * LeNet5.InputLength, seed: 5);
            var batchOutput = new float[4 * LeNet5.OutputLength];
            net.Forward(input, batchOutput, 4);
            var single = new float[LeNet5.OutputLength];
            net.Forward(input.AsSpan(2 * LeNet5.InputLength, LeNet5.InputLength), single);
            TestData.AssertClose(single, batchOutput.Skip(2 * LeNet5.OutputLength).Take(LeNet5.OutputLength).Select(v => (double)v).ToList(), 1e-6, "sample 2");
        }

        [Fact]
        public void Wrong_lengths_and_batch_sizes_throw_naming_the_expected_length()
        {
            var net = new LeNet5();
            var error = Assert.Throws<ArgumentException>(() => net.Forward(new float[783], new float[10]));
            Assert.Contains("784", error.Message);
            Assert.Equal("input", error.ParamName);
            error = Assert.Throws<ArgumentException>(() => net.Forward(new float[784 * 2], new float[10], 2));
            Assert.Equal("output", error.ParamName);
            Assert.Contains("20", error.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => net.Forward(Array.Empty<float>(), Array.Empty<float>(), 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => net.Threads = 0);
        }

        [Fact]
        public void Steady_state_forward_does_not_allocate()
        {
            var net = new LeNet5 { Threads = 1 };
            var input = TestData.Random(LeNet5.InputLength, seed: 1);
            var output = new float[LeNet5.OutputLength];
            for (var i = 0; i < 5; i++)
            {
                net.Forward(input, output);
            }

            Assert.Equal(0, SteadyState.AllocatedBytes(() => net.Forward(input, output), calls: 20));
        }

        [Fact]
        public void Parameters_follow_pytorch_names_shapes_and_default_initialization()
        {
            var net = new LeNet5(seed: 1);
            Assert.Equal(new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias" }, net.Parameters.Select(p => p.Name));
            Assert.Equal(new[] { 50, 20, 5, 5 }, net.Parameters["conv2.weight"].Shape);
            Assert.Equal(new[] { 500, 2450 }, net.Parameters["dense1.weight"].Shape);
            Assert.Equal(LeNet5.ParameterCount, net.Parameters.Sum(p => p.Length));
            Assert.Equal(1_256_080, LeNet5.ParameterCount);
            var bound = 1 / Math.Sqrt(500);
            var conv2 = net.Parameters["conv2.weight"].Values.ToArray();
            Assert.All(conv2, v => Assert.InRange(v, -bound, bound));
            Assert.True(conv2.Max() > 0.9 * bound && conv2.Min() < -0.9 * bound, "weights fill U(−1/√fan_in, 1/√fan_in)");
            Assert.Equal(new LeNet5(seed: 1).ParameterValues.ToArray(), net.ParameterValues.ToArray());
            Assert.NotEqual(new LeNet5(seed: 2).ParameterValues.ToArray(), net.ParameterValues.ToArray());
            Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => net.Parameters["conv3.weight"]);
        }

        internal static INetwork Create(string name, int seed) => name switch
        {
            nameof(LeNet5) => new LeNet5(seed),
            nameof(ConvOptionsNet) => new ConvOptionsNet(seed),
            nameof(SameRectNet) => new SameRectNet(seed),
            nameof(PoolingNet) => new PoolingNet(seed),
            nameof(BatchNormNet) => new BatchNormNet(seed),
            nameof(PixelSoftmaxNet) => new PixelSoftmaxNet(seed),
            nameof(SixAndSwishNet) => new SixAndSwishNet(seed),
            nameof(WideRowsNet) => new WideRowsNet(seed),
            nameof(DropoutNet) => new DropoutNet(seed),
            nameof(BatchNormPairNet) => new BatchNormPairNet(seed),
            nameof(ResidualGraphNet) => new ResidualGraphNet(seed),
            nameof(InceptionGraphNet) => new InceptionGraphNet(seed),
            nameof(DenseGraphNet) => new DenseGraphNet(seed),
            nameof(NamedGraphNet) => new NamedGraphNet(seed),
            nameof(SixResidualNet) => new SixResidualNet(seed),
            nameof(DirectResidualNet) => new DirectResidualNet(seed),
            nameof(WinogradNet) => new WinogradNet(seed),
            _ => throw new ArgumentException(name),
        };

        /// <summary>Non-trivial BatchNorm parameters and running statistics, so folding is really exercised.</summary>
        internal static void RandomizeBuffers(INetwork net)
        {
            var seed = 100;
            foreach (var p in net.Parameters.Where(p => p.Name.StartsWith("bn", StringComparison.Ordinal)))
            {
                TestData.Random(p.Length, seed++, 0.5f).Select(v => p.Name.EndsWith("weight") ? 1 + v : v).ToArray().CopyTo(p.Values);
            }

            foreach (var b in net.Buffers)
            {
                TestData.Random(b.Length, seed++, 0.5f).Select(v => b.Name.EndsWith("var") ? 1 + v : v).ToArray().CopyTo(b.Values);
            }
        }
    }
}
