using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary><c>[Flatten]</c>: [C,H,W] read as C·H·W features in C,H,W order; the same memory, no code of its own but a view.</summary>
    internal sealed class FlattenKind : LayerKind<FlattenLayer>
    {
        public static readonly FlattenKind Instance = new();

        private FlattenKind()
            : base(nameof(FlattenAttribute), "flatten")
        {
        }

        public override LayerEmitter Emitter => FlattenEmitter.Instance;

        public override LayerModel Read(AttributeArguments a) => new FlattenLayer(a.Name, a.Inputs, a.Expect);

        protected override LayerShape? InferShape(FlattenLayer layer, ShapeContext c) => c.Passthrough(Shape.Flat(ShapeInference.ToInt(c.Input.Length)));

        protected override RuntimeLayer RuntimeOf(FlattenLayer layer, LayerShape shape) => new("FlattenDescription");
    }
}
