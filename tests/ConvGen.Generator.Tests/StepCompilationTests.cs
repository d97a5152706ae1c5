using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Which generated methods are compiled fully optimized on their first call (AggressiveOptimization): the ones whose
    /// own loops run over activations; steps that only hand work to runtime kernels are left to tiered compilation.
    /// </summary>
    public class StepCompilationTests
    {
        private const string Attribute = "MethodImplOptions.AggressiveOptimization)]";

        [Fact]
        public void Element_loops_are_compiled_eagerly_and_kernel_calls_are_tiered()
        {
            const string source = """
                using ConvGen;

                [Input(2, 16, 16)]
                [Conv2D(8, 3, Padding = 1, Activation = Activation.ReLU)]
                [MaxPool2D(2)]
                [Conv2D(16, 3, Padding = 1)]
                [BatchNorm2D]
                [ReLU]
                [Flatten]
                [Dense(10)]
                public partial class Mixed { }
                """;
            var code = GeneratorHarness.NetworkCode(source);

            foreach (var loops in new[] { "Conv1Gather", "Conv1Scatter", "Bn1TrainForward", "Relu1Forward" })
            {
                Assert.True(Eager(code, loops), loops + " loops over activations and should be compiled fully optimized at once");
            }

            foreach (var calls in new[] { "Conv1Forward", "Conv1Backward", "Maxpool1Forward", "Maxpool1Backward", "Conv2Forward", "Conv2Backward", "Dense1Forward", "Dense1Backward" })
            {
                Assert.False(Eager(code, calls), calls + " only calls kernels and should be left to tiered compilation");
            }

            // A method with loops and stackalloc cannot run in tier-0 code (no on-stack replacement with localloc): the JIT
            // compiles it fully optimized at once, so a tiered step must not stackalloc (conv2's folded scale and shift).
            Assert.Contains("_scratch.ChannelFactors(worker)", code, StringComparison.Ordinal);
            Assert.DoesNotContain("stackalloc", code, StringComparison.Ordinal);
        }

        /// <summary>Whether the declaration of method <paramref name="name"/> carries the attribute (which sits just above it).</summary>
        private static bool Eager(string code, string name)
        {
            var declaration = Regex.Match(code, @"\n(?<attributes>(?:[ \t]*\[[^\n]*\]\n)*)[ \t]*private (?:static )?void " + name + @"\(");
            Assert.True(declaration.Success, name + " is not declared");
            return declaration.Groups["attributes"].Value.Contains(Attribute, StringComparison.Ordinal);
        }
    }
}
