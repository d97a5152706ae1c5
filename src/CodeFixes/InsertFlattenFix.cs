using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using ConvGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.CodeFixes
{
    /// <summary>
    /// CG0009: inserts <c>[Flatten]</c> before the Dense layer that reads a spatial shape: on a line of its own when the
    /// Dense attribute has its own brackets, else into the same brackets right before it. The name is written as the
    /// Dense attribute's is (<c>Flatten</c>, or <c>ConvGen.Flatten</c> beside <c>ConvGen.Dense</c>).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenFix))]
    [Shared]
    public sealed class InsertFlattenFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticCatalog.DenseNeedsFlatten.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                var dense = root?.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>();
                if (root is null || dense?.Parent is not AttributeListSyntax list || list.Parent is not ClassDeclarationSyntax declaration)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Insert [Flatten] before this Dense layer",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(declaration, InsertFlatten(declaration, list, dense)))),
                        nameof(InsertFlattenFix)),
                    diagnostic);
            }
        }

        private static ClassDeclarationSyntax InsertFlatten(ClassDeclarationSyntax declaration, AttributeListSyntax list, AttributeSyntax dense)
        {
            var flatten = SyntaxFactory.Attribute(FlattenName(dense.Name));
            if (list.Attributes.Count > 1)
            {
                return declaration.ReplaceNode(list, list.WithAttributes(list.Attributes.Insert(list.Attributes.IndexOf(dense), flatten)));
            }

            var endOfLine = list.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var newList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(flatten))
                .WithLeadingTrivia(list.GetLeadingTrivia())
                .WithTrailingTrivia(endOfLine == default ? SyntaxFactory.LineFeed : endOfLine);
            return declaration.WithAttributeLists(declaration.AttributeLists.Insert(declaration.AttributeLists.IndexOf(list), newList));
        }

        /// <summary><c>Dense</c> → <c>Flatten</c>; <c>ConvGen.DenseAttribute</c> → <c>ConvGen.Flatten</c>.</summary>
        private static NameSyntax FlattenName(NameSyntax dense) => dense switch
        {
            QualifiedNameSyntax qualified => SyntaxFactory.QualifiedName(qualified.Left.WithoutTrivia(), SyntaxFactory.IdentifierName("Flatten")),
            AliasQualifiedNameSyntax alias => SyntaxFactory.AliasQualifiedName(alias.Alias.WithoutTrivia(), SyntaxFactory.IdentifierName("Flatten")),
            _ => SyntaxFactory.IdentifierName("Flatten"),
        };
    }
}
