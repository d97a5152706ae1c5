using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ConvGen.Kernels;
using ConvGen.Networks;

namespace ConvGen.Tests
{
    /// <summary>
    /// Every pass that splits one sample's rows, channels or blocks over the threads: an im2col conv's gather and epilogue
    /// (with the BatchNorm and the ReLU after it folded in when inferring; two input channels keep it off the direct
    /// convolution), an unfolded BatchNorm, a ReLU (in training) and
    /// a Tanh layer, a residual Add (after a conv with its own activation, which keeps the sum a pass of its own rather than
    /// the conv's epilogue), max and average pooling with windows inside the input and with padding. 66×66 keeps
    /// the smallest passes (the Tanh's, the last pool's) above two parts' worth of work.
    /// </summary>
    [Input(2, 66, 66)]
    [Conv2D(32, 3, Padding = 1)]
    [BatchNorm2D]
    [ReLU]
    [Branch]
    [Conv2D(32, 3, Padding = 1, Bias = false, Activation = Activation.ReLU6)]
    [Branch]
    [Add(Activation = Activation.ReLU)]
    [BatchNorm2D]
    [AvgPool2D(2)]
    [Tanh]
    [MaxPool2D(3, Stride = 1, Padding = 1)]
    [AvgPool2D(3, Stride = 2, Padding = 1)]
    [Flatten]
    [Dense(10)]
    public partial class SplitPassesNet { }

    /// <summary>A LeakyReLU, a max pool whose windows stay inside, and a global average pool, each large enough to split one sample.</summary>
    [Input(64, 64, 64)]
    [LeakyReLU(0.1f)]
    [MaxPool2D(2)]
    [GlobalAvgPool2D]
    [Flatten]
    [Dense(10)]
    public partial class SplitPoolNet { }

    /// <summary>
    /// Batch 1 with 2 and 3 threads splits each sample's im2col, conv epilogue, pooling, BatchNorm, activation and Add passes into parts: the
    /// results must equal one thread's bit for bit, on every SIMD path, and the passes named must really have split.
    /// </summary>
    [Collection("Simd")]
    public sealed class OneSampleSplitTests
    {
        public static IEnumerable<object[]> Cases() =>
            from level in TestData.Levels()
            from name in new[] { nameof(SplitPassesNet), nameof(SplitPoolNet) }
            from training in new[] { false, true }
            select new object[] { name, training, level };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Batch_one_on_two_and_three_threads_equals_one_thread_bit_for_bit_and_splits_every_pass(string network, bool training, SimdLevel level)
        {
            var one = Run(network, training, level, threads: 1);
            string[] parts = training ? new[] { "output", "parameter gradients", "input gradient" } : new[] { "output" };
            for (var i = 0; i < parts.Length; i++)
            {
                Assert.True(one.Results[i].Any(v => v != 0), $"{network} {parts[i]} is all zeros: the comparison would prove nothing");
            }

            Assert.Empty(one.SplitSteps);
            foreach (var threads in new[] { 2, 3 })
            {
                var many = Run(network, training, level, threads);
                for (var i = 0; i < parts.Length; i++)
                {
                    AssertBitEqual(one.Results[i], many.Results[i], $"{network} {level} {(training ? "training" : "inference")} {parts[i]}, {threads} threads vs 1");
                }

                Assert.Equal(ExpectedSplits(network, training).OrderBy(s => s), many.SplitSteps.OrderBy(s => s));
            }
        }

        [Fact]
        public void Steady_state_batch_one_forward_and_train_step_split_over_two_threads_do_not_allocate()
        {
            var net = new SplitPassesNet(seed: 1) { Threads = 2 };
            var recorder = PartRecorder.Attach(net);
            var optimizer = new Sgd(learningRate: 0.01f, momentum: 0.9f);
            var input = TestData.Random(SplitPassesNet.InputLength, seed: 2);
            var output = new float[SplitPassesNet.OutputLength];
            var label = new[] { 3 };
            for (var i = 0; i < 3; i++)
            {
                net.Forward(input, output);
                net.TrainStep(input, label, 1, optimizer);
            }

            Assert.Contains("Maxpool1Backward", recorder.SplitSteps);
            Assert.Equal(0, SteadyState.AllocatedBytes(() => net.Forward(input, output), calls: 10));
            Assert.Equal(0, SteadyState.AllocatedBytes(() => net.TrainStep(input, label, 1, optimizer), calls: 5));
        }

        /// <summary>The steps that split the sample at 2 and 3 threads (the Tanh's pass is too small for a third part, not for a second).</summary>
        private static IEnumerable<string> ExpectedSplits(string network, bool training) => (network, training) switch
        {
            (nameof(SplitPassesNet), false) => new[] { "Conv1ForwardGather", "Add1Forward", "Bn2Forward", "Avgpool1Forward", "Tanh1Forward", "Maxpool1Forward", "Avgpool2Forward" },
            (nameof(SplitPassesNet), true) => new[]
            {
                "Conv1ForwardGather", "Bn1TrainForward", "Relu1Forward", "Add1Forward", "Bn2TrainForward", "Avgpool1Forward", "Tanh1Forward", "Maxpool1Forward", "Avgpool2Forward",
                "Avgpool2Backward", "Maxpool1Backward", "Avgpool1Backward", "Bn2Backward", "Add1Backward", "Bn1Backward",
            },
            (_, false) => new[] { "Leakyrelu1Forward", "Maxpool1Forward", "Gap1Forward" },
            _ => new[] { "Leakyrelu1Forward", "Maxpool1Forward", "Gap1Forward", "Gap1Backward", "Maxpool1Backward" },
        };

        /// <summary>
        /// Forward (and in training backward) of batch 1 after a first forward of another input, so a part that skips
        /// elements leaves the first input's values behind; also the steps that ran in more than one part.
        /// </summary>
        private static (float[][] Results, HashSet<string> SplitSteps) Run(string network, bool training, SimdLevel level, int threads)
        {
            INetwork net = network == nameof(SplitPassesNet) ? new SplitPassesNet(seed: 3) : new SplitPoolNet(seed: 3);
            net.Threads = threads;
            net.Training = training;
            ForwardTests.RandomizeBuffers(net);
            var recorder = PartRecorder.Attach(net);
            var output = new float[net.OutputLength];
            var inputGradient = new float[net.InputLength];
            TestData.WithLevel(level, () =>
            {
                net.Forward(TestData.Random(net.InputLength, seed: 5), output, 1);
                net.Forward(TestData.Random(net.InputLength, seed: 4), output, 1);
                if (training)
                {
                    net.ZeroGradients();
                    net.Backward(TestData.Random(net.OutputLength, seed: 9), inputGradient, 1);
                }
            });
            var results = training ? new[] { output, net.ParameterGradients.ToArray(), inputGradient } : new[] { output };
            return (results, recorder.SplitSteps);
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

        /// <summary>
        /// Stands between a generated network's runner and its schedule (the runner's private field, set by reflection) and
        /// notes, by step method name, every step the runner ran in more than one part of a sample.
        /// </summary>
        private sealed class PartRecorder : INetworkSchedule
        {
            private readonly INetworkSchedule _schedule;
            private readonly Dictionary<int, string> _names;

            private PartRecorder(INetworkSchedule schedule, Dictionary<int, string> names)
            {
                _schedule = schedule;
                _names = names;
            }

            public HashSet<string> SplitSteps { get; } = new();

            public Span<float> Output => _schedule.Output;

            public Span<float> OutputGradient => _schedule.OutputGradient;

            public static PartRecorder Attach(INetwork net)
            {
                const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
                var runner = net.GetType().GetField("_runner", Private)!.GetValue(net)!;
                var field = typeof(NetworkRunner).GetField("_schedule", Private)!;
                var names = net.GetType().GetFields(BindingFlags.NonPublic | BindingFlags.Static)
                    .Where(f => f.IsLiteral && f.Name.EndsWith("Step", StringComparison.Ordinal))
                    .ToDictionary(f => (int)f.GetRawConstantValue()!, f => f.Name.Substring(0, f.Name.Length - "Step".Length));
                var recorder = new PartRecorder((INetworkSchedule)field.GetValue(runner)!, names);
                field.SetValue(runner, recorder);
                return recorder;
            }

            public void Grow(int batchSize) => _schedule.Grow(batchSize);

            public void Forward(ReadOnlySpan<float> input, int batchSize, int workers, int gemmThreads, bool training) => _schedule.Forward(input, batchSize, workers, gemmThreads, training);

            public void Backward(bool fromLogits, bool needInputGradient) => _schedule.Backward(fromLogits, needInputGradient);

            public void CopyInputGradient(Span<float> inputGradient, int batchSize) => _schedule.CopyInputGradient(inputGradient, batchSize);

            public void RunStep(int step, int worker, int part, int parts)
            {
                if (parts > 1)
                {
                    lock (SplitSteps)
                    {
                        SplitSteps.Add(_names[step]);
                    }
                }

                _schedule.RunStep(step, worker, part, parts);
            }

            public string Describe(int step) => _schedule.Describe(step);
        }
    }
}
