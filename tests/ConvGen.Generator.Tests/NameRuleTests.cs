using System.Linq;
using static ConvGen.Generator.Tests.DiagnosticAssert;

namespace ConvGen.Generator.Tests
{
    /// <summary>CG0041–CG0045: names and classes the generated code could not compile with, and arguments the compiler already rejected.</summary>
    public class NameRuleTests
    {
        [Theory]
        [InlineData("a b", "contains ' ' at index 1")]
        [InlineData("a\\nb", "contains '\\u000A' at index 1")]
        [InlineData("a\\u2028b", "contains '\\u2028' at index 1")]
        [InlineData("a\\u0085b", "contains '\\u0085' at index 1")]
        [InlineData("a\\u0007b", "contains '\\u0007' at index 1")]
        [InlineData("a\\u200Bb", "contains '\\u200B' at index 1")]
        [InlineData("a-b", "contains '-' at index 1")]
        [InlineData("1conv", "starts with '1', not a letter or '_'")]
        [InlineData(".conv", "starts with '.', not a letter or '_'")]
        [InlineData("", "it is empty")]
        [InlineData("layer..conv", "a '.' must be followed by a letter, digit or '_'")]
        [InlineData("conv.", "a '.' must be followed by a letter, digit or '_'")]
        public void CG0041_InvalidLayerName(string name, string problem)
        {
            var d = Single("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0041:Name = \"" + name + "\"|})]\npublic partial class Net { }");
            Assert.Contains(problem, d.Message());
            Assert.DoesNotContain('\n', d.Message());
        }

        [Fact]
        public void CG0041_NameOver200Characters_IsShortenedInTheMessage()
        {
            var name = new string('a', 201);
            var d = Single("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0041:Name = \"" + name + "\"|})]\npublic partial class Net { }");
            Assert.StartsWith("Layer name '" + new string('a', 60) + "… (201 characters)' is not valid: it has 201 characters, more than 200", d.Message());
        }

        [Theory]
        [InlineData("layer2.0.conv1")]
        [InlineData("_private")]
        [InlineData("Ünïcödé_层")]
        [InlineData("x.1.y_2")]
        public void ValidNamesAreAccepted_AndTheirCodeCompiles(string name)
        {
            var run = GeneratorHarness.Run(Usings + "[Input(1, 8, 8)]\n[Conv2D(4, 3, Name = \"" + name + "\")]\n[ReLU]\npublic partial class Net { }");
            Assert.Empty(run.Diagnostics);
            Assert.Single(run.Sources);
            Assert.Empty(run.GeneratedCodeProblems);
        }

        [Fact]
        public void ALongestValidName_GeneratesCodeThatCompiles()
        {
            var run = GeneratorHarness.Run(Usings + "[Input(1, 8, 8)]\n[Conv2D(4, 3, Name = \"" + new string('n', 200) + "\")]\npublic partial class Net { }");
            Assert.Empty(run.Diagnostics);
            Assert.Empty(run.GeneratedCodeProblems);
        }

        [Theory]
        [InlineData("conv1", "Conv1", "Conv1")]
        [InlineData("a.b", "a_b", "A_b")]
        [InlineData("kx", "\\u212Ax", "Kx")]
        [InlineData("ix", "\\u0130x", "Ix")]
        [InlineData("Ix", "\\u0131x", "Ix")]
        public void CG0042_NamesThatBecomeOneIdentifier(string first, string second, string identifier)
        {
            var d = Single("[Input(1, 8, 8)]\n[Conv2D(4, 3, Name = \"" + first + "\")]\n[ReLU({|CG0042:Name = \"" + second + "\"|})]\npublic partial class Net { }");
            Assert.Contains("would become one identifier ('" + identifier + "')", d.Message());
        }

        [Theory]
        [InlineData("Summary")]
        [InlineData("Forward")]
        [InlineData("Backward")]
        [InlineData("TrainStep")]
        [InlineData("Parameters")]
        [InlineData("RunStep")]
        [InlineData("_parameters")]
        [InlineData("@class")]
        [InlineData("var")]
        [InlineData("System")]
        public void CG0043_ClassNameCannotHoldTheNetwork(string name)
        {
            var d = Single("[Input(1, 8, 8)]\n[Conv2D(4, 3)]\npublic partial class {|CG0043:" + name + "|} { }");
            Assert.StartsWith("Network class '" + name.TrimStart('@') + "' cannot hold the generated code: ", d.Message());
        }

        [Fact]
        public void System_AsAClassNameInsideANamespace_IsFine()
        {
            var run = GeneratorHarness.Run(Usings + "namespace N { [Input(1, 8, 8)] [Conv2D(4, 3)] public partial class System { } }");
            Assert.Empty(run.Diagnostics);
            Assert.Empty(run.GeneratedCodeProblems);
        }

        [Fact]
        public void CG0044_StaticClass() =>
            Single("[Input(1, 8, 8)]\n[Conv2D(4, 3)]\npublic static partial class {|CG0044:Net|} { }");

        [Theory]
        [InlineData("")]
        [InlineData("[Flatten]\n")]
        [InlineData("[Flatten]\n[Flatten]\n")]
        public void CG0045_NothingToCompute(string layers) =>
            Single("[Input(1, 8, 8)]\n" + layers + "public partial class {|CG0045:Net|} { }");

        [Theory]
        [InlineData("[Input(1, 8, 8)] [Flatten] [Dense(S.N)]")]
        [InlineData("[Input(1, S.N, 8)] [Flatten] [Dense(3)]")]
        [InlineData("[Input(1, 8, 8)] [Conv2D(4, 3, Stride = S.N)]")]
        public void NonConstantArgument_IsOnlyTheCompilersCS0182(string attributes)
        {
            var run = GeneratorHarness.Run(Usings + "static class S { public static int N = 3; }\n" + attributes + "\npublic partial class Net { }");
            Assert.Equal("CS0182", Assert.Single(run.CompilerErrors).Id);
            Assert.Empty(run.Diagnostics);
            // Only the error surface is generated (members that throw naming the error), never the network's code.
            Assert.All(run.Sources, source => Assert.DoesNotContain("RunForward", source.SourceText.ToString(), System.StringComparison.Ordinal));
        }
    }
}
