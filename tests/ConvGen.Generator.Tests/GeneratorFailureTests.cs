using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// The generator never throws: hint names survive every legal namespace and class spelling, and an exception while
    /// parsing or emitting one network becomes CG0040 on that class while every other network still generates.
    /// </summary>
    public class GeneratorFailureTests
    {
        private const string Good = "using ConvGen;\n[Input(1, 4, 4)]\n[Conv2D(2, 3)]\npublic partial class Good { }";

        [Theory]
        [InlineData("namespace @event { [Input(1, 4, 4)] [ReLU] public partial class Net { } }", "event.Net.g.cs")]
        [InlineData("namespace @event.@class { [Input(1, 4, 4)] [ReLU] public partial class Net { } }", "event.class.Net.g.cs")]
        [InlineData("namespace A { namespace B.C { [Input(1, 4, 4)] [ReLU] public partial class Net { } } }", "A.B.C.Net.g.cs")]
        [InlineData("namespace Scoped;\n[Input(1, 4, 4)] [ReLU] public partial class Net { }", "Scoped.Net.g.cs")]
        [InlineData("[Input(1, 4, 4)] [ReLU] public partial class Net { }", "Net.g.cs")]
        [InlineData("namespace \\u0041b\u0301c { [Input(1, 4, 4)] [ReLU] public partial class N\\u00e9t { } }", "Ab_c.Nét.g.cs")]
        public void EveryNamespaceSpelling_GeneratesCodeThatCompiles_NextToAnotherNetwork(string declaration, string hintName)
        {
            var run = GeneratorHarness.Run(DiagnosticAssert.Usings + declaration, Good);
            Assert.Empty(run.CompilerErrors);
            Assert.Empty(run.Diagnostics);
            Assert.Equal(new[] { "Good.g.cs", hintName }.OrderBy(n => n, StringComparer.Ordinal), run.Sources.Select(s => s.HintName));
            Assert.Empty(run.GeneratedCodeProblems);
        }

        [Fact]
        public void NamesThatDifferOnlyInCaseOrInReplacedCharacters_GetDistinctHintNames()
        {
            var run = GeneratorHarness.Run(
                DiagnosticAssert.Usings + "namespace N { [Input(1, 4, 4)] [ReLU] public partial class Net { } [Input(1, 4, 4)] [ReLU] public partial class NET { } }",
                DiagnosticAssert.Usings + "namespace @event { [Input(1, 4, 4)] [ReLU] public partial class Net { } }",
                DiagnosticAssert.Usings + "namespace a_b { [Input(1, 4, 4)] [ReLU] public partial class Net { } }",
                DiagnosticAssert.Usings + "namespace a\\u0301b { [Input(1, 4, 4)] [ReLU] public partial class Net { } }");
            Assert.Empty(run.CompilerErrors);
            Assert.Empty(run.Diagnostics);

            var names = run.Sources.Select(s => s.HintName).ToList();
            Assert.Equal(5, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Contains("event.Net.g.cs", names);
            Assert.Equal(2, names.Count(n => n.StartsWith("N.Net.", StringComparison.OrdinalIgnoreCase) && n.Length == "N.Net.".Length + 8 + ".g.cs".Length));
            Assert.Equal(2, names.Count(n => n.StartsWith("a_b.Net.", StringComparison.Ordinal) && n.Length == "a_b.Net.".Length + 8 + ".g.cs".Length));
            Assert.Empty(run.GeneratedCodeProblems);
        }

        [Fact]
        public void AnEmitterException_IsCG0040OnThatClass_AndTheOtherNetworkStillGenerates()
        {
            var generator = new NetworkGenerator(
                Parsing.NetworkParser.Parse,
                model => model.ClassName == "Bad" ? throw new InvalidOperationException("boom\nsecond line") : Emit.NetworkEmitter.Emit(model));
            var marked = MarkedSource.Parse(DiagnosticAssert.Usings + "[Input(1, 4, 4)]\n[ReLU]\npublic partial class {|CG0040:Bad|} { }");
            var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(marked.Text, Good), GeneratorHarness.CreateDriver(generator));

            var diagnostic = Assert.Single(run.Diagnostics);
            Assert.Equal("CG0040", diagnostic.Id);
            Assert.Equal(marked.Expected[0].Span, diagnostic.Location.SourceSpan);
            Assert.Contains("'Bad' (InvalidOperationException: boom second line)", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("Good.g.cs", Assert.Single(run.Sources).HintName);
        }

        [Fact]
        public void AParserException_IsCG0040OnThatClass_AndTheOtherNetworkStillGenerates()
        {
            var generator = new NetworkGenerator(
                (context, token) => context.TargetSymbol.Name == "Bad" ? throw new IndexOutOfRangeException("parser bug") : Parsing.NetworkParser.Parse(context, token),
                Emit.NetworkEmitter.Emit);
            var marked = MarkedSource.Parse(DiagnosticAssert.Usings + "[Input(1, 4, 4)]\n[ReLU]\npublic partial class {|CG0040:Bad|} { }");
            var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(marked.Text, Good), GeneratorHarness.CreateDriver(generator));

            var diagnostic = Assert.Single(run.Diagnostics);
            Assert.Equal("CG0040", diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal(marked.Expected[0].Span, diagnostic.Location.SourceSpan);
            Assert.Contains("IndexOutOfRangeException: parser bug", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("Good.g.cs", Assert.Single(run.Sources).HintName);
        }
    }
}
