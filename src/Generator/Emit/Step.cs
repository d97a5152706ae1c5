namespace ConvGen.Generator.Emit
{
    /// <summary>One unit of work the generated dispatcher hands to the worker pool: a generated method taking the worker index.</summary>
    internal sealed record Step(string Method, string Comment);
}
