using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator
{
    /// <summary>
    /// The pipeline: classes marked <c>[Input]</c> → <see cref="NetworkParser"/> (model + diagnostics as data) →
    /// <see cref="NetworkEmitter"/> for source (or <see cref="ErrorSurfaceEmitter"/> for a network with errors), and a
    /// separate output for diagnostics, so a diagnostic change never re-emits source.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetworkGenerator : IIncrementalGenerator
    {
        public const string ParseStep = "Parse";
        public const string ModelStep = "Model";
        public const string DiagnosticsStep = "Diagnostics";
        public const string MissingInputStep = "MissingInput";
        public const string SurfaceStep = "Surface";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    NetworkParser.InputAttributeName,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.RecordDeclarationSyntax,
                    static (context, cancellationToken) => NetworkParser.Parse(context, cancellationToken))
                .WithTrackingName(ParseStep);

            var models = parsed
                .Select(static (result, _) => result.Model)
                .Where(static model => model is not null)
                .WithTrackingName(ModelStep);

            var surfaces = parsed
                .Select(static (result, _) => result.Surface)
                .Where(static surface => surface is not null)
                .WithTrackingName(SurfaceStep);

            // Diagnostics are reported against the compilation's own syntax trees (see LocationInfo.ToLocation), so
            // #pragma warning and .editorconfig severities apply to them; reporting is cheap, so re-running it for
            // every compilation costs little, while the model and the source above stay cached.
            var diagnostics = parsed
                .Select(static (result, _) => result.Diagnostics)
                .WithTrackingName(DiagnosticsStep)
                .Combine(context.CompilationProvider);

            context.RegisterSourceOutput(models, static (spc, model) =>
                spc.AddSource(model!.FullName + ".g.cs", NetworkEmitter.Emit(model)));

            context.RegisterSourceOutput(surfaces, static (spc, surface) =>
                spc.AddSource(surface!.FullName + ".g.cs", ErrorSurfaceEmitter.Emit(surface)));

            context.RegisterSourceOutput(diagnostics, static (spc, pair) =>
            {
                var sources = new SourceTrees(pair.Right);
                foreach (var info in pair.Left)
                {
                    spc.ReportDiagnostic(info.ToDiagnostic(sources));
                }
            });

            // Classes with layers but no [Input] never reach the pipeline above; one cheap attribute-indexed
            // provider per built-in layer attribute finds them, and MissingInputCheck reports each class once.
            foreach (var attributeName in LayerReader.AttributeMetadataNames)
            {
                var missing = context.SyntaxProvider
                    .ForAttributeWithMetadataName(
                        attributeName,
                        static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                        static (context, cancellationToken) => MissingInputCheck.Find(context, cancellationToken))
                    .Where(static info => info is not null)
                    .WithTrackingName(MissingInputStep)
                    .Combine(context.CompilationProvider);

                context.RegisterSourceOutput(missing, static (spc, pair) => spc.ReportDiagnostic(pair.Left!.ToDiagnostic(new SourceTrees(pair.Right))));
            }
        }
    }
}
