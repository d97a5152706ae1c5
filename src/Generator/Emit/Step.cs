namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// One unit of work the generated dispatcher hands to the worker pool: a generated method taking the worker index.
    /// <paramref name="Swaps"/>: a backward step that wrote ∂L/∂input into <c>_dx</c>, after which the buffers swap.
    /// </summary>
    internal sealed record Step(string Method, string Comment, bool Swaps = false);
}
