using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ConvGen.Kernels;
using ConvGen.Kernels.ConvolutionBackward;
using ConvGen.Kernels.Winograd;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests
{
    /// <summary>
    /// Two 3×3 stride-1 convs the generator runs as Winograd F(2×2, 3×3): conv1 with a BatchNorm folded in when
    /// inferring, conv2 unpadded (9×11 → 7×9, odd sizes cut the edge tiles) with a bias and a fused Tanh. Their ∂L/∂x run
    /// by Winograd too (checked against finite differences in <see cref="GradientTests"/>).
    /// </summary>
    [Input(64, 9, 11)]
    [Conv2D(64, 3, Padding = 1, Bias = false, Name = "conv1")]
    [BatchNorm2D(Name = "bn1")]
    [ReLU]
    [Conv2D(72, 3, Activation = Activation.Tanh, Name = "conv2")]
    [Flatten]
    [Dense(5, Name = "dense")]
    public partial class WinogradNet { }

    /// <summary>The generated Winograd forward against the float64 reference interpreter, on every SIMD path, in and out of a sample's thread split.</summary>
    [Collection("Simd")]
    public sealed class WinogradNetworkTests
    {
        public static IEnumerable<object[]> Cases() =>
            from level in TestData.Levels()
            from run in new[] { (threads: 1, batch: 3), (threads: 2, batch: 1) }
            from training in new[] { false, true }
            select new object[] { level, run.threads, run.batch, training };

        [Fact]
        public void Both_convs_take_the_winograd_path()
        {
            var fields = typeof(WinogradNet).GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
                .Where(f => f.FieldType == typeof(WinogradConvolution)).Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "_conv1Winograd", "_conv2Winograd" }, fields);
            var dataGradients = typeof(WinogradNet).GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
                .Where(f => f.FieldType == typeof(DataGradient)).Select(f => ((DataGradient)f.GetValue(new WinogradNet(seed: 1))!).Method);
            Assert.Equal(new[] { DataGradientMethod.Winograd, DataGradientMethod.Winograd }, dataGradients);
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Forward_matches_the_reference(SimdLevel level, int threads, int batch, bool training)
        {
            var net = new WinogradNet(seed: 5) { Threads = threads, Training = training };
            ForwardTests.RandomizeBuffers(net);
            var reference = new ReferenceNetwork(typeof(WinogradNet), net) { Training = training };
            var input = TestData.Random(batch * WinogradNet.InputLength, seed: 17);
            var output = new float[batch * WinogradNet.OutputLength];
            TestData.WithLevel(level, () => net.Forward(input, output, batch));
            TestData.AssertClose(output, reference.Forward(input.Select(v => (double)v).ToArray(), batch), 1e-4, $"{level} output");
        }

        [Fact]
        public void Changed_weights_are_used_by_the_next_forward()
        {
            var net = new WinogradNet(seed: 9) { Threads = 1 };
            ForwardTests.RandomizeBuffers(net);
            var input = TestData.Random(WinogradNet.InputLength, seed: 3);
            var output = new float[WinogradNet.OutputLength];
            net.Forward(input, output);
            var before = (float[])output.Clone();

            // As an optimizer step or Load would: new values written into the live parameters.
            foreach (var name in new[] { "conv1.weight", "conv2.weight" })
            {
                var values = net.Parameters[name].Values;
                for (var i = 0; i < values.Length; i += 7)
                {
                    values[i] = -values[i];
                }
            }

            net.Forward(input, output);
            Assert.NotEqual(before, output);
            var expected = new ReferenceNetwork(typeof(WinogradNet), net).Forward(input.Select(v => (double)v).ToArray(), 1);
            TestData.AssertClose(output, expected, 1e-4, "after the weights changed");
        }
    }
}
