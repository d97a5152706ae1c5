using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Random declarations (<see cref="FuzzDeclarations"/>) through the generator in memory, 50 to a compilation: the
    /// generator never throws, every invalid declaration gets a CG error in its own file and no code, and every valid
    /// one gets code that compiles without errors or warnings. 1,000 cases by default; set CONVGEN_FUZZ_CASES for more
    /// (and CONVGEN_FUZZ_SEED for another sequence). A failure prints the declaration that reproduces it.
    /// </summary>
    public class GeneratorFuzzTests
    {
        private const int DefaultCases = 1000;
        private const int DefaultSeed = 20261128;
        private const int CasesPerCompilation = 50;

        [Fact]
        public void RandomDeclarations_AreAcceptedOrReported_AndAcceptedOnesCompileWithoutWarnings()
        {
            var count = Setting("CONVGEN_FUZZ_CASES", DefaultCases);
            var fuzz = new FuzzDeclarations(Setting("CONVGEN_FUZZ_SEED", DefaultSeed));
            var failures = new List<string>();
            int valid = 0, invalid = 0, folds = 0;
            for (var start = 0; start < count && failures.Count < 10; start += CasesPerCompilation)
            {
                var cases = Enumerable.Range(start, Math.Min(CasesPerCompilation, count - start)).Select(fuzz.Next).ToList();
                valid += cases.Count(c => c.Valid);
                invalid += cases.Count(c => !c.Valid);
                folds += Check(cases, failures);
            }

            Assert.True(failures.Count == 0, failures.Count + " failure(s), the first ones:\n\n" + string.Join("\n\n", failures.Take(5)));

            // The mix is real: both kinds were generated in numbers.
            Assert.True(valid >= count / 4 && invalid >= count / 4, $"{valid} valid and {invalid} invalid of {count}");

            // The residual blocks reach the fold of an Add into the conv before it (Winograd aside: too few channels).
            Assert.True(folds >= count / 100, $"{folds} generated networks of {count} cases fold an Add into a conv");
        }

        /// <summary>Checks one compilation's cases into <paramref name="failures"/>; returns how many generated networks fold an Add into a conv.</summary>
        private static int Check(IReadOnlyList<FuzzCase> cases, List<string> failures)
        {
            var run = GeneratorHarness.Run(cases.Select(c => c.Source).ToArray());
            foreach (var error in run.CompilerErrors)
            {
                failures.Add(Describe(cases, error.Location.GetLineSpan().Path, "the declaration itself does not compile: " + error));
            }

            for (var i = 0; i < cases.Count; i++)
            {
                var file = "Network" + i + ".cs";
                var errors = run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.GetLineSpan().Path == file).ToList();
                if (cases[i].Valid && errors.Count > 0)
                {
                    failures.Add(Describe(cases, file, "a valid declaration got " + string.Join("; ", errors)));
                }
                else if (!cases[i].Valid && errors.Count == 0)
                {
                    failures.Add(Describe(cases, file, "an invalid declaration (" + cases[i].What + ") got no CG error"));
                }
            }

            // Every valid declaration gets its network's code; an invalid one at most the error surface (members that throw).
            var expectedSources = cases.Count(c => c.Valid);
            var networkSources = run.Sources.Count(s => s.SourceText.ToString().Contains("RunForward", StringComparison.Ordinal));
            if (networkSources != expectedSources)
            {
                failures.Add($"cases {cases[0].Index}–{cases[^1].Index}: {networkSources} generated networks for {expectedSources} valid declarations");
            }

            foreach (var problem in run.GeneratedCodeProblems)
            {
                failures.Add(Describe(cases, DeclaringFile(run.Output, problem), "its generated code has " + problem));
            }

            return run.Sources.Count(s => s.SourceText.ToString().Contains("var residual = ", StringComparison.Ordinal));
        }

        /// <summary>The test file declaring the class a generated-code diagnostic is in.</summary>
        private static string DeclaringFile(Compilation output, Diagnostic problem)
        {
            var tree = problem.Location.SourceTree!;
            var symbol = output.GetSemanticModel(tree).GetEnclosingSymbol(problem.Location.SourceSpan.Start);
            for (var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType; type is not null; type = type.ContainingType)
            {
                var file = type.DeclaringSyntaxReferences.Select(r => r.SyntaxTree.FilePath).FirstOrDefault(p => p.StartsWith("Network", StringComparison.Ordinal));
                if (file is not null)
                {
                    return file;
                }
            }

            return tree.FilePath;
        }

        private static string Describe(IReadOnlyList<FuzzCase> cases, string file, string problem)
        {
            var index = file.StartsWith("Network", StringComparison.Ordinal) && int.TryParse(file["Network".Length..^".cs".Length], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1;
            return index < 0
                ? problem + " (in " + file + ")"
                : $"case {cases[index].Index} ({cases[index].What}): {problem}\n{cases[index].Source}";
        }

        private static int Setting(string name, int fallback) =>
            int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }
}
