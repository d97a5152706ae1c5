using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Every C# block of the README and the package's readme compiles as written: each is the Program.cs of a new console
    /// project (<c>dotnet new console</c>'s implicit usings) that references ConvGen, with the generator run on it.
    /// </summary>
    public class ReadmeCodeTests
    {
        private const string ImplicitUsings = """
            global using global::System;
            global using global::System.Collections.Generic;
            global using global::System.IO;
            global using global::System.Linq;
            global using global::System.Net.Http;
            global using global::System.Threading;
            global using global::System.Threading.Tasks;
            """;

        private static readonly string[] Files = { "README.md", Path.Combine("docs", "package", "README.md") };

        public static IEnumerable<object[]> Blocks() =>
            Files.SelectMany(file => CodeBlocks(file).Select((_, index) => new object[] { file, index + 1 }));

        [Fact]
        public void Both_readmes_have_csharp_blocks()
        {
            Assert.All(Files, file => Assert.NotEmpty(CodeBlocks(file)));
        }

        [Theory]
        [MemberData(nameof(Blocks))]
        public void Block_compiles(string file, int number)
        {
            var code = CodeBlocks(file)[number - 1];
            var compilation = GeneratorHarness.CreateCompilation(code, ImplicitUsings)
                .AddReferences(MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location));
            // A block with statements is a program (Program.cs); a block of declarations only is a library file.
            var isProgram = compilation.SyntaxTrees.Any(tree => tree.GetCompilationUnitRoot().Members.OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax>().Any());
            compilation = compilation.WithOptions(new CSharpCompilationOptions(
                isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            var run = GeneratorHarness.Run(compilation, GeneratorHarness.CreateDriver());

            var errors = run.Diagnostics.Concat(run.Output.GetDiagnostics())
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => d.ToString())
                .ToList();
            Assert.True(errors.Count == 0, $"{file}, C# block {number}:\n{string.Join("\n", errors)}\n\n{code}");
        }

        private static List<string> CodeBlocks(string file, [CallerFilePath] string testFile = "")
        {
            var path = Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", file);
            return Regex.Matches(File.ReadAllText(path).Replace("\r\n", "\n"), "^```csharp\\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)
                .Select(m => m.Groups[1].Value)
                .ToList();
        }
    }
}
