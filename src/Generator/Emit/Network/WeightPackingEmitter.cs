using System.Linq;
using ConvGen.Generator.Emit.Layers;

namespace ConvGen.Generator.Emit.Network
{
    /// <summary>
    /// <c>IPackedWeights</c>: <c>Load</c> has the direct and Winograd convolutions pack (or transform) the loaded weights, and
    /// the GEMM convolutions that multiply by packed weights pack theirs, at once instead of on the first forward call, so
    /// that call runs at speed. The constructor does not: a network is
    /// nearly always loaded or trained next, and either changes the weights again (ResNet-18's packing costs as
    /// much as one to two forward passes); a network run with its initial weights packs them on its first call.
    /// </summary>
    internal static class WeightPackingEmitter
    {
        private const string Interface = TypeNames.Networks + ".IPackedWeights";

        /// <summary>Whether any conv keeps packed weights (only then does the class implement the interface).</summary>
        public static bool Applies(NetworkPlan plan) => plan.Layers.Any(lp => ConvEmitter.KernelField(lp) is not null || ConvEmitter.PackedWeights(lp) is not null);

        /// <summary>", global::ConvGen.Networks.IPackedWeights" for the class's base list, or nothing.</summary>
        public static string BaseList(NetworkPlan plan) => Applies(plan) ? ", " + Interface : string.Empty;

        public static void Emit(SourceWriter w, NetworkPlan plan)
        {
            if (!Applies(plan))
            {
                return;
            }

            w.Line("/// <summary>Packs the convolutions' weights for their kernels from the current parameters (Load calls it).</summary>");
            using (w.Block("public void PackWeights()"))
            {
                foreach (var lp in plan.Layers)
                {
                    // A conv kernel's SetWeights, or a packed GEMM matrix's SetValues, from the weights at the current stamp.
                    var call = ConvEmitter.KernelField(lp) is { } field ? field + ".SetWeights"
                        : ConvEmitter.PackedWeights(lp) is { } packed ? packed + ".SetValues"
                        : null;
                    if (call is not null)
                    {
                        w.Line(call + "(_parameters.AsSpan(" + lp.Weight!.Constant + ", " + Literals.Int(lp.Weight.Length) + "), _writes.Stamp);");
                    }
                }
            }

            w.Line();
        }
    }
}
