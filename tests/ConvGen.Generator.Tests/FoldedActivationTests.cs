using System;
using System.Linq;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// In inference, conv → BatchNorm → activation is one pass: the BatchNorm folds into the conv's scale and shift and an
    /// activation layer that alone reads it becomes the conv's activation, its own inference step gone.
    /// </summary>
    public class FoldedActivationTests
    {
        [Fact]
        public void An_activation_that_alone_reads_a_folded_batchnorm_runs_in_the_conv_when_inferring()
        {
            const string source = """
                using ConvGen;

                [Input(8, 12, 12)]
                [Conv2D(8, 3, Padding = 1, Bias = false)]
                [BatchNorm2D]
                [ReLU6]
                [Conv2D(8, 3, Padding = 1, Bias = false)]
                [BatchNorm2D]
                [LeakyReLU(0.1f)]
                [Flatten]
                [Dense(2)]
                public partial class Folds { }
                """;
            var code = GeneratorHarness.NetworkCode(source);
            // The inference steps: the second list of forward steps (the first is training's).
            var start = code.LastIndexOf("_runner.Run(Conv1ForwardStep)", StringComparison.Ordinal);
            var inference = code.Substring(start, code.IndexOf("Dense1ForwardStep", start, StringComparison.Ordinal) - start);

            // relu6 follows bn1 alone: conv1 writes its output with ReLU6 when inferring, and its step is only in training.
            Assert.DoesNotContain("Relu6_1ForwardStep", inference, StringComparison.Ordinal);
            Assert.Contains("_runner.Run(Relu6_1ForwardStep", code, StringComparison.Ordinal);
            Assert.Contains("var y = fold ? _relu6_1Out.AsSpan(", code, StringComparison.Ordinal);
            Assert.Contains("fold ? global::ConvGen.Activation.ReLU6 : global::ConvGen.Activation.None", code, StringComparison.Ordinal);

            // LeakyReLU is not an activation a conv applies: bn2 still folds, the LeakyReLU keeps its inference step.
            Assert.Contains("Leakyrelu1ForwardStep", inference, StringComparison.Ordinal);
            Assert.Contains("var y = fold ? _bn2Out.AsSpan(", code, StringComparison.Ordinal);
        }
    }
}
