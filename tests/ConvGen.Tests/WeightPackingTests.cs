using System;
using System.IO;
using System.Reflection;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;
using ConvGen.Networks;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>
    /// The direct and Winograd convolutions' weights are packed at construction and by Load, so the first forward call
    /// finds them ready; any other write is picked up by the kernel on its next call.
    /// </summary>
    [Collection("Simd")]
    public sealed class WeightPackingTests
    {
        [Fact]
        public void Construction_and_load_leave_the_kernels_packed_and_other_writes_repack_on_the_next_call()
        {
            var net = new LeNet5(seed: 1);
            var conv2 = Field<DirectConvolution>(net, "_conv2Direct");
            Assert.False(conv2.SetWeights(net.Parameters["conv2.weight"].Values), "the constructor packed conv2's weights");

            var path = Path.Combine(Path.GetTempPath(), "convgen-packing-" + Guid.NewGuid().ToString("N") + ".safetensors");
            try
            {
                new LeNet5(seed: 2).Save(path);
                net.Load(path);
                Assert.False(conv2.SetWeights(net.Parameters["conv2.weight"].Values), "Load packed the loaded weights");
            }
            finally
            {
                File.Delete(path);
            }

            net.Parameters["conv2.weight"].Values[7] += 1f;
            Assert.True(conv2.SetWeights(net.Parameters["conv2.weight"].Values), "a direct write is seen and repacked");
        }

        [Fact]
        public void A_winograd_network_packs_at_construction_and_implements_the_interface()
        {
            var net = new WinogradNet(seed: 3);
            Assert.IsAssignableFrom<IPackedWeights>(net);
            var conv1 = Field<WinogradConvolution>(net, "_conv1Winograd");
            Assert.False(conv1.SetWeights(net.Parameters["conv1.weight"].Values), "the constructor transformed conv1's weights");
            Assert.False(typeof(IPackedWeights).IsAssignableFrom(typeof(PoolingNet)), "a network without such convs does not implement it");
        }

        private static T Field<T>(object network, string name) =>
            (T)(network.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)
                ?? throw new InvalidOperationException(network.GetType().Name + " has no field " + name)).GetValue(network)!;
    }
}
