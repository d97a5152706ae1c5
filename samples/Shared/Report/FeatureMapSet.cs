namespace ConvGen.Samples.Digits
{
    /// <summary>One layer's output for one image, as the report draws it.</summary>
    /// <param name="Layer">The layer's name ("conv1", "layer2").</param>
    /// <param name="Values">The <paramref name="Count"/> maps of <paramref name="Height"/>×<paramref name="Width"/>, one after another.</param>
    /// <param name="Count">Maps (channels).</param>
    /// <param name="Height">Rows per map.</param>
    /// <param name="Width">Columns per map.</param>
    public sealed record FeatureMapSet(string Layer, float[] Values, int Count, int Height, int Width);
}
