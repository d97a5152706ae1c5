using ConvGen.Generator.Emit;
using ConvGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator
{
    /// <summary>
    /// The pipeline: classes marked <c>[Input]</c> → <see cref="NetworkParser"/> (model + diagnostics as data) →
    /// <see cref="NetworkEmitter"/> for source, and a separate output for diagnostics, so a diagnostic change never re-emits source.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetworkGenerator : IIncrementalGenerator
    {
        public const string ParseStep = "Parse";
        public const string ModelStep = "Model";
        public const string DiagnosticsStep = "Diagnostics";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    NetworkParser.InputAttributeName,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                    NetworkParser.Parse)
                .WithTrackingName(ParseStep);

            var models = parsed
                .Select(static (result, _) => result.Model)
                .Where(static model => model is not null)
                .WithTrackingName(ModelStep);

            var diagnostics = parsed
                .Select(static (result, _) => result.Diagnostics)
                .WithTrackingName(DiagnosticsStep);

            context.RegisterSourceOutput(models, static (spc, model) =>
                spc.AddSource(model!.FullName + ".g.cs", NetworkEmitter.Emit(model)));

            context.RegisterSourceOutput(diagnostics, static (spc, list) =>
            {
                foreach (var info in list)
                {
                    spc.ReportDiagnostic(info.ToDiagnostic());
                }
            });
        }
    }
}
