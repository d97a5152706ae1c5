using ConvGen.Generator.Model;

namespace ConvGen.Generator.Analysis
{
    /// <summary>Something wrong (or suspicious) found by analysis, before it has a source location.</summary>
    /// <param name="DescriptorId">The catalogue id, e.g. <c>CG0011</c>.</param>
    /// <param name="LayerIndex">The layer at fault, or -1 for the network's <c>[Input]</c>.</param>
    /// <param name="Property">The attribute argument at fault (e.g. <c>Stride</c>), or null for the whole attribute.</param>
    /// <param name="Arguments">The message's format arguments.</param>
    internal sealed record Problem(string DescriptorId, int LayerIndex, string? Property, EquatableArray<string> Arguments)
    {
        public static Problem Create(string descriptorId, int layerIndex, string? property, params object[] arguments)
        {
            var texts = new string[arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                texts[i] = System.Convert.ToString(arguments[i], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }

            return new Problem(descriptorId, layerIndex, property, new EquatableArray<string>(texts));
        }
    }
}
