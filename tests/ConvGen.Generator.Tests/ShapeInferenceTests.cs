using System.Linq;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Tests
{
    /// <summary>Shape inference and parameter counting as a pure function of <see cref="NetworkModel"/> values.</summary>
    public class ShapeInferenceTests
    {
        private const Activation ReLU = Activation.ReLU;
        private const Activation Tanh = Activation.Tanh;

        private static string[] Outputs(NetworkAnalysis analysis) => analysis.Layers.Select(l => l.Out.ToString()).ToArray();

        private static long[] Parameters(NetworkAnalysis analysis) => analysis.Layers.Select(l => l.Parameters).ToArray();

        private static NetworkAnalysis Clean(ModelBuilder builder)
        {
            var analysis = builder.Infer();
            Assert.Empty(analysis.Problems);
            return analysis;
        }

        private static NetworkModel LeNet5() => ModelBuilder.Input(1, 28, 28)
            .Conv(20, 5, padding: 2, activation: ReLU).MaxPool(2)
            .Conv(50, 5, padding: 2, activation: ReLU).MaxPool(2)
            .Flatten().Dense(500, ReLU).Dense(10).Build();

        [Fact]
        public void LeNet5_ShapesAndParameters()
        {
            var analysis = ShapeInference.Infer(LeNet5());
            Assert.Empty(analysis.Problems);
            Assert.Equal(new[] { "20×28×28", "20×14×14", "50×14×14", "50×7×7", "2450", "500", "10" }, Outputs(analysis));
            Assert.Equal(new long[] { 520, 0, 25050, 0, 0, 1225500, 5010 }, Parameters(analysis));
            Assert.Equal(1256080, analysis.TotalParameters);
        }

        [Fact]
        public void LeNet5_ReceptiveFields()
        {
            var analysis = ShapeInference.Infer(LeNet5());

            // conv 5 → pool +1 (jump 2) → conv +4·2 → pool +1·4; flatten keeps it; dense sees the whole 28×28 input.
            Assert.Equal(new[] { 5, 6, 14, 16, 16, 28, 28 }, analysis.Layers.Select(l => l.ReceptiveFieldHeight));
            Assert.Equal(new[] { 5, 6, 14, 16, 16, 28, 28 }, analysis.Layers.Select(l => l.ReceptiveFieldWidth));
            Assert.Equal(new[] { 1, 2, 2, 4 }, analysis.Layers.Take(4).Select(l => l.JumpHeight));
        }

        [Fact]
        public void ClassicLeNet5_Has61706Parameters()
        {
            var analysis = Clean(ModelBuilder.Input(1, 32, 32)
                .Conv(6, 5, activation: Tanh).AvgPool(2)
                .Conv(16, 5, activation: Tanh).AvgPool(2)
                .Conv(120, 5, activation: Tanh).Flatten()
                .Dense(84, Tanh).Dense(10));
            Assert.Equal(new[] { "6×28×28", "6×14×14", "16×10×10", "16×5×5", "120×1×1", "120", "84", "10" }, Outputs(analysis));
            Assert.Equal(new long[] { 156, 0, 2416, 0, 48120, 0, 10164, 850 }, Parameters(analysis));
            Assert.Equal(61706, analysis.TotalParameters);
        }

        [Fact]
        public void Cs109bNetwork_LayerParameters()
        {
            var analysis = Clean(ModelBuilder.Input(3, 32, 32)
                .Conv(8, 3, mode: PaddingMode.Same)
                .Conv(16, 5, stride: 2, mode: PaddingMode.Same)
                .Flatten().Dense(512).Dense(4));
            Assert.Equal(new[] { "8×32×32", "16×16×16", "4096", "512", "4" }, Outputs(analysis));
            Assert.Equal(new long[] { 224, 3216, 0, 2097664, 2052 }, Parameters(analysis));
        }

        [Theory]
        [InlineData(1, 28)]
        [InlineData(16, 448)]
        public void Conv3x3OnRgb_Parameters(int filters, long parameters) =>
            Assert.Equal(parameters, Clean(ModelBuilder.Input(3, 32, 32).Conv(filters, 3)).TotalParameters);

        [Fact]
        public void ThirtyTwo3x3FiltersOn28x28Rgb()
        {
            var analysis = Clean(ModelBuilder.Input(3, 28, 28).Conv(32, 3));
            Assert.Equal("32×26×26", analysis.Output.ToString());
            Assert.Equal(896, analysis.TotalParameters);
        }

        [Fact]
        public void Stride2On28_Gives13_AndWarnsAboutTheDroppedRowAndColumn()
        {
            var analysis = ModelBuilder.Input(1, 28, 28).Conv(1, 3, stride: 2).Infer();
            Assert.Equal("1×13×13", analysis.Output.ToString());
            Assert.Equal(new[] { "CG0015", "CG0015" }, analysis.Problems.Select(p => p.DescriptorId));
            Assert.False(analysis.HasErrors);
        }

        [Theory]
        // size, kernel, stride, padding → warns: only when real input rows (not padding) are left after the last window,
        // and the stride is not longer than the window (then rows between windows are skipped everywhere anyway)
        [InlineData(56, 3, 2, 1, false)] // ResNet's strided 3×3: (58 − 3) / 2 leaves the bottom padding row
        [InlineData(56, 1, 2, 0, false)] // ResNet's 1×1 stride-2 shortcut
        [InlineData(224, 7, 2, 3, false)] // ResNet's stem
        [InlineData(28, 3, 2, 0, true)]
        [InlineData(14, 3, 3, 1, false)] // (16 − 3) % 3 = 1: the padding row only
        [InlineData(15, 3, 3, 1, true)] // (17 − 3) % 3 = 2: the padding row and the last input row
        public void StrideWarning_OnlyForUnreadInput(int size, int kernel, int stride, int padding, bool warns)
        {
            var analysis = ModelBuilder.Input(1, size, size).Conv(1, kernel, stride: stride, padding: padding).Infer();
            Assert.Equal(warns, analysis.Problems.Any(p => p.DescriptorId == DiagnosticCatalog.StrideDoesNotFit.Id));
        }

        [Fact]
        public void Ten5x5FiltersStride1Pad2_On32x32Rgb()
        {
            var analysis = Clean(ModelBuilder.Input(3, 32, 32).Conv(10, 5, padding: 2));
            Assert.Equal("10×32×32", analysis.Output.ToString());
            Assert.Equal(760, analysis.TotalParameters);
        }

        [Fact]
        public void AlexNetC1_SamePaddingOn224_IsNot55()
        {
            var same = ModelBuilder.Input(3, 224, 224).Conv(96, 11, stride: 4, mode: PaddingMode.Same, expect: "96x55x55").Infer();
            Assert.Equal("96×56×56", same.Layers[0].Out.ToString());
            Assert.Equal(DiagnosticCatalog.ExpectMismatch.Id, Assert.Single(same.Problems).DescriptorId);

            var valid = ModelBuilder.Input(3, 227, 227).Conv(96, 11, stride: 4, mode: PaddingMode.Valid, expect: "96x55x55").Infer();
            Assert.Empty(valid.Problems);
            Assert.Equal(34944, valid.TotalParameters);
        }

        [Theory]
        // PyTorch: floor((n + 2p − d(k−1) − 1)/s) + 1
        [InlineData(32, 3, 1, 0, 2, 28)]
        [InlineData(32, 3, 1, 2, 2, 32)]
        [InlineData(5, 3, 1, 0, 2, 1)]
        [InlineData(10, 3, 2, 1, 3, 3)]
        [InlineData(224, 7, 2, 3, 1, 112)]
        [InlineData(9, 2, 3, 0, 4, 2)]
        public void ConvOutputSize_PyTorchFormulaWithDilation(int size, int kernel, int stride, int padding, int dilation, int expected)
        {
            var analysis = ModelBuilder.Input(1, size, size).Conv(1, kernel, stride: stride, padding: padding, dilation: dilation).Infer();
            Assert.False(analysis.HasErrors);
            Assert.Equal(expected, analysis.Output.Height);
            var pytorch = ((size + (2 * padding) - (dilation * (kernel - 1)) - 1) / stride) + 1;
            Assert.Equal(pytorch, expected);
        }

        [Fact]
        public void DilationThatOutgrowsTheInput_IsKernelTooLarge()
        {
            var analysis = ModelBuilder.Input(1, 5, 5).Conv(1, 3, dilation: 3).Infer();
            Assert.Equal(DiagnosticCatalog.KernelLargerThanInput.Id, Assert.Single(analysis.Problems).DescriptorId);
            Assert.Equal(new[] { "l1", "3", "3", "7", "7", "1×5×5", "5", "5" }, analysis.Problems[0].Arguments);
        }

        [Theory]
        // size, window, stride, padding, ceil → output (PyTorch MaxPool2d)
        [InlineData(7, 2, 2, 0, false, 3)]
        [InlineData(7, 2, 2, 0, true, 4)]
        [InlineData(5, 2, 2, 1, true, 3)] // ceil gives 4, but the 4th window would start in the right padding: dropped
        [InlineData(6, 3, 2, 1, true, 4)] // last window starts at padded index 6 = 6 + 1 − 1: inside the input, kept
        [InlineData(6, 3, 2, 1, false, 3)]
        [InlineData(112, 3, 2, 1, false, 56)] // ResNet stem pool
        [InlineData(55, 3, 2, 0, true, 27)]
        [InlineData(8, 3, 3, 0, true, 3)]
        public void PoolOutputSize_CeilModeRule(int size, int window, int stride, int padding, bool ceil, int expected)
        {
            var analysis = ModelBuilder.Input(1, size, size).MaxPool(window, stride, padding, ceil).Infer();
            Assert.False(analysis.HasErrors);
            Assert.Equal(expected, analysis.Output.Height);
        }

        [Fact]
        public void CeilMode_NeverWarnsAboutUnreadRows() =>
            Assert.Empty(ModelBuilder.Input(1, 7, 7).MaxPool(2, ceil: true).Infer().Problems);

        [Fact]
        public void PoolPadding_AtMostHalfTheWindow()
        {
            Assert.False(ModelBuilder.Input(1, 8, 8).MaxPool(3, 1, padding: 1).Infer().HasErrors);
            Assert.False(ModelBuilder.Input(1, 8, 8).MaxPool(2, 2, padding: 1).Infer().HasErrors);
            var tooMuch = ModelBuilder.Input(1, 8, 8).AvgPool(3, 1, padding: 2).Infer();
            Assert.Equal(DiagnosticCatalog.PoolPaddingTooLarge.Id, Assert.Single(tooMuch.Problems).DescriptorId);
        }

        [Fact]
        public void PoolPadding_LetsAWindowLargerThanTheInputFit()
        {
            var analysis = ModelBuilder.Input(1, 2, 2).MaxPool(3, 1, padding: 1).Infer();
            Assert.False(analysis.HasErrors);
            Assert.Equal("1×2×2", analysis.Output.ToString());
        }

        [Theory]
        // size, kernel, stride → (before, after): Keras/TensorFlow put the odd pixel after
        [InlineData(32, 3, 1, 1, 1)]
        [InlineData(32, 5, 2, 1, 2)]
        [InlineData(28, 3, 2, 0, 1)]
        [InlineData(224, 11, 4, 3, 4)]
        [InlineData(5, 4, 1, 1, 2)]
        [InlineData(7, 1, 3, 0, 0)]
        public void SamePadding_IsAsymmetricWhenOdd(int size, int kernel, int stride, int before, int after)
        {
            Assert.Equal(((long)before, (long)after), ShapeInference.SamePadding(size, kernel, stride));
            var analysis = ModelBuilder.Input(1, size, size).Conv(1, kernel, stride: stride, mode: PaddingMode.Same).Infer();
            Assert.Empty(analysis.Problems);
            Assert.Equal((size + stride - 1) / stride, analysis.Output.Height);
            Assert.Equal(new Padding(before, after, before, after), analysis.Layers[0].Padding);
        }

        [Fact]
        public void SamePadding_WithDilation_UsesTheDilatedExtent()
        {
            var analysis = ModelBuilder.Input(1, 10, 10).Conv(1, 3, dilation: 2, mode: PaddingMode.Same).Infer();
            Assert.Equal(new Padding(2, 2, 2, 2), analysis.Layers[0].Padding);
            Assert.Equal(10, analysis.Output.Height);
        }

        [Fact]
        public void NonSquareKernelAndStride()
        {
            var analysis = ModelBuilder.Input(2, 10, 12).Conv(4, 3, kernelWidth: 5, stride: 1, strideWidth: 7).Infer();
            Assert.Equal("4×8×2", analysis.Output.ToString());
            Assert.Equal((4 * 2 * 3 * 5) + 4, analysis.TotalParameters);
        }

        [Fact]
        public void GroupedAndBiasFreeConvolution_Parameters()
        {
            var analysis = Clean(ModelBuilder.Input(8, 6, 6).Conv(16, 3, padding: 1, groups: 4, bias: false));
            Assert.Equal(16 * (8 / 4) * 3 * 3, analysis.TotalParameters);
            Assert.Equal(16L * 2 * 9 * 36, analysis.TotalMultiplyAdds);
        }

        [Fact]
        public void BatchNormCountsGammaAndBeta_GlobalPoolCollapsesThePlane()
        {
            var analysis = Clean(ModelBuilder.Input(3, 9, 9).Conv(4, 3).BatchNorm().GlobalAvgPool().Flatten().Dense(2, bias: false));
            Assert.Equal(new[] { "4×7×7", "4×7×7", "4×1×1", "4", "2" }, Outputs(analysis));
            Assert.Equal(new long[] { 112, 8, 0, 0, 8 }, Parameters(analysis));
        }

        [Fact]
        public void MultiplyAdds_LeNet5()
        {
            var analysis = ShapeInference.Infer(LeNet5());
            Assert.Equal(new long[] { 20L * 25 * 784, 0, 50L * 500 * 196, 0, 0, 2450L * 500, 5000 }, analysis.Layers.Select(l => l.MultiplyAdds));
        }

        [Fact]
        public void ExpectedParameters_MatchOrMismatch()
        {
            Assert.Empty(ModelBuilder.Input(3, 32, 32).Conv(1, 3).ExpectParameters(28).Infer().Problems);
            var mismatch = ModelBuilder.Input(3, 32, 32).Conv(1, 3).ExpectParameters(27).Infer();
            Assert.Equal(DiagnosticCatalog.ExpectedParametersMismatch.Id, Assert.Single(mismatch.Problems).DescriptorId);
            Assert.Equal("ExpectedParameters", mismatch.Problems[0].Property);
            Assert.Equal(-1, mismatch.Problems[0].LayerIndex);
        }

        [Theory]
        [InlineData("20x28x28", 20, 28, 28, false)]
        [InlineData("20 × 28 × 28", 20, 28, 28, false)]
        [InlineData("20X28X28", 20, 28, 28, false)]
        [InlineData("500", 500, 1, 1, true)]
        public void ParseExpect_Accepts(string text, int c, int h, int w, bool flat) =>
            Assert.Equal(new Shape(c, h, w, flat), ShapeInference.ParseExpect(text));

        [Theory]
        [InlineData("")]
        [InlineData("x")]
        [InlineData("1x2")]
        [InlineData("-1")]
        [InlineData("1x2x3x4")]
        [InlineData("99999999999")]
        public void ParseExpect_Rejects(string text) => Assert.Null(ShapeInference.ParseExpect(text));

        /// <summary>torchvision's BasicBlock with a projection shortcut (layer2.0) on a 64×7×7 input.</summary>
        private static ModelBuilder ResidualBlock() => ModelBuilder.Input(64, 7, 7)
            .Conv(128, 3, stride: 2, padding: 1, bias: false).BatchNorm().Relu()
            .Conv(128, 3, padding: 1, bias: false).BatchNorm()
            .From("input").Conv(128, 1, stride: 2, bias: false).BatchNorm()
            .Add(new[] { "l5", "l7" }, ReLU);

        [Fact]
        public void ResidualBlock_ShapesParametersAndMultiplyAdds()
        {
            var analysis = Clean(ResidualBlock());
            Assert.Equal(new[] { "128×4×4", "128×4×4", "128×4×4", "128×4×4", "128×4×4", "128×4×4", "128×4×4", "128×4×4" }, Outputs(analysis));

            // 128·64·9, 2·128, -, 128·128·9, 2·128, 128·64, 2·128, and the sum has none: torchvision's 230,144.
            Assert.Equal(new long[] { 73728, 256, 0, 147456, 256, 8192, 256, 0 }, Parameters(analysis));
            Assert.Equal(230144, analysis.TotalParameters);

            // The shortcut conv reads the network input, not the previous layer; the sum adds one 128×4×4 value to another.
            Assert.Equal("64×7×7", analysis.Layers[5].In.ToString());
            Assert.Equal(128L * 16, analysis.Layers[7].MultiplyAdds);
        }

        [Fact]
        public void ResidualBlock_MergeTakesTheLargestReceptiveField()
        {
            var analysis = Clean(ResidualBlock());

            // Main path: 3, then +2·2 = 7 (jump 2); shortcut: 1×1 with jump 2; the sum sees the main path's 7×7.
            Assert.Equal(new[] { 3, 3, 3, 7, 7, 1, 1, 7 }, analysis.Layers.Select(l => l.ReceptiveFieldHeight));
            Assert.Equal(2, analysis.Layers[7].JumpWidth);
        }

        [Fact]
        public void InceptionModule_ConcatStacksChannels()
        {
            // GoogLeNet's inception (3a) without BatchNorm: 64 + 128 + 32 + 32 = 256 channels.
            var analysis = Clean(ModelBuilder.Input(192, 28, 28)
                .Conv(64, 1)
                .From("input").Conv(96, 1).Conv(128, 3, padding: 1)
                .From("input").Conv(16, 1).Conv(32, 5, padding: 2)
                .From("input").MaxPool(3, 1, padding: 1, ceil: true).Conv(32, 1)
                .Concat("l1", "l3", "l5", "l7"));
            Assert.Equal("256×28×28", analysis.Output.ToString());
            Assert.Equal(12352 + 18528 + 110720 + 3088 + 12832 + 6176, analysis.TotalParameters);
            Assert.Equal(0, analysis.Layers[7].Parameters);
            Assert.Equal(0, analysis.Layers[7].MultiplyAdds);
            Assert.Equal(5, analysis.Layers[7].ReceptiveFieldWidth);
        }

        [Fact]
        public void Concat_OfFlatValues_StacksFeatures()
        {
            var analysis = Clean(ModelBuilder.Input(1, 4, 4).Flatten().Dense(3).From("l1").Dense(5).Concat("l1", "l2", "l3"));
            Assert.Equal(new[] { "16", "3", "5", "24" }, Outputs(analysis));
            Assert.True(analysis.Output.IsFlat);
        }

        [Fact]
        public void Add_OverDifferentShapes_SuggestsTheProjection()
        {
            var analysis = ModelBuilder.Input(64, 7, 7).Conv(128, 3, stride: 2, padding: 1).Add(new[] { "l1", "input" }).Infer();
            var problem = Assert.Single(analysis.Problems);
            Assert.Equal(DiagnosticCatalog.AddShapesDiffer.Id, problem.DescriptorId);
            Assert.Equal(1, problem.LayerIndex);
            Assert.Equal(
                new[] { "l2", "'l1' 128×4×4, 'input' 64×7×7", "; to bring 'input' to 128×4×4, end its branch with the 1×1 projection [Conv2D(128, 1, Stride = 2)]" },
                problem.Arguments);
        }

        [Fact]
        public void Add_WhenOnlyChannelsDiffer_SuggestsAProjectionWithoutStride()
        {
            var problem = Assert.Single(ModelBuilder.Input(3, 8, 8).Conv(16, 3, padding: 1).Add(new[] { "input", "l1" }).Infer().Problems);
            Assert.Equal("; to bring 'input' to 16×8×8, end its branch with the 1×1 projection [Conv2D(16, 1)]", problem.Arguments[2]);
        }

        [Fact]
        public void Add_WhenNoProjectionFits_NamesTheShapesOnly()
        {
            // 8×8 cannot become 6×6 through a 1×1 convolution.
            var problem = Assert.Single(ModelBuilder.Input(64, 8, 8).Conv(128, 3).Add(new[] { "l1", "input" }).Infer().Problems);
            Assert.Equal(new[] { "l2", "'l1' 128×6×6, 'input' 64×8×8", string.Empty }, problem.Arguments);
        }

        [Theory]
        [InlineData(true, "it cannot mix spatial and flat values")]
        [InlineData(false, "their heights and widths must be equal")]
        public void Concat_OverMisalignedValues_IsAProblem(bool flat, string reason)
        {
            var builder = ModelBuilder.Input(2, 8, 8).MaxPool(2);
            builder = flat ? builder.Flatten() : builder.From("input").Conv(4, 1);
            var problem = Assert.Single(builder.Concat("l1", "l2").Infer().Problems);
            Assert.Equal(DiagnosticCatalog.ConcatShapesDiffer.Id, problem.DescriptorId);
            Assert.Equal(flat ? "'l1' 2×4×4, 'l2' 32" : "'l1' 2×4×4, 'l2' 4×8×8", problem.Arguments[1]);
            Assert.Contains(reason, problem.Arguments[2]);
        }

        [Fact]
        public void LayerNobodyReads_IsAWarning_ButNotTheLast()
        {
            var analysis = ModelBuilder.Input(1, 8, 8).Conv(2, 3).From("input").Conv(3, 3).Infer();
            var problem = Assert.Single(analysis.Problems);
            Assert.Equal((DiagnosticCatalog.UnusedLayer.Id, 0), (problem.DescriptorId, problem.LayerIndex));
            Assert.False(analysis.HasErrors);
            Assert.Equal("3×6×6", analysis.Output.ToString());
        }

        [Fact]
        public void ChecksInsideABranch_ReportTheBranchLayer()
        {
            // The second branch pools to 1×2×2, so its 3×3 kernel does not fit; the first branch is fine.
            var analysis = ModelBuilder.Input(1, 8, 8).Conv(4, 3).From("input").MaxPool(4).Conv(4, 3).Infer();
            var problem = Assert.Single(analysis.Problems, p => !DiagnosticCatalog.IsWarning(p.DescriptorId));
            Assert.Equal((DiagnosticCatalog.KernelLargerThanInput.Id, 2), (problem.DescriptorId, problem.LayerIndex));
            Assert.Contains("1×2×2", problem.Arguments);
        }

        [Fact]
        public void SoftmaxIsNotAnAddActivation()
        {
            var problem = Assert.Single(ModelBuilder.Input(1, 8, 8).Conv(1, 1).Add(new[] { "input", "l1" }, Activation.Softmax).Infer().Problems);
            Assert.Equal((DiagnosticCatalog.SoftmaxActivationNotDense.Id, "Activation"), (problem.DescriptorId, problem.Property));
        }

        [Fact]
        public void Infer_IsPure_SameModelSameResult() =>
            Assert.Equal(ShapeInference.Infer(LeNet5()), ShapeInference.Infer(LeNet5()));
    }
}
