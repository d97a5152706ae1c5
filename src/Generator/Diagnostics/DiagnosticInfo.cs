using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generator.Diagnostics
{
    /// <summary>Where a diagnostic goes, as plain values (a <see cref="Location"/> would pin the compilation in the cache).</summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo? From(Location? location) =>
            location is null || location.SourceTree is null
                ? null
                : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

        /// <summary>
        /// The location in <paramref name="sources"/>' syntax tree for this file, so the compiler applies that tree's
        /// <c>#pragma warning</c> directives and .editorconfig severities to it (an external-file location, which
        /// <c>Location.Create(path, …)</c> makes, escapes both: dotnet/roslyn#68291). Falls back to the external location
        /// only if the tree is gone.
        /// </summary>
        public Location ToLocation(SourceTrees sources) =>
            sources.Find(FilePath) is { } tree && Span.End <= tree.Length
                ? Location.Create(tree, Span)
                : Location.Create(FilePath, Span, LineSpan);
    }

    /// <summary>A diagnostic as data: catalogue id, location and message arguments. Turned into a <see cref="Diagnostic"/> only when reported.</summary>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public Diagnostic ToDiagnostic(SourceTrees sources) =>
            Diagnostic.Create(DiagnosticCatalog.Get(Id), Location?.ToLocation(sources), FixProperties.For(Id, Arguments), MessageArguments());

        /// <summary>The message as the user reads it, e.g. for an exception that stands in for code that could not be generated.</summary>
        public string Message() => string.Format(System.Globalization.CultureInfo.InvariantCulture, DiagnosticCatalog.Get(Id).MessageFormat.ToString(), MessageArguments());

        private object[] MessageArguments()
        {
            var arguments = new object[Arguments.Count];
            for (var i = 0; i < arguments.Length; i++)
            {
                arguments[i] = Arguments[i];
            }

            return arguments;
        }
    }
}
