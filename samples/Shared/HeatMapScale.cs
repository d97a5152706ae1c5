namespace ConvGen.Samples
{
    /// <summary>How <see cref="HeatMapSvg"/> turns values into colours.</summary>
    public enum HeatMapScale
    {
        /// <summary>Blue for negative, white for zero, red for positive, symmetric about zero (for weights).</summary>
        Diverging,

        /// <summary>White for the smallest value through to near-black for the largest (for images and activations).</summary>
        Sequential,
    }
}
