using System;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// In inference, conv → BatchNorm → Add(other input) is one pass: the BatchNorm folds into the conv's scale and shift,
    /// and a two-input Add that alone reads it becomes the rest of the conv's epilogue (the other input added, the Add's
    /// activation applied, the Add's output written), its own inference step gone. Which conv takes it, and when none does.
    /// </summary>
    public class FoldedAddTests
    {
        /// <summary>The inference forward steps: the second list of them (the first is training's), up to <paramref name="last"/>.</summary>
        private static string InferenceSteps(string code, string first, string last)
        {
            var start = code.LastIndexOf("_runner.Run(" + first, StringComparison.Ordinal);
            return code.Substring(start, code.IndexOf(last, start, StringComparison.Ordinal) - start);
        }

        [Fact]
        public void An_identity_block_sum_runs_in_the_winograd_conv_before_it_when_inferring()
        {
            const string source = """
                using ConvGen;

                [Input(48, 8, 8)]
                [Branch]
                [Conv2D(48, 3, Padding = 1, Bias = false)]
                [BatchNorm2D]
                [ReLU]
                [Conv2D(48, 3, Padding = 1, Bias = false)]
                [BatchNorm2D]
                [Branch]
                [Add(Activation = Activation.ReLU)]
                [GlobalAvgPool2D]
                [Flatten]
                [Dense(2)]
                public partial class Block { }
                """;
            var code = GeneratorHarness.NetworkCode(source);
            var inference = InferenceSteps(code, "Conv1ForwardStep", "Dense1ForwardStep");

            Assert.DoesNotContain("Add1ForwardStep", inference, StringComparison.Ordinal);
            Assert.Contains("_runner.Run(Add1ForwardStep", code, StringComparison.Ordinal);
            Assert.Contains("private readonly global::ConvGen.Kernels.Winograd.WinogradConvolution _conv2Winograd", code, StringComparison.Ordinal);
            Assert.Contains("var y = fold ? _add1Out.AsSpan(", code, StringComparison.Ordinal);
            Assert.Contains("var residual = fold ? _input.AsSpan(", code, StringComparison.Ordinal);
            Assert.Contains("_conv2Winograd.Apply(x, scale, shift, residual, fold ? global::ConvGen.Activation.ReLU : global::ConvGen.Activation.None, y,", code, StringComparison.Ordinal);
            Assert.Contains("Training only: when inferring, conv2 computes this sum in its epilogue.", code, StringComparison.Ordinal);

            // The first conv's BatchNorm is read by a ReLU, not an Add: it keeps its own epilogue.
            Assert.Contains("_conv1Winograd.Apply(x, scale, shift, fold ? global::ConvGen.Activation.ReLU : global::ConvGen.Activation.None, y,", code, StringComparison.Ordinal);
        }

        [Fact]
        public void When_both_sides_are_folded_convs_the_later_one_takes_the_sum_on_its_gemm()
        {
            const string source = """
                using ConvGen;

                [Input(16, 8, 8)]
                [Branch]
                [Conv2D(32, 3, Stride = 2, Padding = 1, Bias = false, Name = "main")]
                [BatchNorm2D(Name = "main_bn")]
                [Branch]
                [Conv2D(32, 1, Stride = 2, Bias = false, Name = "shortcut")]
                [BatchNorm2D(Name = "shortcut_bn")]
                [Add]
                [GlobalAvgPool2D]
                [Flatten]
                [Dense(2)]
                public partial class Downsample { }
                """;
            var code = GeneratorHarness.NetworkCode(source);
            var inference = InferenceSteps(code, "MainForwardStep", "Dense1ForwardStep");

            Assert.DoesNotContain("Add1ForwardStep", inference, StringComparison.Ordinal);
            // The shortcut (the 1×1 conv on the GEMM, declared last) adds main_bn's output; main writes main_bn's.
            Assert.Contains("var residual = fold ? _main_bnOut.AsSpan(", code, StringComparison.Ordinal);
            Assert.Contains("rowScale: scale, rowShift: shift, addend: residual, activation: global::ConvGen.Activation.None", code, StringComparison.Ordinal);
            Assert.Contains("var y = fold ? _add1Out.AsSpan(", code, StringComparison.Ordinal);
            Assert.Contains("var y = fold ? _main_bnOut.AsSpan(", code, StringComparison.Ordinal);
        }

        [Fact]
        public void A_narrow_identity_block_sum_runs_in_the_direct_conv_before_it_when_inferring()
        {
            const string source = """
                using ConvGen;

                [Input(16, 8, 8)]
                [Conv2D(16, 3, Padding = 1, Bias = false)]
                [BatchNorm2D]
                [Add("bn1", "input", Activation = Activation.ReLU)]
                [Flatten]
                [Dense(2)]
                public partial class Narrow { }
                """;
            var code = GeneratorHarness.NetworkCode(source);
            var inference = InferenceSteps(code, "Conv1ForwardStep", "Dense1ForwardStep");

            Assert.DoesNotContain("Add1ForwardStep", inference, StringComparison.Ordinal);
            Assert.Contains("private readonly global::ConvGen.Kernels.Convolution.DirectConvolution _conv1Direct", code, StringComparison.Ordinal);
            Assert.Contains("var y = fold ? _add1Out.AsSpan(", code, StringComparison.Ordinal);
            Assert.Contains("var residual = fold ? _input.AsSpan(", code, StringComparison.Ordinal);
            Assert.Contains("_conv1Direct.Apply(x, scale, shift, residual, fold ? global::ConvGen.Activation.ReLU : global::ConvGen.Activation.None, y,", code, StringComparison.Ordinal);
            Assert.Contains("Training only: when inferring, conv1 computes this sum in its epilogue.", code, StringComparison.Ordinal);
        }

        [Fact]
        public void An_add_after_a_conv_without_batchnorm_is_computed_by_the_conv_in_training_too()
        {
            // An imported ResNet's blocks: the BatchNorms are already in the convs' biases.
            const string source = """
                using ConvGen;

                [Input(16, 8, 8)]
                [Conv2D(16, 3, Padding = 1, Activation = Activation.ReLU)]
                [Conv2D(16, 3, Padding = 1)]
                [Add("conv2", "input", Activation = Activation.ReLU)]
                [GlobalAvgPool2D]
                [Flatten]
                [Dense(2)]
                public partial class Imported { }
                """;
            var code = GeneratorHarness.NetworkCode(source);

            // No forward step for the Add at all, and no mode: conv2 writes add1's output with the sum and the ReLU.
            Assert.DoesNotContain("Add1Forward", code, StringComparison.Ordinal);
            Assert.Contains("var y = _add1Out.AsSpan(", code, StringComparison.Ordinal);
            Assert.Contains("var residual = _input.AsSpan(", code, StringComparison.Ordinal);
            Assert.Contains("// y = ReLU(W ⊛ x + bias + residual)", code, StringComparison.Ordinal);
            Assert.Contains("_conv2Direct.Apply(x, scale: default, shift: bias, residual, global::ConvGen.Activation.ReLU, y,", code, StringComparison.Ordinal);
            Assert.Contains("add1's sum with input and its ReLU computed here", code, StringComparison.Ordinal);

            // Its backward still takes ∂L/∂y through the ReLU's derivative, from the output conv2 wrote.
            Assert.Contains("_runner.Run(Add1BackwardStep", code, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("three inputs", """
            [Input(48, 8, 8)]
            [Conv2D(48, 3, Padding = 1, Bias = false)]
            [BatchNorm2D]
            [Conv2D(48, 3, Padding = 1, Bias = false, From = "input")]
            [Add("bn1", "conv2", "input")]
            """)]
        [InlineData("the other input computed after the conv", """
            [Input(48, 8, 8)]
            [Conv2D(48, 3, Padding = 1, Bias = false)]
            [BatchNorm2D]
            [Conv2D(48, 3, Padding = 1, Activation = Activation.ReLU, From = "input")]
            [Add("bn1", "conv2")]
            """)]
        [InlineData("the BatchNorm read twice", """
            [Input(48, 8, 8)]
            [Conv2D(48, 3, Padding = 1, Bias = false)]
            [BatchNorm2D]
            [Add("bn1", "input")]
            [Add("bn1", "add1")]
            """)]
        [InlineData("a grouped conv", """
            [Input(16, 8, 8)]
            [Conv2D(16, 1, Groups = 2, Bias = false)]
            [BatchNorm2D]
            [Add("bn1", "input", Activation = Activation.ReLU)]
            """)]
        [InlineData("a conv with its own activation", """
            [Input(16, 8, 8)]
            [Conv2D(16, 1, Bias = false, Activation = Activation.ReLU)]
            [BatchNorm2D]
            [Add("bn1", "input")]
            """)]
        public void The_add_keeps_its_own_step_when_no_conv_can_take_it(string why, string layers)
        {
            var code = GeneratorHarness.NetworkCode("using ConvGen;\n" + layers + "\n[Flatten]\n[Dense(2)]\npublic partial class NoFold { }\n");
            var inference = code.Substring(code.LastIndexOf("_runner.Run(Conv1ForwardStep", StringComparison.Ordinal));
            Assert.True(inference.Contains("_runner.Run(Add1ForwardStep", StringComparison.Ordinal), why + ": the Add's inference step is missing");
            Assert.DoesNotContain("residual", code, StringComparison.Ordinal);
        }
    }
}
