namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// One unit of work the generated dispatcher hands to the worker pool: a generated method taking the worker index, and
    /// with <paramref name="Split"/> also a part of each sample (<see cref="SampleSplit"/>).
    /// </summary>
    internal sealed record Step(string Method, string Comment, SampleSplit? Split = null);
}
