using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
    /// Writes the value the generator worked out (<see cref="FixProperties.Value"/>) into the attribute argument at fault:
    /// <c>Expect</c> := the inferred shape (CG0012), <c>ExpectedParameters</c> := the inferred count (CG0013), the kernel
    /// size := the largest that fits (CG0007), the stride := the nearest that reads the whole input (CG0015; added as
    /// <c>Stride = …</c> when the pooling window's default was used). The generator leaves the value out where there is
    /// no single answer, and then nothing is offered.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetArgumentFix))]
    [Shared]
    public sealed class SetArgumentFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(
            DiagnosticCatalog.ExpectMismatch.Id,
            DiagnosticCatalog.ExpectedParametersMismatch.Id,
            DiagnosticCatalog.KernelLargerThanInput.Id,
            DiagnosticCatalog.StrideDoesNotFit.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (root is null || !diagnostic.Properties.TryGetValue(FixProperties.Value, out var value) || value is null)
                {
                    continue;
                }

                var node = root.FindNode(diagnostic.Location.SourceSpan);
                var attribute = node.FirstAncestorOrSelf<AttributeSyntax>();
                var located = node.FirstAncestorOrSelf<AttributeArgumentSyntax>();
                if (attribute is null)
                {
                    continue;
                }

                var (title, replacement) = Plan(diagnostic.Id, attribute, located, value);
                if (replacement is null)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(attribute, replacement))), diagnostic.Id + value),
                    diagnostic);
            }
        }

        /// <summary>The fix's title and the attribute it leaves, or a null attribute when the argument cannot be found.</summary>
        private static (string Title, AttributeSyntax? Replacement) Plan(string id, AttributeSyntax attribute, AttributeArgumentSyntax? located, string value)
        {
            if (id == DiagnosticCatalog.ExpectMismatch.Id)
            {
                var literal = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value));
                return ("Set Expect to \"" + value + "\", the inferred shape", Replace(attribute, located, literal));
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return (string.Empty, null);
            }

            var numeral = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(number));
            if (id == DiagnosticCatalog.ExpectedParametersMismatch.Id)
            {
                return ("Set ExpectedParameters to " + value + ", the inferred count", Replace(attribute, located, numeral));
            }

            if (id == DiagnosticCatalog.KernelLargerThanInput.Id)
            {
                return ("Use kernel size " + value + ", the largest that fits", Replace(attribute, KernelArgument(attribute), numeral));
            }

            var title = "Use stride " + value + ", the nearest that reads the whole input";
            if (located is not null)
            {
                return (title, Replace(attribute, located, numeral));
            }

            // A pooling layer whose stride defaulted to its window size: say the stride explicitly.
            var stride = SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals("Stride"), null, numeral);
            var arguments = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
            return (title, attribute.WithArgumentList(arguments.AddArguments(stride)));
        }

        private static AttributeSyntax? Replace(AttributeSyntax attribute, AttributeArgumentSyntax? argument, ExpressionSyntax value) =>
            argument is null
                ? null
                : attribute.ReplaceNode(argument.Expression, value.WithTriviaFrom(argument.Expression));

        /// <summary>The square kernel's size argument: <c>kernelSize: k</c> or the second positional one; none when a rectangular kernel is given per axis.</summary>
        private static AttributeArgumentSyntax? KernelArgument(AttributeSyntax attribute)
        {
            var arguments = attribute.ArgumentList?.Arguments ?? default;
            if (arguments.Any(a => a.NameEquals?.Name.Identifier.ValueText is "KernelHeight" or "KernelWidth"))
            {
                return null;
            }

            return arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == "kernelSize")
                ?? arguments.Where(a => a.NameEquals is null && a.NameColon is null).ElementAtOrDefault(1);
        }
    }
}
