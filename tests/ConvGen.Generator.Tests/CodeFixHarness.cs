using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Applies a code fix as the IDE does: the source becomes a document in an <see cref="AdhocWorkspace"/>, the generator
    /// runs on that document's compilation, and the fix gets the generator's diagnostic with the document.
    /// </summary>
    internal static class CodeFixHarness
    {
        /// <summary>The titles of the fixes offered for the first diagnostic <paramref name="id"/> and the text after the first one; no fixes gives no text.</summary>
        public static async Task<(IReadOnlyList<string> Titles, string? Fixed)> Apply(string source, string id, CodeFixProvider provider)
        {
            using var workspace = new AdhocWorkspace();
            var compilation = GeneratorHarness.CreateCompilation(source);
            var project = workspace.AddProject(ProjectInfo.Create(
                ProjectId.CreateNewId(), VersionStamp.Default, "Networks", "Networks", LanguageNames.CSharp,
                compilationOptions: compilation.Options, parseOptions: GeneratorHarness.ParseOptions, metadataReferences: compilation.References));
            var document = workspace.AddDocument(project.Id, "Network0.cs", SourceText.From(source));

            var documentCompilation = (CSharpCompilation)(await document.Project.GetCompilationAsync().ConfigureAwait(false))!;
            var run = GeneratorHarness.Run(documentCompilation, GeneratorHarness.CreateDriver());
            var diagnostic = run.Diagnostics.First(d => d.Id == id);
            Assert.Equal(await document.GetSyntaxTreeAsync().ConfigureAwait(false), diagnostic.Location.SourceTree);

            var actions = new List<CodeAction>();
            await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None)).ConfigureAwait(false);
            if (actions.Count == 0)
            {
                return (System.Array.Empty<string>(), null);
            }

            var operations = await actions[0].GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
            var solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
            var text = await solution.GetDocument(document.Id)!.GetTextAsync().ConfigureAwait(false);
            return (actions.Select(a => a.Title).ToList(), text.ToString());
        }
    }
}
