namespace ConvGen.Tests.RandomNetworks
{
    /// <summary>A value's shape per sample while a random network is drawn (flat values: C features, H = W = 1).</summary>
    internal readonly record struct Shape(int C, int H, int W);
}
