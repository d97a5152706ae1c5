using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generator.Tests
{
    /// <summary>Runs the generator on marked sources and checks that exactly the marked diagnostics are reported, at the marked spans.</summary>
    internal static class DiagnosticAssert
    {
        public const string Usings = "using ConvGen;\n";

        /// <summary>
        /// Each source gets <c>using ConvGen;</c> prepended; its <c>{|ID:...|}</c> markers are the expected diagnostics.
        /// Checks ids, spans and line/column positions, that the input compiles, and returns the diagnostics for message checks.
        /// </summary>
        public static IReadOnlyList<Diagnostic> Reports(params string[] markedSources)
        {
            var sources = markedSources.Select(s => MarkedSource.Parse(Usings + s)).ToList();
            var run = GeneratorHarness.Run(sources.Select(s => s.Text).ToArray());
            Assert.Empty(run.CompilerErrors);

            var expected = new List<string>();
            for (var file = 0; file < sources.Count; file++)
            {
                var lines = SourceText.From(sources[file].Text).Lines;
                foreach (var (id, span) in sources[file].Expected)
                {
                    expected.Add(Describe(id, "Network" + file + ".cs", lines.GetLinePositionSpan(span)));
                }
            }

            var actual = run.Diagnostics.Select(d => Describe(d.Id, d.Location.GetLineSpan().Path, d.Location.GetLineSpan().Span)).ToList();
            Assert.Equal(expected.OrderBy(x => x), actual.OrderBy(x => x));
            return run.Diagnostics;
        }

        /// <summary>The single diagnostic of <paramref name="markedSource"/>; checks its severity too.</summary>
        public static Diagnostic Single(string markedSource, DiagnosticSeverity severity = DiagnosticSeverity.Error)
        {
            var diagnostic = Assert.Single(Reports(markedSource));
            Assert.Equal(severity, diagnostic.Severity);
            return diagnostic;
        }

        public static string Message(this Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

        private static string Describe(string id, string file, LinePositionSpan span) =>
            $"{id} {file} ({span.Start.Line + 1},{span.Start.Character + 1})-({span.End.Line + 1},{span.End.Character + 1})";
    }
}
