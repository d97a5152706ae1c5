using System;
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
    /// <see cref="NetworkEmitter"/> for source, and a separate output for diagnostics, so a diagnostic change never re-emits source.
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

            var generated = models
                .Select((model, _) => GeneratedNetwork.Create(model!, _emit))
                .WithTrackingName(EmitStep);

            var fullNames = models
                .Select(static (model, _) => model!.FullName)
                .Collect()
                .Select(static (names, _) => new EquatableArray<string>(names));

            var failures = generated
                .Where(static network => network.Failure is not null)
                .Collect()
                .Select(static (failed, _) => new EquatableArray<GeneratedNetwork>(failed));

            var diagnostics = parsed
                .Select(static (result, _) => result.Diagnostics)
                .WithTrackingName(DiagnosticsStep);

            context.RegisterSourceOutput(generated.Combine(fullNames), static (spc, pair) =>
            {
                if (pair.Left.Source is not null)
                {
                    spc.AddSource(HintName.For(pair.Left.FullName, pair.Right), pair.Left.Source);
                }
            });

            context.RegisterSourceOutput(diagnostics, static (spc, list) =>
            {
                foreach (var info in list)
                {
                    spc.ReportDiagnostic(info.ToDiagnostic());
                }
            });

            context.RegisterSourceOutput(parsed.Combine(failures), static (spc, pair) =>
            {
                var (result, failed) = pair;
                foreach (var network in failed)
                {
                    if (result.Model is not null && network.FullName == result.Model.FullName)
                    {
                        spc.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticCatalog.GeneratorFailure, result.Class?.ToLocation(), result.Model.ClassName, network.Failure));
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
                    .WithTrackingName(MissingInputStep);

                context.RegisterSourceOutput(missing, static (spc, info) => spc.ReportDiagnostic(info!.ToDiagnostic()));
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
