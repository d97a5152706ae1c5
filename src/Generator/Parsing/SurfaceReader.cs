using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generator.Parsing
{
    /// <summary>
    /// Reads the public surface of a network whose layers have errors (<see cref="NetworkSurface"/>): the members of
    /// <c>ConvGen.INetwork</c> as the referenced runtime declares them, and whatever shape inference got to.
    /// </summary>
    internal static class SurfaceReader
    {
        public const string NetworkInterfaceName = "ConvGen.INetwork";

        /// <summary>The generated constants; an interface member of the same name is implemented explicitly.</summary>
        public static readonly string[] ConstantNames =
        {
            "InputChannels", "InputHeight", "InputWidth", "InputLength", "OutputLength", "ParameterCount", "BufferLength", "Summary",
        };

        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat ParameterFormat = new(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Included,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
                | SymbolDisplayParameterOptions.IncludeParamsRefOut | SymbolDisplayParameterOptions.IncludeDefaultValue,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
                | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>
        /// The surface, or null when the class itself is wrong (not partial, nested, generic): a partial declaration of it
        /// would then add errors of its own.
        /// </summary>
        public static NetworkSurface? Read(
            INamedTypeSymbol type, ClassDeclarationSyntax declaration, Compilation compilation, Shape input,
            NetworkModel? model, NetworkAnalysis? analysis, IReadOnlyList<DiagnosticInfo> diagnostics)
        {
            // A class that cannot hold the generated members at all (not partial, nested, generic, static, or named like one
            // of them) gets no surface: its one error is the whole story.
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword) || type.ContainingType is not null || type.TypeParameters.Length > 0
                || diagnostics.Any(d => d.Id == DiagnosticCatalog.ClassNameReserved.Id || d.Id == DiagnosticCatalog.ClassStatic.Id))
            {
                return null;
            }

            var complete = model is not null && analysis is not null && analysis.Layers.Count == model.Layers.Count && model.Layers.Count > 0;
            var outputLength = complete && analysis!.Output.Length <= int.MaxValue ? (int)analysis.Output.Length : 1;
            var parameterCount = complete && analysis!.TotalParameters <= int.MaxValue ? (int)analysis.TotalParameters : 1;
            var firstError = diagnostics.FirstOrDefault(d => !DiagnosticCatalog.IsWarning(d.Id));
            var error = firstError is null
                ? "a layer attribute does not compile; see the compiler's error on it"
                : firstError.Id + ": " + firstError.Message();

            return new NetworkSurface(
                type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                type.Name,
                type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                input,
                outputLength,
                parameterCount,
                error,
                new EquatableArray<SurfaceMember>(InterfaceMembers(compilation)));
        }

        private static IEnumerable<SurfaceMember> InterfaceMembers(Compilation compilation)
        {
            var network = compilation.GetTypeByMetadataName(NetworkInterfaceName);
            if (network is null)
            {
                yield break;
            }

            foreach (var member in network.GetMembers().Concat(network.AllInterfaces.SelectMany(i => i.GetMembers())))
            {
                if (!member.IsAbstract || member.IsStatic)
                {
                    continue;
                }

                var explicitInterface = ConstantNames.Contains(member.Name) ? member.ContainingType.ToDisplayString(TypeFormat) : null;
                switch (member)
                {
                    case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                        yield return new SurfaceMember(
                            method.ReturnsVoid ? "void" : method.ReturnType.ToDisplayString(TypeFormat),
                            method.Name,
                            string.Join(", ", method.Parameters.Select(p => p.ToDisplayString(ParameterFormat))),
                            false,
                            false,
                            explicitInterface);
                        break;
                    case IPropertySymbol { IsIndexer: false } property:
                        yield return new SurfaceMember(
                            property.Type.ToDisplayString(TypeFormat),
                            property.Name,
                            null,
                            property.GetMethod is not null,
                            property.SetMethod is not null,
                            explicitInterface);
                        break;
                }
            }
        }
    }
}
