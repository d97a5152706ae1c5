using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvGen.Kernels;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>A residual block whose convs and first dense layer are big enough for batch 1 to split them over two threads.</summary>
    [Input(3, 16, 16)]
    [Conv2D(16, 3, Padding = 1, Activation = Activation.ReLU)]
    [Branch]
    [Conv2D(16, 3, Padding = 1, Bias = false)]
    [BatchNorm2D]
    [ReLU]
    [Conv2D(16, 3, Padding = 1)]
    [Branch]
    [Add(Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Flatten]
    [Dense(128, Activation = Activation.ReLU)]
    [Dense(10)]
    public partial class SplitResidualNet { }

    /// <summary>
    /// Batch 1 with more than one thread splits each conv's and dense layer's GEMM inside the sample; the results must not
    /// change by a single bit from one thread, on every SIMD path, and must repeat exactly.
    /// </summary>
    [Collection("Simd")]
    public sealed class OneSampleThreadsTests
    {
        public static IEnumerable<object[]> Cases() =>
            from level in TestData.Levels()
            from name in new[] { nameof(LeNet5), nameof(SplitResidualNet) }
            select new object[] { name, level };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Batch_one_forward_and_gradients_on_two_threads_equal_one_thread_bit_for_bit(string network, SimdLevel level)
        {
            float[][] Run(int threads)
            {
                var net = network == nameof(LeNet5) ? (INetwork)new LeNet5(seed: 21) : new SplitResidualNet(seed: 21);
                net.Threads = threads;
                net.Training = true;
                ForwardTests.RandomizeBuffers(net);
                var output = new float[net.OutputLength];
                var inputGradient = new float[net.InputLength];
                TestData.WithLevel(level, () =>
                {
                    net.Forward(TestData.Random(net.InputLength, seed: 4), output, 1);
                    net.ZeroGradients();
                    net.Backward(TestData.Random(net.OutputLength, seed: 9), inputGradient, 1);
                });
                return new[] { output, net.ParameterGradients.ToArray(), inputGradient };
            }

            var one = Run(1);
            var two = Run(2);
            var again = Run(2);
            string[] parts = { "output", "parameter gradients", "input gradient" };
            for (var i = 0; i < parts.Length; i++)
            {
                Assert.True(one[i].Any(v => v != 0), $"{network} {parts[i]} is all zeros: the comparison would prove nothing");
                AssertBitEqual(one[i], two[i], $"{network} {level} {parts[i]}, 2 threads vs 1");
                AssertBitEqual(two[i], again[i], $"{network} {level} {parts[i]}, 2 threads run twice");
            }
        }

        [Fact]
        public void Two_networks_running_batch_one_forwards_at_once_each_finish_with_their_own_outputs()
        {
            // Each network lends its GEMMs two threads from the one shared pool while the other does the same.
            var inputs = new[] { TestData.Random(LeNet5.InputLength, seed: 1), TestData.Random(LeNet5.InputLength, seed: 2) };
            var expected = inputs.Select(input =>
            {
                var output = new float[LeNet5.OutputLength];
                new LeNet5(seed: 5) { Threads = 1 }.Forward(input, output);
                return output;
            }).ToArray();

            var mismatches = new int[2];
            var callers = new Thread[2];
            for (var t = 0; t < 2; t++)
            {
                var caller = t;
                callers[t] = new Thread(() =>
                {
                    var net = new LeNet5(seed: 5) { Threads = 2 };
                    var output = new float[LeNet5.OutputLength];
                    for (var call = 0; call < 100; call++)
                    {
                        net.Forward(inputs[caller], output);
                        if (!output.AsSpan().SequenceEqual(expected[caller]))
                        {
                            mismatches[caller]++;
                        }
                    }
                });
                callers[t].Start();
            }

            foreach (var thread in callers)
            {
                Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "a network did not finish: the two networks' forwards wait for each other");
            }

            Assert.Equal(new[] { 0, 0 }, mismatches);
        }

        private static void AssertBitEqual(float[] expected, float[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                {
                    Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R}");
                }
            }
        }
    }
}
