using System;
using System.Linq;

namespace ConvGen.Generator.Tests
{
    /// <summary>Which convs the generator emits as direct convolutions (DirectConvEmitter's rule) and what stays im2col.</summary>
    public class DirectConvRuleTests
    {
        [Fact]
        public void DirectOnlyWhereTheRuleSaysSo()
        {
            const string source = """
                using ConvGen;

                [Input(2, 16, 16)]
                [Conv2D(8, 3, Padding = 1, Activation = Activation.ReLU)]
                [Conv2D(16, 3, Padding = 1, Activation = Activation.ReLU)]
                [Conv2D(16, 1)]
                [Conv2D(16, 3, Padding = 2, Dilation = 2)]
                [Conv2D(16, 3, Padding = 1, Groups = 2)]
                [Conv2D(16, 3, Stride = 2, Padding = 1)]
                [Conv2D(8, 5, Stride = 2)]
                [Flatten]
                [Dense(2)]
                public partial class Mixed { }
                """;
            var code = GeneratorHarness.NetworkCode(source);

            // conv1: 2 input channels; conv3: pointwise; conv4: dilated; conv5: grouped; conv7: 16×5×5 taps but a 2-wide output row.
            // conv2 and conv6 (stride 2) run direct.
            var direct = Enumerable.Range(1, 7).Where(i => code.Contains($"_conv{i}Direct.Apply(", StringComparison.Ordinal)).ToArray();
            Assert.Equal(new[] { 2, 6 }, direct);
            Assert.Contains("new global::ConvGen.Kernels.Convolution.ConvolutionShape(inChannels: 16, inHeight: 16, inWidth: 16, outChannels: 16, kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1)", code, StringComparison.Ordinal);
            Assert.Contains("Forward of conv2: Conv2D 8→16, 3×3, stride 1, pad 1, ReLU: 8×16×16 → 16×16×16, as a direct convolution (no im2col).", code, StringComparison.Ordinal);

            // The backward's ∂L/∂W: the stride-2 direct conv still gathers for it; the stride-1 one, 16-wide rows, runs it on
            // BlockedWeightGradient, without a gather.
            Assert.Contains("Conv6Gather(x, col);", code, StringComparison.Ordinal);
            Assert.Contains("BlockedWeightGradient _conv2WeightGradient", code, StringComparison.Ordinal);
            Assert.DoesNotContain("Conv2Gather(", code, StringComparison.Ordinal);
        }

        [Fact]
        public void ThreeInputChannels_AsAnRgbImageHas_RunDirect_AndOneStaysIm2col()
        {
            // ResNet's and GoogLeNet's 7×7 stride-2 stem reads the 3 colour planes; a grey image's first conv reads one.
            const string rgb = """
                using ConvGen;

                [Input(3, 32, 32)]
                [Conv2D(16, 7, Stride = 2, Padding = 3)]
                [Flatten]
                [Dense(2)]
                public partial class Stem { }
                """;
            const string grey = """
                using ConvGen;

                [Input(1, 28, 28)]
                [Conv2D(20, 5, Padding = 2)]
                [Flatten]
                [Dense(2)]
                public partial class Grey { }
                """;
            foreach (var (source, direct) in new[] { (rgb, true), (grey, false) })
            {
                var code = GeneratorHarness.NetworkCode(source);
                Assert.Equal(direct, code.Contains("_conv1Direct.Apply(", StringComparison.Ordinal));
            }
        }

        [Fact]
        public void DirectUpTo2304TapsAtStrideOneAnd1152StridedAndNeverOneByOne()
        {
            // Filters below 48 in or out keep the stride-1 3×3 convs off Winograd, so only the direct rule decides them.
            const string source = """
                using ConvGen;

                [Input(128, 56, 56)]
                [Conv2D(256, 3, Stride = 2, Padding = 1)]
                [Conv2D(8, 3, Padding = 1)]
                [Conv2D(16, 1, Stride = 2)]
                [Conv2D(8, 3, Padding = 1)]
                [Conv2D(160, 3, Padding = 1)]
                [Conv2D(8, 3, Stride = 2, Padding = 1)]
                [Flatten]
                [Dense(2)]
                public partial class Deep { }
                """;
            var code = GeneratorHarness.NetworkCode(source);

            // conv1: 128×3×3 = 1152 taps per output at stride 2, the strided limit; conv2 (256×3×3 = 2304 taps), conv4
            // (144) and conv5 (72) at stride 1. Not conv3 (a 1×1 kernel) nor conv6 (160×3×3 = 1440 taps at stride 2).
            var direct = Enumerable.Range(1, 6).Where(i => code.Contains($"_conv{i}Direct.Apply(", StringComparison.Ordinal)).ToArray();
            Assert.Equal(new[] { 1, 2, 4, 5 }, direct);
        }
    }
}
