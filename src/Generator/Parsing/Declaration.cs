using System.Collections.Generic;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Parsing
{
    /// <summary>One attribute of a network class as the graph sees it, in source order: a <c>[Branch]</c> marker or a layer.</summary>
    internal abstract record Declaration;

    /// <summary>
    /// A <c>[Branch]</c>: opens a group at the current value when no group is open (or when <paramref name="Nested"/>),
    /// else starts another branch of the innermost open group.
    /// </summary>
    internal sealed record BranchDeclaration(bool Nested) : Declaration;

    /// <summary>A layer attribute as read, before its inputs are resolved.</summary>
    /// <param name="Layer">The layer, its <see cref="LayerModel.Inputs"/> still empty.</param>
    /// <param name="From">The <c>From</c> argument, or null to read the current value.</param>
    /// <param name="Names">A merge's explicit inputs (<c>[Add("a", "b")]</c>); empty to merge the open group.</param>
    internal sealed record LayerDeclaration(LayerModel Layer, string? From, IReadOnlyList<string> Names) : Declaration;
}
