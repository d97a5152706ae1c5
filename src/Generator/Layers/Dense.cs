using System;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary><c>[Dense(units)]</c>: PyTorch's <c>nn.Linear</c>, weight [units, in], optional bias, fused activation (Softmax included).</summary>
    internal sealed class DenseKind : LayerKind<DenseLayer>
    {
        public static readonly DenseKind Instance = new();

        private static readonly DenseAttribute Defaults = new(0);

        private DenseKind()
            : base(nameof(DenseAttribute), "dense")
        {
        }

        public override LayerEmitter Emitter => DenseEmitter.Instance;

        public override LayerModel Read(AttributeArguments a) => new DenseLayer(
            a.Name, a.Inputs, a.Expect,
            a.Constructor(nameof(DenseAttribute.Units), 0),
            a.Named(nameof(DenseAttribute.Bias), Defaults.Bias),
            (Activation)a.Named(nameof(DenseAttribute.Activation), (int)Defaults.Activation));

        protected override LayerShape? InferShape(DenseLayer dense, ShapeContext c)
        {
            var input = c.Input;
            if (!c.Positive(dense, nameof(DenseAttribute.Units), dense.Units, 1) || !c.Fusable(dense, dense.Activation, softmax: true))
            {
                return null;
            }

            if (!input.IsFlat)
            {
                c.Report(DiagnosticCatalog.DenseNeedsFlatten, null, dense.Name, input.ToString(), input.Length);
                return null;
            }

            // Every output reads every feature, so its receptive field is the whole network input.
            return c.Passthrough(Shape.Flat(dense.Units)) with
            {
                Parameters = ((long)dense.Units * input.Channels) + (dense.Bias ? dense.Units : 0),
                MultiplyAdds = (long)dense.Units * input.Channels,
                ReceptiveFieldHeight = Math.Max(c.Source.ReceptiveFieldHeight, c.Network.Input.Height),
                ReceptiveFieldWidth = Math.Max(c.Source.ReceptiveFieldWidth, c.Network.Input.Width),
            };
        }

        protected override void Store(DenseLayer dense, LayerMembers members)
        {
            StoreWeights(members, dense.Bias);
            if (dense.Activation == Activation.Softmax)
            {
                members.Fields.Add("Logits");
            }
        }

        protected override void Allocate(DenseLayer dense, LayerPlan lp, NetworkPlan plan) =>
            plan.AddWeights(lp, new[] { dense.Units, lp.Shape.In.Channels }, dense.Bias, lp.Shape.In.Channels);

        protected override void Options(DenseLayer dense, LayerShape shape, LayerOptions options)
        {
            options.Add(OptionText.Int(shape.In.Channels) + "→" + OptionText.Int(dense.Units), null);
            OptionText.BiasAndActivation(options, dense.Bias, dense.Activation);
        }

        protected override RuntimeLayer RuntimeOf(DenseLayer dense, LayerShape shape) => new(
            "DenseDescription",
            (nameof(dense.Units), Literals.Int(dense.Units)),
            (nameof(dense.Bias), RuntimeText.Bool(dense.Bias)),
            (nameof(dense.Activation), RuntimeText.Activation(dense.Activation)));
    }
}
