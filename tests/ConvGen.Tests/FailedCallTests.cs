using System;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>A call that fails leaves the network as it was; a second thread on one instance is refused, not silently wrong.</summary>
    public sealed class FailedCallTests
    {
        private const int Batch = 4;

        [Fact]
        public void Label_out_of_range_changes_nothing()
        {
            var (net, optimizer, inputs) = Trained();
            var (parameters, buffers) = Snapshot(net);
            var labels = new[] { 0, 1, 5, 2 };

            var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(inputs, labels, Batch, optimizer));

            Assert.Contains("sample 2", error.Message, StringComparison.Ordinal);
            Assert.Equal(parameters, net.ParameterValues.ToArray());
            Assert.Equal(buffers, BufferValues(net)); // BatchNorm's running statistics were not moved by a training forward
        }

        [Fact]
        public void Non_finite_input_is_named_and_changes_nothing()
        {
            var (net, optimizer, inputs) = Trained();
            var (parameters, buffers) = Snapshot(net);
            inputs[(2 * BatchNormNet.InputLength) + 7] = float.NaN;

            var error = Assert.Throws<ArgumentException>(() => net.TrainStep(inputs, new[] { 0, 1, 2, 3 }, Batch, optimizer));

            Assert.Contains("Sample 2 has a non-finite input: value 7", error.Message, StringComparison.Ordinal);
            Assert.Equal(parameters, net.ParameterValues.ToArray());
            Assert.Equal(buffers, BufferValues(net));
        }

        [Fact]
        public void A_batch_too_large_for_an_array_leaves_the_network_usable()
        {
            var net = new PaddedPixelNet(seed: 1) { Threads = 1 };
            var before = new float[2];
            net.Forward(new[] { 1f, 2f }, before, 2);

            // 600 samples of 4,004,001 floats each are more than one array holds: the size check fails before any buffer is replaced.
            var error = Assert.ThrowsAny<Exception>(() => net.Forward(new float[600], new float[600], 600));
            Assert.IsNotType<IndexOutOfRangeException>(error);

            var after = new float[2];
            net.Forward(new[] { 1f, 2f }, after, 2);
            Assert.Equal(before, after);
        }

        [Fact]
        public void A_second_thread_on_one_instance_is_refused()
        {
            var net = new LeNet5(seed: 1) { Threads = 1 };
            var input = TestData.Random(64 * LeNet5.InputLength, seed: 4);
            var output = new float[64 * LeNet5.OutputLength];
            var refused = 0;
            var wrong = 0;
            var expected = new float[64 * LeNet5.OutputLength];
            net.Forward(input, expected, 64);

            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
            {
                var mine = new float[64 * LeNet5.OutputLength];
                for (var i = 0; i < 50; i++)
                {
                    try
                    {
                        net.Forward(input, mine, 64);
                        if (!mine.AsSpan().SequenceEqual(expected))
                        {
                            Interlocked.Increment(ref wrong);
                        }
                    }
                    catch (InvalidOperationException e) when (e.Message.Contains("one instance per thread", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            });

            Assert.Equal(0, wrong);
            Assert.True(refused > 0, "four threads sharing one instance were never refused");
        }

        private static (BatchNormNet Net, Sgd Optimizer, float[] Inputs) Trained()
        {
            var net = new BatchNormNet(seed: 1) { Threads = 1 };
            var optimizer = new Sgd(learningRate: 0.05f, momentum: 0.9f);
            var inputs = TestData.Random(Batch * BatchNormNet.InputLength, seed: 2);
            net.TrainStep(inputs, new[] { 0, 1, 2, 3 }, Batch, optimizer);
            return (net, optimizer, inputs);
        }

        private static (float[] Parameters, float[] Buffers) Snapshot(BatchNormNet net) => (net.ParameterValues.ToArray(), BufferValues(net));

        private static float[] BufferValues(BatchNormNet net)
        {
            var values = new System.Collections.Generic.List<float>();
            foreach (var buffer in net.Buffers)
            {
                values.AddRange(buffer.Values.ToArray());
            }

            return values.ToArray();
        }
    }

    /// <summary>One pixel in, padded by 1,000 on every side: 2001×2001 floats per sample inside, one float out.</summary>
    [Input(1, 1, 1)]
    [Conv2D(1, 1, Padding = 1000)]
    [GlobalAvgPool2D]
    [Flatten]
    public partial class PaddedPixelNet { }
}
