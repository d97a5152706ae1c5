using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary>
    /// <c>[MaxPool2D(size)]</c> and <c>[AvgPool2D(size)]</c>: PyTorch's <c>nn.MaxPool2d</c> and <c>nn.AvgPool2d</c>
    /// (padding counted in the average) over a square window; one kind per reduction, sharing their options.
    /// </summary>
    internal sealed class Pool2DKind : LayerKind<Pool2DLayer>
    {
        public static readonly Pool2DKind Max = new(PoolKind.Max, nameof(MaxPool2DAttribute), "maxpool");

        public static readonly Pool2DKind Average = new(PoolKind.Average, nameof(AvgPool2DAttribute), "avgpool");

        private readonly PoolKind _pool;

        private Pool2DKind(PoolKind pool, string attributeClass, string defaultStem)
            : base(attributeClass, defaultStem)
        {
            _pool = pool;
        }

        public override LayerEmitter Emitter => PoolEmitter.Instance;

        public override LayerModel Read(AttributeArguments a)
        {
            var size = a.Constructor(nameof(Pool2DAttribute.Size), 0);
            return new Pool2DLayer(
                a.Name, a.Inputs, a.Expect, _pool, size,
                a.Named(nameof(Pool2DAttribute.Stride), size),
                a.Named(nameof(Pool2DAttribute.Padding), 0),
                a.Named(nameof(Pool2DAttribute.CeilMode), false));
        }

        protected override LayerShape? InferShape(Pool2DLayer pool, ShapeContext c)
        {
            var input = c.Input;
            if (!c.RequireSpatial(pool)
                || !c.Positive(pool, nameof(Pool2DAttribute.Size), pool.Size, 1)
                || !c.Positive(pool, nameof(Pool2DAttribute.Stride), pool.Stride, 1)
                || !c.Positive(pool, nameof(Pool2DAttribute.Padding), pool.Padding, 0))
            {
                return null;
            }

            if (2L * pool.Padding > pool.Size)
            {
                c.Report(DiagnosticCatalog.PoolPaddingTooLarge, nameof(Pool2DAttribute.Padding), pool.Name, pool.Kind, pool.Padding, pool.Size);
                return null;
            }

            var paddedH = input.Height + (2L * pool.Padding);
            var paddedW = input.Width + (2L * pool.Padding);
            if (pool.Size > paddedH || pool.Size > paddedW)
            {
                c.Report(DiagnosticCatalog.PoolWindowTooLarge, null, pool.Name, pool.Kind, pool.Size, input.ToString(), paddedH, paddedW);
                return null;
            }

            var (outH, unreadH) = ShapeInference.WindowAxis(input.Height, pool.Padding, pool.Padding, pool.Size, pool.Stride, pool.CeilMode);
            var (outW, unreadW) = ShapeInference.WindowAxis(input.Width, pool.Padding, pool.Padding, pool.Size, pool.Stride, pool.CeilMode);
            if (outH <= 0 || outW <= 0)
            {
                c.Report(DiagnosticCatalog.OutputSizeNotPositive, null, pool.Name, pool.Kind, input.ToString(), outH, outW);
                return null;
            }

            c.WarnUnread(pool, nameof(Pool2DAttribute.Stride), pool.Stride, paddedH, pool.Padding, pool.Size, unreadH, "row");
            c.WarnUnread(pool, nameof(Pool2DAttribute.Stride), pool.Stride, paddedW, pool.Padding, pool.Size, unreadW, "column");

            var source = c.Source;
            return new LayerShape(
                input,
                Shape.Spatial(input.Channels, ShapeInference.ToInt(outH), ShapeInference.ToInt(outW)),
                new Padding(pool.Padding, pool.Padding, pool.Padding, pool.Padding),
                0,
                0,
                ShapeInference.Saturate(source.ReceptiveFieldHeight + ((pool.Size - 1.0) * source.JumpHeight)),
                ShapeInference.Saturate(source.ReceptiveFieldWidth + ((pool.Size - 1.0) * source.JumpWidth)),
                ShapeInference.Saturate((double)source.JumpHeight * pool.Stride),
                ShapeInference.Saturate((double)source.JumpWidth * pool.Stride));
        }

        /// <summary>Its padded input must be indexable.</summary>
        public override void CheckSizes(LayerModel layer, SizeLimits.LayerLimits limits) => limits.PaddedFits(nameof(Pool2DAttribute.Padding));

        protected override void Options(Pool2DLayer pool, LayerShape shape, LayerOptions options)
        {
            options.Add(OptionText.Pair(pool.Size, pool.Size));
            OptionText.Stride(options, pool.Stride, pool.Stride);
            options.Add(OptionText.Pad(shape.Padding), pool.Padding == 0 ? null : "p" + OptionText.Int(pool.Padding));
            if (pool.CeilMode)
            {
                options.Add("ceil mode", "ceil");
            }
        }

        protected override RuntimeLayer RuntimeOf(Pool2DLayer pool, LayerShape shape) => new(
            "PoolDescription",
            ("Function", RuntimeText.Namespace + "PoolFunction." + pool.Pool),
            (nameof(pool.Size), Literals.Int(pool.Size)),
            (nameof(pool.Stride), Literals.Int(pool.Stride)),
            (nameof(pool.Padding), Literals.Int(pool.Padding)),
            (nameof(pool.CeilMode), RuntimeText.Bool(pool.CeilMode)));
    }
}
