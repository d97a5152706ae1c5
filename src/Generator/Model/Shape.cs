namespace ConvGen.Generator.Model
{
    /// <summary>A tensor shape of one sample: C×H×W, or a flat vector of <see cref="Channels"/> features when <see cref="IsFlat"/>.</summary>
    internal sealed record Shape(int Channels, int Height, int Width, bool IsFlat)
    {
        public static Shape Spatial(int channels, int height, int width) => new(channels, height, width, false);

        public static Shape Flat(int features) => new(features, 1, 1, true);

        public long Length => (long)Channels * Height * Width;

        /// <summary>"20×28×28" for spatial shapes, "500" for flat ones: the one notation of comments, the Summary table and diagnostics.</summary>
        public override string ToString() => IsFlat
            ? Channels.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}×{1}×{2}", Channels, Height, Width);
    }
}
