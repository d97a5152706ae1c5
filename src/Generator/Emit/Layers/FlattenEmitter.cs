using System.Collections.Generic;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>Flatten: C,H,W order is already the memory order, so it shares its input's buffer and emits nothing.</summary>
    internal sealed class FlattenEmitter : LayerEmitter
    {
        public static readonly FlattenEmitter Instance = new();

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training) => System.Array.Empty<Step>();

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits) => System.Array.Empty<Step>();

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
        }
    }
}
