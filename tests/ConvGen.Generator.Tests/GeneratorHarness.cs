using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using ConvGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generator.Tests
{
    /// <summary>What one generator run produced.</summary>
    internal sealed record GeneratorRun(
        CSharpCompilation Input,
        Compilation Output,
        GeneratorDriver Driver,
        GeneratorRunResult Result)
    {
        /// <summary>Generated sources, ordered by hint name.</summary>
        public IReadOnlyList<GeneratedSourceResult> Sources => Result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToList();

        /// <summary>Diagnostics the generator reported, in source order.</summary>
        public IReadOnlyList<Diagnostic> Diagnostics => Result.Diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

        /// <summary>The network models the pipeline produced (from the tracked Model step).</summary>
        public IReadOnlyList<Model.NetworkModel> Models => Result.TrackedSteps.TryGetValue(NetworkGenerator.ModelStep, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => (Model.NetworkModel)o.Value).ToList()
            : Array.Empty<Model.NetworkModel>();

        /// <summary>What the parser made of each network class (from the tracked Parse step): models with errors are null.</summary>
        public IReadOnlyList<Parsing.ParseResult> Parsed => Result.TrackedSteps.TryGetValue(NetworkGenerator.ParseStep, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => (Parsing.ParseResult)o.Value).ToList()
            : Array.Empty<Parsing.ParseResult>();

        /// <summary>Errors the C# compiler reports on the input (before generation).</summary>
        public IReadOnlyList<Diagnostic> CompilerErrors => Input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        /// <summary>Errors and warnings the C# compiler reports inside the generated files.</summary>
        public IReadOnlyList<Diagnostic> GeneratedCodeProblems => Output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && !Input.SyntaxTrees.Contains(tree))
            .ToList();
    }

    /// <summary>Compiles test sources against the running framework and ConvGen.Attributes, and runs <see cref="NetworkGenerator"/> on them.</summary>
    internal static class GeneratorHarness
    {
        public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

        private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

        public static CSharpCompilation CreateCompilation(params string[] sources) =>
            CSharpCompilation.Create(
                "TestNetworks",
                sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: "Network" + i + ".cs")),
                References.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));

        public static GeneratorDriver CreateDriver() => CreateDriver(new NetworkGenerator());

        public static GeneratorDriver CreateDriver(NetworkGenerator generator) =>
            CSharpGeneratorDriver.Create(
                new[] { generator.AsSourceGenerator() },
                parseOptions: ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources), CreateDriver());

        /// <summary>Runs <paramref name="driver"/> on <paramref name="compilation"/>; fails the test if the generator threw.</summary>
        public static GeneratorRun Run(CSharpCompilation compilation, GeneratorDriver driver)
        {
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
            var result = driver.GetRunResult().Results.Single();
            Assert.True(result.Exception is null, "The generator threw: " + result.Exception);
            return new GeneratorRun(compilation, output, driver, result);
        }

        /// <summary>
        /// The generated network class for <paramref name="source"/> (the one generated file holding <c>RunForward</c>),
        /// after checking that the generated code compiles without errors or warnings.
        /// </summary>
        public static string NetworkCode(string source)
        {
            var run = Run(source);
            Assert.Empty(run.GeneratedCodeProblems);
            return Assert.Single(run.Sources.Select(s => s.SourceText.ToString()), t => t.Contains("RunForward", StringComparison.Ordinal));
        }

        /// <summary>The framework's reference assemblies as the running runtime has them, plus ConvGen.Attributes.</summary>
        private static ImmutableArray<MetadataReference> LoadReferences()
        {
            var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            return trusted
                .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.OrdinalIgnoreCase))
                .Append(typeof(ConvGen.InputAttribute).Assembly.Location)
                .Append(typeof(ConvGen.INetwork).Assembly.Location)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
                .ToImmutableArray();
        }
    }
}
