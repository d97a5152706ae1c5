using System;
using System.Linq;
using System.Threading;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Model;
using ConvGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generator
{
    /// <summary>
    /// The pipeline: classes marked <c>[Input]</c> → <see cref="NetworkParser"/> (model + diagnostics as data) →
    /// <see cref="NetworkEmitter"/> for source (or <see cref="ErrorSurfaceEmitter"/> for a network with errors), and a
    /// separate output for diagnostics, so a diagnostic change never re-emits source.
    /// The generator never throws: an unexpected exception while parsing or emitting one network becomes CG0040 on
    /// that class, and every other network still generates.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetworkGenerator : IIncrementalGenerator
    {
        public const string ParseStep = "Parse";
        public const string ModelStep = "Model";
        public const string EmitStep = "Emit";
        public const string DiagnosticsStep = "Diagnostics";
        public const string MissingInputStep = "MissingInput";
        public const string SurfaceStep = "Surface";

        private readonly Func<GeneratorAttributeSyntaxContext, CancellationToken, ParseResult> _parse;
        private readonly Func<NetworkModel, string> _emit;

        public NetworkGenerator()
            : this(NetworkParser.Parse, NetworkEmitter.Emit)
        {
        }

        /// <summary>The pipeline around another parser or emitter: lets tests check that a failure stays with its network.</summary>
        internal NetworkGenerator(Func<GeneratorAttributeSyntaxContext, CancellationToken, ParseResult> parse, Func<NetworkModel, string> emit)
        {
            _parse = parse;
            _emit = emit;
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    NetworkParser.InputAttributeName,
                    static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                    (context, cancellationToken) => Parse(context, cancellationToken))
                .WithTrackingName(ParseStep);

            var models = parsed
                .Select(static (result, _) => result.Model)
                .Where(static model => model is not null)
                .WithTrackingName(ModelStep);

            var surfaces = parsed
                .Select(static (result, _) => result.Surface)
                .Where(static surface => surface is not null)
                .WithTrackingName(SurfaceStep);

            var generated = models
                .Select((model, _) => GeneratedNetwork.Create(model!, _emit))
                .WithTrackingName(EmitStep);

            // Every network that gets a file (its code, or its error surface), for hint names unique ignoring case.
            var fullNames = parsed
                .Select(static (result, _) => result.Model?.FullName ?? result.Surface?.FullName)
                .Where(static name => name is not null)
                .Collect()
                .Select(static (names, _) => new EquatableArray<string>(names.Select(static name => name!)));

            var failures = generated
                .Where(static network => network.Failure is not null)
                .Collect()
                .Select(static (failed, _) => new EquatableArray<GeneratedNetwork>(failed));

            // Diagnostics are reported against the compilation's own syntax trees (see LocationInfo.ToLocation), so
            // #pragma warning and .editorconfig severities apply to them; reporting is cheap, so re-running it for
            // every compilation costs little, while the model and the source above stay cached.
            var diagnostics = parsed
                .Select(static (result, _) => result.Diagnostics)
                .WithTrackingName(DiagnosticsStep)
                .Combine(context.CompilationProvider);

            context.RegisterSourceOutput(generated.Combine(fullNames), static (spc, pair) =>
            {
                if (pair.Left.Source is not null)
                {
                    spc.AddSource(HintName.For(pair.Left.FullName, pair.Right), pair.Left.Source);
                }
            });

            context.RegisterSourceOutput(surfaces.Combine(fullNames), static (spc, pair) =>
                spc.AddSource(HintName.For(pair.Left!.FullName, pair.Right), ErrorSurfaceEmitter.Emit(pair.Left)));

            context.RegisterSourceOutput(diagnostics, static (spc, pair) =>
            {
                var sources = new SourceTrees(pair.Right);
                foreach (var info in pair.Left)
                {
                    spc.ReportDiagnostic(info.ToDiagnostic(sources));
                }
            });

            context.RegisterSourceOutput(parsed.Combine(failures).Combine(context.CompilationProvider), static (spc, pair) =>
            {
                var ((result, failed), compilation) = pair;
                foreach (var network in failed)
                {
                    if (result.Model is not null && network.FullName == result.Model.FullName)
                    {
                        spc.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticCatalog.GeneratorFailure, result.Class?.ToLocation(new SourceTrees(compilation)), result.Model.ClassName, network.Failure));
                    }
                }
            });

            // Classes with layers but no [Input] never reach the pipeline above; one cheap attribute-indexed
            // provider per built-in layer attribute finds them, and MissingInputCheck reports each class once.
            foreach (var attributeName in LayerReader.AttributeMetadataNames)
            {
                var missing = context.SyntaxProvider
                    .ForAttributeWithMetadataName(
                        attributeName,
                        static (node, _) => node is ClassDeclarationSyntax,
                        static (context, cancellationToken) => Guard(context, () => MissingInputCheck.Find(context, cancellationToken)))
                    .Where(static info => info is not null)
                    .WithTrackingName(MissingInputStep)
                    .Combine(context.CompilationProvider);

                context.RegisterSourceOutput(missing, static (spc, pair) => spc.ReportDiagnostic(pair.Left!.ToDiagnostic(new SourceTrees(pair.Right))));
            }
        }

        /// <summary>Parses one class; an exception becomes CG0040 on it. Records where the class is, for emit failures.</summary>
        private ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var location = ClassLocation(context);
            try
            {
                return _parse(context, cancellationToken) with { Class = LocationInfo.From(location) };
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return new ParseResult(null, new EquatableArray<DiagnosticInfo>(new[] { Failure(context, exception) })) { Class = LocationInfo.From(location) };
            }
        }

        private static DiagnosticInfo? Guard(GeneratorAttributeSyntaxContext context, Func<DiagnosticInfo?> check)
        {
            try
            {
                return check();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return Failure(context, exception);
            }
        }

        private static DiagnosticInfo Failure(GeneratorAttributeSyntaxContext context, Exception exception) =>
            NetworkParser.Create(DiagnosticCatalog.GeneratorFailure, ClassLocation(context), context.TargetSymbol.Name, GeneratedNetwork.Describe(exception));

        private static Location ClassLocation(GeneratorAttributeSyntaxContext context) =>
            context.TargetNode is BaseTypeDeclarationSyntax type ? type.Identifier.GetLocation() : context.TargetNode.GetLocation();
    }
}
