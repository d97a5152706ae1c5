using System.Linq;
using Microsoft.CodeAnalysis;
using static ConvGen.Generator.Tests.DiagnosticAssert;

namespace ConvGen.Generator.Tests
{
    /// <summary>CG0046/CG0047: sizes checked in 64-bit before any code is emitted; messages that do not wrap or round; flat vs spatial Expect.</summary>
    public class SizeLimitTests
    {
        [Fact]
        public void CG0046_Im2colScratchOverAnArray_NamesTheLayerAndTheSize()
        {
            var d = Single("[Input(3, 2500, 2500)]\n[{|CG0046:Conv2D(64, 11, Padding = 5)|}]\npublic partial class Net { }");
            Assert.Equal(
                "Layer 'conv1' (Conv2D) on input 3×2500×2500: its im2col scratch (363 taps × 6,250,000 output pixels) needs 2,268,750,000 floats, more than a .NET array holds (2,147,483,591); use a smaller input, fewer filters or a larger stride",
                d.Message());
        }

        [Fact]
        public void CG0046_InputBetweenArrayMaxLengthAndIntMaxValue()
        {
            var d = Single("[{|CG0046:Input(1, 1, 2147483600)|}]\n[ReLU]\npublic partial class Net { }");
            Assert.StartsWith("Network 'Net': its input 1×1×2147483600 needs 2,147,483,600 floats", d.Message());
        }

        [Fact]
        public void CG0047_PaddingAndStrideAtIntMaxValue()
        {
            var run = GeneratorHarness.Run(Usings + "[Input(1, 8, 8)]\n[Conv2D(4, 3, Padding = int.MaxValue, Stride = int.MaxValue)]\npublic partial class Net { }");
            var error = Assert.Single(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
            Assert.Equal("CG0047", error.Id);
            Assert.Equal("Padding = int.MaxValue", run.Input.SyntaxTrees.Single().GetText().ToString(error.Location.SourceSpan));
            Assert.Contains("the input 1×8×8 padded to 4,294,967,302×4,294,967,302 is more than ConvGen can index", error.Message());
            // Only the error surface is generated (members that throw naming the error), never the network's code.
            Assert.All(run.Sources, source => Assert.DoesNotContain("RunForward", source.SourceText.ToString(), System.StringComparison.Ordinal));
        }

        [Fact]
        public void CG0015_ATinyFractionIsWrittenExactly_NotRoundedToAWholeNumber()
        {
            var d = Single("[Input(1, 3001, 1)]\n[Conv2D(1, 1, KernelHeight = 1000, {|CG0015:StrideHeight = 1000|})]\npublic partial class Net { }", DiagnosticSeverity.Warning);
            Assert.Contains("(3001 − 1000) / 1000 + 1 = 3 + 1/1000 is not whole, so the output keeps 3 rows", d.Message());
        }

        [Fact]
        public void CG0015_AnOrdinaryFractionKeepsTwoDecimals()
        {
            var d = Single("[Input(1, 8, 8)]\n[Conv2D(1, 4, {|CG0015:StrideHeight = 3|})]\npublic partial class Net { }", DiagnosticSeverity.Warning);
            Assert.Contains("(8 − 4) / 3 + 1 = 2.33 is not whole", d.Message());
        }

        [Fact]
        public void CG0012_FlatExpectOnASpatialOutput()
        {
            var d = Single("[Input(10, 4, 4)]\n[GlobalAvgPool2D({|CG0012:Expect = \"10\"|})]\npublic partial class Net { }");
            Assert.StartsWith("Layer 'gap1' (GlobalAvgPool2D) outputs 10×1×1, but Expect = \"10\"", d.Message());
        }

        [Theory]
        [InlineData("[GlobalAvgPool2D(Expect = \"10x1x1\")]")]
        [InlineData("[GlobalAvgPool2D]\n[Flatten(Expect = \"10\")]")]
        public void MatchingExpect_IsClean(string layers)
        {
            var run = GeneratorHarness.Run(Usings + "[Input(10, 4, 4)]\n" + layers + "\npublic partial class Net { }");
            Assert.Empty(run.Diagnostics);
            Assert.Single(run.Sources);
        }
    }
}
