using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Parsing
{
    /// <summary>
    /// What parsing one network class yields: the model (null when it has errors), its diagnostics, and when it has
    /// errors, the public surface to generate in its place (null when even that is impossible).
    /// </summary>
    internal sealed record ParseResult(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, NetworkSurface? Surface = null)
    {
        /// <summary>Nothing to generate and nothing to add to what the compiler reports.</summary>
        public static readonly ParseResult Empty = new(null, EquatableArray<DiagnosticInfo>.Empty);

        /// <summary>The class's name token, where a failure to generate its code is reported (set by the generator).</summary>
        public LocationInfo? Class { get; init; }
    }
}
