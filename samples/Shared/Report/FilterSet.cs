namespace ConvGen.Samples.Digits
{
    /// <summary>The square kernels of a convolution over one input channel, as the report draws them.</summary>
    /// <param name="Layer">The layer's name ("conv1").</param>
    /// <param name="Weights">Its weight, [<paramref name="Count"/>, 1, <paramref name="Size"/>, <paramref name="Size"/>].</param>
    /// <param name="Count">Kernels (output channels).</param>
    /// <param name="Size">Kernel height and width.</param>
    public sealed record FilterSet(string Layer, float[] Weights, int Count, int Size);
}
