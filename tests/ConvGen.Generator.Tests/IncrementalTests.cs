using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generator.Tests
{
    /// <summary>The pipeline caches: rerunning on an equal or unrelated-edited compilation produces no new model or diagnostics.</summary>
    public class IncrementalTests
    {
        private static readonly string[] Steps = { NetworkGenerator.ParseStep, NetworkGenerator.ModelStep, NetworkGenerator.DiagnosticsStep };

        private const string Unrelated = "namespace Other { public class Helper { public int Value => 1; } }";

        // A network with a warning, so the Diagnostics step carries data, plus a valid one.
        private const string Warned = "using ConvGen;\n[Input(1, 7, 7)]\n[Conv2D(1, 3, Stride = 3)]\npublic partial class Warned { }";

        [Fact]
        public void RerunOnClonedCompilation_EverythingCached()
        {
            var compilation = GeneratorHarness.CreateCompilation(Networks.LeNet5, Warned, Unrelated);
            var first = GeneratorHarness.Run(compilation, GeneratorHarness.CreateDriver());
            var second = GeneratorHarness.Run(compilation.Clone(), first.Driver);
            AssertNothingNew(second);
        }

        [Fact]
        public void RerunAfterUnrelatedEdit_EverythingCached()
        {
            var compilation = GeneratorHarness.CreateCompilation(Networks.LeNet5, Warned, Unrelated);
            var first = GeneratorHarness.Run(compilation, GeneratorHarness.CreateDriver());
            var edited = Replace(compilation, 2, Unrelated.Replace("=> 1", "=> 2"));
            var second = GeneratorHarness.Run(edited, first.Driver);
            AssertNothingNew(second);
        }

        [Fact]
        public void RerunAfterEditInsideTheNetworkFileOutsideTheClass_EverythingCached()
        {
            var compilation = GeneratorHarness.CreateCompilation(Networks.LeNet5, Warned);
            var first = GeneratorHarness.Run(compilation, GeneratorHarness.CreateDriver());

            // Appending after the class moves nothing the model or the diagnostics depend on.
            var second = GeneratorHarness.Run(Replace(compilation, 0, Networks.LeNet5 + "\nnamespace Extra { class Side { } }\n"), first.Driver);
            AssertNothingNew(second);
        }

        [Fact]
        public void ChangingALayerAttribute_ReRunsParseAndModel()
        {
            var compilation = GeneratorHarness.CreateCompilation(Networks.LeNet5, Warned);
            var first = GeneratorHarness.Run(compilation, GeneratorHarness.CreateDriver());
            var changed = Replace(compilation, 0, Networks.LeNet5.Replace("[Dense(10)]", "[Dense(12)]").Replace("1256080", "1257082"));
            var second = GeneratorHarness.Run(changed, first.Driver);

            Assert.Contains(Reasons(second, NetworkGenerator.ParseStep), r => r == IncrementalStepRunReason.Modified);
            Assert.Contains(Reasons(second, NetworkGenerator.ModelStep), r => r == IncrementalStepRunReason.Modified);
            Assert.DoesNotContain(second.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        }

        [Fact]
        public void IntroducingAnError_ChangesDiagnosticsAndLeavesOnlyThePublicSurface()
        {
            var compilation = GeneratorHarness.CreateCompilation(Networks.LeNet5);
            var first = GeneratorHarness.Run(compilation, GeneratorHarness.CreateDriver());
            var second = GeneratorHarness.Run(Replace(compilation, 0, Networks.LeNet5.Replace("[Dense(10)]", "[Dense(0)]")), first.Driver);
            Assert.Contains(Reasons(second, NetworkGenerator.DiagnosticsStep), r => r == IncrementalStepRunReason.Modified);
            Assert.Contains(second.Diagnostics, d => d.Id == "CG0006");
            Assert.Contains("ConvGen could not generate LeNet5 because of build error CG0006", Assert.Single(second.Sources).SourceText.ToString());
        }

        [Fact]
        public void MissingInputStep_CachedAcrossUnrelatedEdits()
        {
            var compilation = GeneratorHarness.CreateCompilation("using ConvGen;\n[Flatten]\n[Dense(2)]\npublic partial class NoInput { }", Unrelated);
            var first = GeneratorHarness.Run(compilation, GeneratorHarness.CreateDriver());
            Assert.Equal("CG0004", Assert.Single(first.Diagnostics).Id);

            var second = GeneratorHarness.Run(Replace(compilation, 1, Unrelated.Replace("=> 1", "=> 3")), first.Driver);
            var reasons = Reasons(second, NetworkGenerator.MissingInputStep);
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
            Assert.Equal("CG0004", Assert.Single(second.Diagnostics).Id);
        }

        private static void AssertNothingNew(GeneratorRun run)
        {
            foreach (var step in Steps)
            {
                var reasons = Reasons(run, step);
                Assert.NotEmpty(reasons);
                Assert.All(reasons, r => Assert.True(
                    r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"step {step} produced a {r} output"));
            }
        }

        private static List<IncrementalStepRunReason> Reasons(GeneratorRun run, string step) =>
            run.Result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

        private static CSharpCompilation Replace(CSharpCompilation compilation, int index, string text)
        {
            var old = compilation.SyntaxTrees.ElementAt(index);
            return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, old.FilePath));
        }
    }
}
