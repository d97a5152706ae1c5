namespace ConvGen.Generator.Model
{
    /// <summary>Mirror of <c>ConvGen.PaddingMode</c>.</summary>
    internal enum PaddingKind
    {
        Explicit = 0,
        Valid = 1,
        Same = 2,
    }
}
