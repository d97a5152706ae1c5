using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Generator diagnostics obey what users write to control the compiler's: <c>#pragma warning disable/restore</c>
    /// in the file and per-file severities (what .editorconfig's <c>dotnet_diagnostic.ID.severity</c> becomes).
    /// Both need locations in the compilation's own syntax trees.
    /// </summary>
    public class SuppressionTests
    {
        // Three layers whose stride leaves pixels unread (64 → 30 → 7 → 2): CG0015 on lines 3, 5 and 7; the pragma covers line 5.
        private const string ThreeWarnings = """
            using ConvGen;
            [Input(1, 64, 64)]
            [Conv2D(4, 5, Stride = 2)]
            #pragma warning disable CG0015
            [MaxPool2D(4)]
            #pragma warning restore CG0015
            [MaxPool2D(3)]
            public partial class Net { }
            """;

        [Fact]
        public void Pragma_silences_the_warning_between_disable_and_restore_only()
        {
            var run = GeneratorHarness.Run(ThreeWarnings);
            var reported = run.Diagnostics.Where(d => d.Id == "CG0015" && !d.IsSuppressed).Select(Line).ToList();

            // Without the pragma, the middle pool warns too (checked so the test cannot pass by the warning vanishing).
            var unsuppressed = GeneratorHarness.Run(ThreeWarnings.Replace("#pragma", "// pragma"));
            Assert.Equal(new[] { 3, 5, 7 }, unsuppressed.Diagnostics.Where(d => d.Id == "CG0015").Select(Line).Distinct());
            Assert.Equal(new[] { 3, 7 }, reported.Distinct());
        }

        [Theory]
        [InlineData(ReportDiagnostic.Suppress, null)]
        [InlineData(ReportDiagnostic.Error, DiagnosticSeverity.Error)]
        [InlineData(ReportDiagnostic.Warn, DiagnosticSeverity.Warning)]
        public void Per_file_severity_applies(ReportDiagnostic configured, DiagnosticSeverity? expected)
        {
            var compilation = GeneratorHarness.CreateCompilation(ThreeWarnings.Replace("#pragma", "// pragma"));
            var options = compilation.Options.WithSyntaxTreeOptionsProvider(new SeverityForEveryTree("CG0015", configured));
            var run = GeneratorHarness.Run(compilation.WithOptions(options), GeneratorHarness.CreateDriver());

            var severities = run.Diagnostics.Where(d => d.Id == "CG0015" && !d.IsSuppressed).Select(d => (DiagnosticSeverity?)d.Severity).Distinct().ToList();
            Assert.Equal(expected is null ? new DiagnosticSeverity?[0] : new[] { expected }, severities);
        }

        private static int Line(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;

        /// <summary>What the compiler builds from an .editorconfig section that covers every file.</summary>
        private sealed class SeverityForEveryTree : SyntaxTreeOptionsProvider
        {
            private readonly string _id;
            private readonly ReportDiagnostic _severity;

            public SeverityForEveryTree(string id, ReportDiagnostic severity)
            {
                _id = id;
                _severity = severity;
            }

            public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

            public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            {
                severity = _severity;
                return diagnosticId == _id;
            }

            public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            {
                severity = ReportDiagnostic.Default;
                return false;
            }
        }
    }
}
