using System.Threading;
using ConvGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generator.Parsing
{
    /// <summary>
    /// Finds classes that declare layers but no <c>[Input]</c>. The generator runs this once per built-in layer
    /// attribute type (via ForAttributeWithMetadataName, which only visits classes carrying that attribute), and each
    /// class is reported exactly once: by the run for its first layer attribute, on the declaration that holds it.
    /// </summary>
    internal static class MissingInputCheck
    {
        public static DiagnosticInfo? Find(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            AttributeData? first = null;
            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == NetworkParser.InputAttributeName)
                {
                    return null;
                }

                if (first is null && Layers.LayerKinds.Of(attribute.AttributeClass) is not null)
                {
                    first = attribute;
                }
            }

            if (first is null
                || !SymbolEqualityComparer.Default.Equals(first.AttributeClass, context.Attributes[0].AttributeClass)
                || first.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax
                || !context.TargetNode.Span.Contains(syntax.Span)
                || syntax.SyntaxTree != context.TargetNode.SyntaxTree)
            {
                return null;
            }

            return NetworkParser.Create(DiagnosticCatalog.MissingInput, syntax.GetLocation(), type.Name);
        }
    }
}
