using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Tests.RandomNetworks
{
    /// <summary>
    /// Compiles one C# source text in memory with Roslyn and the ConvGen generator, and loads the result into a collectible
    /// <see cref="AssemblyLoadContext"/> that shares ConvGen.Runtime and ConvGen.Attributes with the test (so the generated
    /// classes implement the test's <see cref="INetwork"/>).
    /// </summary>
    public sealed class RandomNetworkAssembly : IDisposable
    {
        private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

        private readonly SharedConvGenContext _context;

        private RandomNetworkAssembly(SharedConvGenContext context, Assembly assembly)
        {
            _context = context;
            Assembly = assembly;
        }

        public Assembly Assembly { get; }

        /// <summary>Compiles <paramref name="source"/>; throws <see cref="InvalidOperationException"/> listing every error (generator or compiler).</summary>
        public static RandomNetworkAssembly Compile(string source)
        {
            var compilation = CSharpCompilation.Create(
                "ConvGen.RandomNetworks",
                new[] { CSharpSyntaxTree.ParseText(source, ParseOptions, path: "RandomNetworks.cs") },
                References(),
                new CSharpCompilationOptions(
                    OutputKind.DynamicallyLinkedLibrary,
                    optimizationLevel: OptimizationLevel.Release,
                    nullableContextOptions: NullableContextOptions.Enable));
            var driver = CSharpGeneratorDriver.Create(new[] { LoadGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);
            driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            var run = driver.GetRunResult();
            var exception = run.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
            if (exception is not null)
            {
                throw new InvalidOperationException("The ConvGen generator threw: " + exception, exception);
            }

            using var image = new MemoryStream();
            var emitted = output.Emit(image);
            var errors = generatorDiagnostics.Concat(run.Diagnostics).Concat(emitted.Diagnostics)
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Distinct()
                .ToList();
            if (errors.Count > 0 || !emitted.Success)
            {
                throw new InvalidOperationException(
                    $"The random networks do not compile ({errors.Count} errors):\n" + string.Join("\n", errors.Take(50).Select(d => Describe(d, output))));
            }

            image.Position = 0;
            var context = new SharedConvGenContext();
            return new RandomNetworkAssembly(context, context.LoadFromStream(image));
        }

        public Type NetworkType(string className) =>
            Assembly.GetType(RandomNetworkSource.Namespace + "." + className, throwOnError: true)!;

        public void Dispose() => _context.Unload();

        /// <summary>A diagnostic with the line of source (input or generated) it points at.</summary>
        private static string Describe(Diagnostic diagnostic, Compilation compilation)
        {
            var tree = diagnostic.Location.SourceTree;
            if (tree is null)
            {
                return diagnostic.ToString();
            }

            var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
            return diagnostic + "\n    " + tree.GetText().Lines[line].ToString().Trim();
        }

        /// <summary>The running framework's assemblies, ConvGen.Attributes and ConvGen.Runtime.</summary>
        private static ImmutableArray<MetadataReference> References()
        {
            var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            return trusted
                .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.OrdinalIgnoreCase))
                .Append(typeof(InputAttribute).Assembly.Location)
                .Append(typeof(INetwork).Assembly.Location)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
                .ToImmutableArray();
        }

        /// <summary>
        /// The generator is referenced only as an analyzer, so the build copies its dll to generator/ in the output
        /// (see ConvGen.Tests.csproj); it is loaded from there into the default context, next to this test's Roslyn.
        /// </summary>
        private static IIncrementalGenerator LoadGenerator()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "generator", "ConvGen.Generator.dll");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException("The ConvGen generator was not copied to the test output.", path);
            }

            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
            var type = assembly.GetType("ConvGen.Generator.NetworkGenerator", throwOnError: true)!;
            return (IIncrementalGenerator)Activator.CreateInstance(type)!;
        }

        /// <summary>Collectible; resolves ConvGen.Runtime and ConvGen.Attributes to the instances the tests already use.</summary>
        private sealed class SharedConvGenContext : AssemblyLoadContext
        {
            private static readonly Dictionary<string, Assembly> Shared = new(StringComparer.Ordinal)
            {
                [typeof(INetwork).Assembly.GetName().Name!] = typeof(INetwork).Assembly,
                [typeof(InputAttribute).Assembly.GetName().Name!] = typeof(InputAttribute).Assembly,
            };

            public SharedConvGenContext()
                : base("ConvGen.RandomNetworks", isCollectible: true)
            {
            }

            protected override Assembly? Load(AssemblyName assemblyName) =>
                assemblyName.Name is { } name && Shared.TryGetValue(name, out var assembly) ? assembly : null;
        }
    }
}
