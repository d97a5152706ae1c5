namespace ConvGen.Samples.Digits
{
    /// <summary>Moves trained weights between networks that share layer names (a network and a truncated copy of it).</summary>
    public static class NetworkWeights
    {
        /// <summary>Copies every parameter and buffer of <paramref name="target"/> from the equally named one of <paramref name="source"/>.</summary>
        public static void CopyInto(INetwork source, INetwork target)
        {
            foreach (var parameter in target.Parameters)
            {
                parameter.Write(source.Parameters[parameter.Name].ReadOnlyValues);
            }

            foreach (var buffer in target.Buffers)
            {
                buffer.Write(source.Buffers[buffer.Name].ReadOnlyValues);
            }
        }
    }
}
