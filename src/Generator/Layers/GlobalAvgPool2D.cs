using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary><c>[GlobalAvgPool2D]</c>: each channel averaged over its plane, [C,H,W] → [C,1,1] (PyTorch's <c>nn.AdaptiveAvgPool2d(1)</c>).</summary>
    internal sealed class GlobalAvgPool2DKind : LayerKind<GlobalAvgPool2DLayer>
    {
        public static readonly GlobalAvgPool2DKind Instance = new();

        private GlobalAvgPool2DKind()
            : base(nameof(GlobalAvgPool2DAttribute), "gap")
        {
        }

        public override LayerEmitter Emitter => PoolEmitter.Instance;

        public override LayerModel Read(AttributeArguments a) => new GlobalAvgPool2DLayer(a.Name, a.Inputs, a.Expect);

        protected override LayerShape? InferShape(GlobalAvgPool2DLayer layer, ShapeContext c)
        {
            if (!c.RequireSpatial(layer))
            {
                return null;
            }

            var source = c.Source;
            var input = c.Input;
            return c.Passthrough(Shape.Spatial(input.Channels, 1, 1)) with
            {
                ReceptiveFieldHeight = ShapeInference.Saturate(source.ReceptiveFieldHeight + ((input.Height - 1.0) * source.JumpHeight)),
                ReceptiveFieldWidth = ShapeInference.Saturate(source.ReceptiveFieldWidth + ((input.Width - 1.0) * source.JumpWidth)),
            };
        }

        protected override RuntimeLayer RuntimeOf(GlobalAvgPool2DLayer layer, LayerShape shape) => new("GlobalAvgPoolDescription");
    }
}
