using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary><c>[Concat]</c>: its inputs stacked along channels (spatial, of equal height and width) or features (flat), in order.</summary>
    internal sealed class ConcatKind : LayerKind<ConcatLayer>
    {
        public static readonly ConcatKind Instance = new();

        private ConcatKind()
            : base(nameof(ConcatAttribute), "concat")
        {
        }

        public override bool IsMerge => true;

        public override LayerEmitter Emitter => ConcatEmitter.Instance;

        public override LayerModel Read(AttributeArguments a) => new ConcatLayer(a.Name, a.Inputs, a.Expect);

        protected override LayerShape? InferShape(ConcatLayer concat, ShapeContext c)
        {
            var first = c.Input;
            string? mismatch = null;
            long channels = 0;
            foreach (var source in c.Sources)
            {
                if (source.Out.IsFlat != first.IsFlat)
                {
                    mismatch = "it cannot mix spatial and flat values; end the spatial branches with [Flatten] to join features";
                    break;
                }

                if (source.Out.Height != first.Height || source.Out.Width != first.Width)
                {
                    mismatch ??= "spatial values are stacked along channels, so their heights and widths must be equal";
                }

                channels = checked(channels + source.Out.Channels);
            }

            if (mismatch is not null)
            {
                c.Report(DiagnosticCatalog.ConcatShapesDiffer, null, concat.Name, c.InputList(concat), mismatch);
                return null;
            }

            var count = ShapeInference.ToInt(channels);
            return c.Merge(first.IsFlat ? Shape.Flat(count) : Shape.Spatial(count, first.Height, first.Width));
        }

        protected override RuntimeLayer RuntimeOf(ConcatLayer concat, LayerShape shape) => new("ConcatDescription");
    }
}
