namespace ConvGen.Generator.Emit.Network
{
    /// <summary>The fully qualified type names the network's generated members spell out.</summary>
    internal static class TypeNames
    {
        public const string Span = "global::System.Span<float>";

        public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";

        /// <summary>The runtime namespace of <c>NetworkRunner</c>, <c>INetworkSchedule</c> and <c>WorkerScratch</c>.</summary>
        public const string Networks = "global::ConvGen.Networks";
    }
}
