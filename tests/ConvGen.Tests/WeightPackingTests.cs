using System;
using System.IO;
using System.Linq;
using System.Reflection;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;
using ConvGen.Networks;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>
    /// The direct and Winograd convolutions' weights, and those the GEMM convolutions multiply by, are packed by Load (or by the first call of a network run with its
    /// initial weights), so the first forward call after a load finds them ready. The network's own writes (Load, <see cref="Parameter.Write"/>, training) advance its
    /// <see cref="ParameterWrites"/> stamp, so kernels skip comparing the weights while it is unchanged; once a writable view
    /// has been handed out, every write through it — held across calls too — still reaches the next forward pass.
    /// </summary>
    [Collection("Simd")]
    public sealed class WeightPackingTests
    {
        [Fact]
        public void Load_packs_at_the_current_stamp_and_the_networks_own_writes_advance_it()
        {
            var net = new LeNet5(seed: 1);
            var writes = Field<ParameterWrites>(net, "_writes");
            var conv2 = Field<DirectConvolution>(net, "_conv2Direct");
            var weight = net.Parameters["conv2.weight"];
            var constructed = writes.Stamp;
            Assert.NotEqual(ParameterWrites.Unknown, constructed);
            Forward(net, Input(LeNet5.InputLength));
            Assert.False(conv2.SetWeights(weight.ReadOnlyValues, constructed), "the first forward call packed the initial weights");

            var path = Path.Combine(Path.GetTempPath(), "convgen-packing-" + Guid.NewGuid().ToString("N") + ".safetensors");
            try
            {
                new LeNet5(seed: 2).Save(path);
                net.Save(path + ".own");
                net.Load(path);
            }
            finally
            {
                File.Delete(path);
                File.Delete(path + ".own");
            }

            var loaded = writes.Stamp;
            Assert.NotEqual(ParameterWrites.Unknown, loaded); // saving reads the values without handing out a writable view
            Assert.NotEqual(constructed, loaded);
            Assert.False(conv2.SetWeights(weight.ReadOnlyValues, loaded), "Load packed the loaded weights");
            Assert.False(Field<PackedMatrix>(net, "_conv1PackedWeights").SetValues(net.Parameters["conv1.weight"].ReadOnlyValues, loaded),
                "Load packed the loaded weights of the im2col conv");

            var changed = weight.ReadOnlyValues.ToArray();
            changed[7] += 1f;
            weight.Write(changed);
            Assert.NotEqual(loaded, writes.Stamp);
            Assert.True(conv2.SetWeights(weight.ReadOnlyValues, writes.Stamp), "a write advances the stamp, and the kernel repacks");

            _ = weight.Values;
            Assert.Equal(ParameterWrites.Unknown, writes.Stamp);
        }

        [Fact]
        public void Construction_leaves_the_packing_to_Load_or_the_first_call()
        {
            // Loading or training changes the weights again, so packing the initial ones at construction would be wasted.
            var net = new LeNet5(seed: 1);
            var conv2 = Field<DirectConvolution>(net, "_conv2Direct");
            Assert.True(conv2.SetWeights(net.Parameters["conv2.weight"].ReadOnlyValues, Field<ParameterWrites>(net, "_writes").Stamp));
        }

        [Fact]
        public void Write_checks_the_length_and_leaves_the_values_unchanged_when_it_is_wrong()
        {
            var net = new LeNet5(seed: 1);
            var weight = net.Parameters["conv2.weight"];
            var before = weight.ReadOnlyValues.ToArray();
            var error = Assert.Throws<ArgumentException>(() => weight.Write(new float[weight.Length - 1]));
            Assert.Contains("conv2.weight", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, weight.ReadOnlyValues.ToArray());
        }

        [Fact]
        public void A_winograd_network_implements_the_interface_and_Load_transforms_its_weights()
        {
            var net = new WinogradNet(seed: 3);
            Assert.IsAssignableFrom<IPackedWeights>(net);
            var path = Path.Combine(Path.GetTempPath(), "convgen-packing-" + Guid.NewGuid().ToString("N") + ".safetensors");
            try
            {
                new WinogradNet(seed: 4).Save(path);
                net.Load(path);
            }
            finally
            {
                File.Delete(path);
            }

            var conv1 = Field<WinogradConvolution>(net, "_conv1Winograd");
            var stamp = Field<ParameterWrites>(net, "_writes").Stamp;
            Assert.False(conv1.SetWeights(net.Parameters["conv1.weight"].ReadOnlyValues, stamp), "Load transformed conv1's weights");
            Assert.False(typeof(IPackedWeights).IsAssignableFrom(typeof(DropoutNet)), "a network without convs does not implement it");
        }

        /// <summary>
        /// A span handed out before the calls and written after one: the network cannot see the write, so it must have
        /// stopped trusting its stamp when the span was handed out. The result must equal a network given the same
        /// weights through <see cref="Parameter.Write"/>.
        /// </summary>
        [Theory]
        [InlineData("direct", false)]
        [InlineData("direct", true)]
        [InlineData("winograd", false)]
        [InlineData("winograd", true)]
        [InlineData("gemm", false)]
        [InlineData("gemm", true)]
        public void A_write_through_a_span_held_across_calls_reaches_the_next_forward_pass(string kernel, bool wholeSpan)
        {
            var (net, reference, name) = kernel switch
            {
                "direct" => ((INetwork)new LeNet5(seed: 4), (INetwork)new LeNet5(seed: 4), "conv2.weight"),
                "gemm" => (new LeNet5(seed: 4), new LeNet5(seed: 4), "conv1.weight"), // im2col + GEMM with packed weights
                _ => (new WinogradNet(seed: 4), new WinogradNet(seed: 4), "conv1.weight"),
            };
            var tensor = net.Parameters[name];
            var input = Input(net.InputLength);
            var held = wholeSpan ? net.ParameterValues.Slice(tensor.Offset, tensor.Length) : tensor.Values;

            var before = Forward(net, input);
            for (var i = 0; i < 9; i++)
            {
                held[i] += 0.5f;
            }

            var after = Forward(net, input);
            reference.Parameters[name].Write(tensor.ReadOnlyValues);
            Assert.NotEqual(before, after);
            Assert.Equal(Forward(reference, input), after);
        }

        /// <summary>A training step writes the parameters itself: the next inference must run with the stepped weights.</summary>
        [Theory]
        [InlineData("direct")]
        [InlineData("winograd")]
        public void A_training_step_reaches_the_next_forward_pass(string kernel)
        {
            var (net, reference) = kernel == "direct"
                ? ((INetwork)new LeNet5(seed: 5), (INetwork)new LeNet5(seed: 6))
                : (new WinogradNet(seed: 5), new WinogradNet(seed: 6));
            var input = Input(net.InputLength * 2);
            var before = Forward(net, input.AsSpan(0, net.InputLength).ToArray());
            net.TrainStep(input, new[] { 1, 3 }, 2, new Sgd(learningRate: 0.05f));

            foreach (var (trained, copy) in net.Parameters.Zip(reference.Parameters))
            {
                copy.Write(trained.ReadOnlyValues);
            }

            foreach (var (trained, copy) in net.Buffers.Zip(reference.Buffers))
            {
                copy.Write(trained.ReadOnlyValues);
            }

            var after = Forward(net, input.AsSpan(0, net.InputLength).ToArray());
            Assert.NotEqual(before, after);
            Assert.Equal(Forward(reference, input.AsSpan(0, net.InputLength).ToArray()), after);
        }

        /// <summary>
        /// A hand-written training loop steps the parameters with <see cref="Optimizer.Step(INetwork)"/>: the step advances the
        /// stamp without handing out a writable view, and the next inference runs with the stepped weights.
        /// </summary>
        [Theory]
        [InlineData("direct")]
        [InlineData("winograd")]
        public void An_optimizer_step_on_the_network_advances_the_stamp_and_reaches_the_next_forward_pass(string kernel)
        {
            var (net, reference) = kernel == "direct"
                ? ((INetwork)new LeNet5(seed: 7), (INetwork)new LeNet5(seed: 8))
                : (new WinogradNet(seed: 7), new WinogradNet(seed: 8));
            var writes = Field<ParameterWrites>(net, "_writes");
            var input = Input(net.InputLength);
            var before = Forward(net, input);
            var stamp = writes.Stamp;

            net.Training = true;
            var output = new float[net.OutputLength];
            net.Forward(input, output, 1);
            net.ZeroGradients();
            net.Backward(output, 1);
            new Sgd(learningRate: 0.05f).Step(net);
            net.Training = false;

            Assert.NotEqual(ParameterWrites.Unknown, writes.Stamp);
            Assert.NotEqual(stamp, writes.Stamp);
            foreach (var (stepped, copy) in net.Parameters.Zip(reference.Parameters).Concat(net.Buffers.Zip(reference.Buffers)))
            {
                copy.Write(stepped.ReadOnlyValues); // the buffers too: the training-mode pass moved BatchNorm's running statistics
            }

            var after = Forward(net, input);
            Assert.NotEqual(before, after);
            Assert.Equal(Forward(reference, input), after);
        }

        private static float[] Input(int length)
        {
            var random = new Random(11);
            return Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        }

        private static float[] Forward(INetwork net, float[] input)
        {
            var output = new float[net.OutputLength];
            net.Forward(input, output);
            return output;
        }

        private static T Field<T>(object network, string name) =>
            (T)(network.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)
                ?? throw new InvalidOperationException(network.GetType().Name + " has no field " + name)).GetValue(network)!;
    }
}
