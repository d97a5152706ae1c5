using System;
using System.Linq;

namespace ConvGen.Generator.Tests
{
    /// <summary>Which convs the generator emits as Winograd F(2×2, 3×3) (WinogradConvEmitter's rule), and what the others stay.</summary>
    public class WinogradConvRuleTests
    {
        [Fact]
        public void WinogradOnlyWhereTheRuleSaysSo()
        {
            const string source = """
                using ConvGen;

                [Input(16, 12, 12)]
                [Conv2D(8, 3, Padding = 1)]
                [Conv2D(48, 3, Padding = 1, Activation = Activation.ReLU)]
                [Conv2D(48, 3, Padding = 1, Activation = Activation.ReLU)]
                [Conv2D(40, 3, Padding = 1)]
                [Conv2D(48, 3, Padding = 1)]
                [Conv2D(48, 5, Padding = 2)]
                [Conv2D(48, 3, Padding = 2, Dilation = 2)]
                [Conv2D(48, 3, Padding = 1, Groups = 2)]
                [Conv2D(48, 3)]
                [Conv2D(48, 3, Padding = 1, Stride = 2)]
                [Conv2D(48, 3, Padding = 1)]
                [Flatten]
                [Dense(2)]
                public partial class Mixed { }
                """;
            var code = GeneratorHarness.NetworkCode(source);

            // conv1: 8 output channels; conv2: 8 input channels; conv4: 40 output channels; conv5: 40 input channels; conv6: 5×5;
            // conv7: dilated; conv8: grouped; conv10: stride 2; conv11: a 5×5 output. conv3 and conv9 (unpadded, 12×12 → 10×10) take Winograd.
            var winograd = Enumerable.Range(1, 11).Where(i => code.Contains($"_conv{i}Winograd.Apply(", StringComparison.Ordinal)).ToArray();
            Assert.Equal(new[] { 3, 9 }, winograd);
            Assert.Contains("new global::ConvGen.Kernels.Convolution.ConvolutionShape(inChannels: 48, inHeight: 12, inWidth: 12, outChannels: 48, kernelHeight: 3, kernelWidth: 3, strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0)", code, StringComparison.Ordinal);
            Assert.Contains("Forward of conv3: Conv2D 48→48, 3×3, stride 1, pad 1, ReLU: 48×12×12 → 48×12×12, as Winograd F(2×2, 3×3) (no im2col).", code, StringComparison.Ordinal);

            // The backward's ∂L/∂W of the 12-wide Winograd convs runs on BlockedWeightGradient, without a gather.
            Assert.Contains("BlockedWeightGradient _conv3WeightGradient", code, StringComparison.Ordinal);
            Assert.DoesNotContain("Conv3Gather(", code, StringComparison.Ordinal);
        }
    }
}
