using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Onnx.Tests
{
    /// <summary>
    /// Compiles an imported declaration with Roslyn and the ConvGen generator, as a user's project would, and loads it into a
    /// collectible context that shares ConvGen.Runtime and ConvGen.Attributes with the tests.
    /// </summary>
    internal sealed class InMemoryNetwork : IDisposable
    {
        private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
        private readonly SharedContext _context;
        private readonly Assembly _assembly;

        private InMemoryNetwork(SharedContext context, Assembly assembly)
        {
            _context = context;
            _assembly = assembly;
        }

        /// <summary>Compiles <paramref name="source"/>; fails listing every generator or compiler error and warning.</summary>
        public static InMemoryNetwork Compile(string source)
        {
            var compilation = CSharpCompilation.Create(
                "ConvGen.Imported",
                new[] { CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Imported.cs") },
                References(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
            var driver = CSharpGeneratorDriver.Create(new[] { LoadGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);
            driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            using var image = new MemoryStream();
            var emitted = output.Emit(image);
            var problems = generatorDiagnostics.Concat(emitted.Diagnostics).Where(d => d.Severity >= DiagnosticSeverity.Warning).Distinct().ToList();
            Assert.True(emitted.Success && problems.Count == 0, "The imported declaration does not compile cleanly:\n" + string.Join("\n", problems));
            image.Position = 0;
            var context = new SharedContext();
            return new InMemoryNetwork(context, context.LoadFromStream(image));
        }

        public INetwork Create(string fullName) => (INetwork)Activator.CreateInstance(_assembly.GetType(fullName, throwOnError: true)!, 0)!;

        public void Dispose() => _context.Unload();

        private static IEnumerable<MetadataReference> References()
        {
            var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.OrdinalIgnoreCase))
                .Append(typeof(InputAttribute).Assembly.Location)
                .Append(typeof(INetwork).Assembly.Location)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(path => MetadataReference.CreateFromFile(path));
        }

        private static IIncrementalGenerator LoadGenerator()
        {
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, "generator", "ConvGen.Generator.dll"));
            return (IIncrementalGenerator)Activator.CreateInstance(assembly.GetType("ConvGen.Generator.NetworkGenerator", throwOnError: true)!)!;
        }

        private sealed class SharedContext : AssemblyLoadContext
        {
            public SharedContext()
                : base("ConvGen.Imported", isCollectible: true)
            {
            }

            protected override Assembly? Load(AssemblyName assemblyName) => assemblyName.Name switch
            {
                "ConvGen.Runtime" => typeof(INetwork).Assembly,
                "ConvGen.Attributes" => typeof(InputAttribute).Assembly,
                _ => null,
            };
        }
    }
}
