using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generator.Parsing
{
    /// <summary>Turns a class marked <c>[Input]</c> into a <see cref="NetworkModel"/> and diagnostics located on the attributes at fault.</summary>
    internal static class NetworkParser
    {
        public const string InputAttributeName = "ConvGen.InputAttribute";
        private const string LayerAttributeName = "ConvGen.LayerAttribute";
        private const string BranchAttributeName = "ConvGen.BranchAttribute";

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            if (context.TargetNode is RecordDeclarationSyntax record)
            {
                return new ParseResult(null, new EquatableArray<DiagnosticInfo>(new[]
                {
                    Create(DiagnosticCatalog.NetworkIsRecord, record.Identifier.GetLocation(), record.Identifier.ValueText),
                }));
            }

            var declaration = (ClassDeclarationSyntax)context.TargetNode;
            var diagnostics = new List<DiagnosticInfo>();
            var inputData = context.Attributes[0];
            var inputSyntax = inputData.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

            // A second [Input] is CS0579 and an [Input] that does not bind is a compiler error too:
            // the compiler has said what is wrong, so the generator stays silent and emits nothing.
            if (inputData.AttributeConstructor is null || CompilerRejected.Any(inputData) || CountInputAttributes(type) > 1)
            {
                return ParseResult.Empty;
            }

            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(Create(DiagnosticCatalog.ClassNotPartial, declaration.Identifier.GetLocation(), type.Name));
            }

            if (type.ContainingType is not null)
            {
                diagnostics.Add(Create(DiagnosticCatalog.ClassNested, declaration.Identifier.GetLocation(), type.Name, type.ContainingType.Name));
            }

            if (type.TypeParameters.Length > 0)
            {
                diagnostics.Add(Create(DiagnosticCatalog.ClassGeneric, declaration.Identifier.GetLocation(), type.Name));
            }

            NameRules.CheckClass(type, declaration, diagnostics);

            // Layer attributes and [Branch] markers, in source order: the order is the graph's structure.
            var attributes = new List<(AttributeData Data, AttributeSyntax Syntax)>();
            var bindingErrors = false;
            var splitReported = false;
            foreach (var attribute in type.GetAttributes())
            {
                if (!(IsLayerAttribute(attribute.AttributeClass) || IsBranchAttribute(attribute.AttributeClass))
                    || attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
                {
                    continue;
                }

                if (syntax.FirstAncestorOrSelf<ClassDeclarationSyntax>() != declaration)
                {
                    if (!splitReported)
                    {
                        diagnostics.Add(Create(DiagnosticCatalog.LayersSplitAcrossPartials, syntax.GetLocation(), type.Name));
                        splitReported = true;
                    }

                    continue;
                }

                attributes.Add((attribute, syntax));
            }

            attributes.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));

            var taken = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var (data, _) in attributes)
            {
                if (LayerReader.ExplicitName(data) is { } name)
                {
                    taken.Add(name);
                }
            }

            var input = Shape.Spatial(Int(inputData.ConstructorArguments, 0), Int(inputData.ConstructorArguments, 1), Int(inputData.ConstructorArguments, 2));
            var expectedParameters = Named(inputData, "ExpectedParameters", 0);
            var declarations = new List<Declaration>();
            var declarationSyntax = new List<(AttributeData Data, AttributeSyntax Syntax)>();
            var ordinals = new Dictionary<string, int>();
            foreach (var (data, syntax) in attributes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (data.AttributeConstructor is null || CompilerRejected.Any(data))
                {
                    // Wrong argument types or counts: the compiler reports it; the layer cannot be read.
                    bindingErrors = true;
                    continue;
                }

                Declaration? read;
                if (IsBranchAttribute(data.AttributeClass))
                {
                    read = new BranchDeclaration(Named(data, "Nested", false));
                }
                else
                {
                    var kind = LayerKinds.Of(data.AttributeClass);
                    read = kind is null ? null : LayerReader.Read(data, kind, taken, ordinals);
                }

                if (read is null)
                {
                    diagnostics.Add(Create(DiagnosticCatalog.UnknownLayerAttribute, syntax.GetLocation(), data.AttributeClass!.ToDisplayString(), type.Name));
                    continue;
                }

                declarations.Add(read);
                declarationSyntax.Add((data, syntax));
            }

            if (diagnostics.Count > 0 || bindingErrors)
            {
                return new ParseResult(
                    null,
                    new EquatableArray<DiagnosticInfo>(diagnostics),
                    SurfaceReader.Read(type, declaration, context.SemanticModel.Compilation, input, null, null, diagnostics));
            }

            var graph = GraphResolver.Resolve(declarations);
            foreach (var finding in graph.Findings)
            {
                var (data, syntax) = declarationSyntax[finding.Item];
                var kind = declarations[finding.Item] is LayerDeclaration declared ? LayerKinds.Of(declared.Layer) : null;
                var location = ArgumentLocation(syntax, data.AttributeConstructor, kind, finding.Property, finding.Position);
                diagnostics.Add(Create(finding.Descriptor, location, finding.Arguments));
            }

            if (diagnostics.Count > 0)
            {
                return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));
            }

            var layers = graph.Layers;
            var layerSyntax = new List<(AttributeData Data, AttributeSyntax Syntax)>();
            for (var i = 0; i < declarations.Count; i++)
            {
                if (declarations[i] is LayerDeclaration)
                {
                    layerSyntax.Add(declarationSyntax[i]);
                }
            }

            NameRules.CheckLayers(layers, layerSyntax.Select(s => s.Syntax).ToList(), diagnostics);
            if (diagnostics.Count > 0)
            {
                return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));
            }

            var model = new NetworkModel(
                type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                type.Name,
                type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                input,
                expectedParameters,
                new EquatableArray<LayerModel>(layers));

            var analysis = SizeLimits.Apply(model, ShapeInference.Infer(model));
            foreach (var problem in analysis.Problems)
            {
                var (data, syntax) = problem.LayerIndex < 0 ? (inputData, inputSyntax) : layerSyntax[problem.LayerIndex];
                var kind = problem.LayerIndex < 0 ? null : LayerKinds.Of(layers[problem.LayerIndex]);
                var location = ArgumentLocation(syntax, data.AttributeConstructor, kind, problem.Property, -1);
                diagnostics.Add(new DiagnosticInfo(problem.DescriptorId, LocationInfo.From(location), problem.Arguments));
            }

            var computesNothing = !analysis.HasErrors && NameRules.ComputesNothing(layers);
            if (computesNothing)
            {
                diagnostics.Add(Create(DiagnosticCatalog.NothingToCompute, declaration.Identifier.GetLocation(), type.Name));
            }

            return analysis.HasErrors || computesNothing
                ? new ParseResult(
                    null,
                    new EquatableArray<DiagnosticInfo>(diagnostics),
                    SurfaceReader.Read(type, declaration, context.SemanticModel.Compilation, input, model, analysis, diagnostics))
                : new ParseResult(model, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        private static int CountInputAttributes(INamedTypeSymbol type)
        {
            var count = 0;
            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == InputAttributeName)
                {
                    count++;
                }
            }

            return count;
        }

        private static bool IsBranchAttribute(INamedTypeSymbol? type) => type?.ToDisplayString() == BranchAttributeName;

        internal static bool IsLayerAttribute(INamedTypeSymbol? type)
        {
            for (var current = type?.BaseType; current is not null; current = current.BaseType)
            {
                if (current.ToDisplayString() == LayerAttributeName)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Where a diagnostic about <paramref name="property"/> points: its named argument (or that of the property it defaults
        /// to, <see cref="LayerKind.SharedProperty"/>), else the constructor argument that sets it (by the parameter of the same
        /// name, written positionally or as <c>filters:</c>; <paramref name="position"/> within a <c>params</c> array), else the attribute.
        /// </summary>
        private static Location? ArgumentLocation(AttributeSyntax? syntax, IMethodSymbol? constructor, LayerKind? kind, string? property, int position)
        {
            if (syntax is null)
            {
                return null;
            }

            var arguments = syntax.ArgumentList?.Arguments ?? default;
            if (property is null)
            {
                return syntax.GetLocation();
            }

            var shared = kind?.SharedProperty(property) ?? property;
            foreach (var name in new[] { property, shared })
            {
                var named = arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
                if (named is not null)
                {
                    return named.GetLocation();
                }
            }

            foreach (var name in new[] { property, shared })
            {
                var parameter = AttributeArguments.ConstructorPosition(constructor, name);
                if (parameter < 0)
                {
                    continue;
                }

                var colon = arguments.FirstOrDefault(a => string.Equals(a.NameColon?.Name.Identifier.ValueText, constructor!.Parameters[parameter].Name, System.StringComparison.Ordinal));
                if (colon is not null)
                {
                    return colon.GetLocation();
                }

                // A params array's elements follow its parameter's position: the finding's position picks one.
                var index = parameter + (constructor!.Parameters[parameter].IsParams ? System.Math.Max(position, 0) : 0);
                var positional = arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
                if (index < positional.Count)
                {
                    return positional[index].GetLocation();
                }
            }

            return syntax.GetLocation();
        }

        internal static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params object[] arguments) =>
            new(descriptor.Id, LocationInfo.From(location), Problem.Create(descriptor.Id, 0, null, arguments).Arguments);

        internal static int Int(ImmutableArray<TypedConstant> arguments, int index) =>
            index < arguments.Length && arguments[index].Value is int value ? value : 0;

        internal static T Named<T>(AttributeData data, string name, T fallback)
        {
            foreach (var pair in data.NamedArguments)
            {
                if (pair.Key == name && pair.Value.Value is T value)
                {
                    return value;
                }
            }

            return fallback;
        }
    }
}
