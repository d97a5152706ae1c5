namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// The attribute on every generated method that runs a loop over activations: it is compiled fully optimized on its first
    /// call, so a fresh process does not spend its first seconds in tier-0 or OSR code (docs/performance.md, cold start).
    /// </summary>
    internal static class HotPath
    {
        public const string Attribute =
            "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";
    }
}
