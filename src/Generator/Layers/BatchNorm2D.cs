using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary><c>[BatchNorm2D]</c>: PyTorch's <c>nn.BatchNorm2d</c>, per-channel weight and bias, running mean and variance buffers.</summary>
    internal sealed class BatchNorm2DKind : LayerKind<BatchNorm2DLayer>
    {
        public static readonly BatchNorm2DKind Instance = new();

        private static readonly BatchNorm2DAttribute Defaults = new();

        private BatchNorm2DKind()
            : base(nameof(BatchNorm2DAttribute), "bn")
        {
        }

        public override LayerEmitter Emitter => BatchNormEmitter.Instance;

        public override LayerModel Read(AttributeArguments a) => new BatchNorm2DLayer(
            a.Name, a.Inputs, a.Expect,
            a.Named(nameof(BatchNorm2DAttribute.Epsilon), Defaults.Epsilon),
            a.Named(nameof(BatchNorm2DAttribute.Momentum), Defaults.Momentum));

        protected override LayerShape? InferShape(BatchNorm2DLayer norm, ShapeContext c) =>
            c.RequireSpatial(norm)
            && c.Number(norm, nameof(BatchNorm2DAttribute.Epsilon), norm.Epsilon, norm.Epsilon > 0f && !float.IsInfinity(norm.Epsilon), "it must be a positive finite number")
            && c.Number(norm, nameof(BatchNorm2DAttribute.Momentum), norm.Momentum, norm.Momentum >= 0f && norm.Momentum <= 1f, "it must be in [0, 1]")
                ? c.Passthrough(c.Input) with { Parameters = 2L * c.Input.Channels }
                : null;

        protected override void Store(BatchNorm2DLayer norm, LayerMembers members)
        {
            members.Others.AddRange(new[] { "Weight", "Bias", "RunningMean", "RunningVar" });
            members.Fields.AddRange(new[] { "Mean", "InverseStd" });
        }

        protected override void Allocate(BatchNorm2DLayer norm, LayerPlan lp, NetworkPlan plan)
        {
            var channels = lp.Shape.In.Channels;
            lp.Weight = plan.AddParameter(lp, "weight", new[] { channels }, TensorInit.Ones, 0);
            lp.Bias = plan.AddParameter(lp, "bias", new[] { channels }, TensorInit.Zeros, 0);
            lp.RunningMean = plan.AddBuffer(lp, "running_mean", channels, TensorInit.Zeros);
            lp.RunningVariance = plan.AddBuffer(lp, "running_var", channels, TensorInit.Ones);
        }

        protected override void Options(BatchNorm2DLayer norm, LayerShape shape, LayerOptions options)
        {
            options.Add("eps " + OptionText.Float(norm.Epsilon), null);
            options.Add("momentum " + OptionText.Float(norm.Momentum), null);
        }

        protected override RuntimeLayer RuntimeOf(BatchNorm2DLayer norm, LayerShape shape) => new(
            "BatchNormDescription",
            (nameof(norm.Epsilon), Literals.Float(norm.Epsilon)),
            (nameof(norm.Momentum), Literals.Float(norm.Momentum)));
    }
}
