using ConvGen.Generator.Analysis;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary>A standalone element-wise activation (<see cref="ActivationLayer"/>): the runtime's <c>ActivationDescription</c> of its function.</summary>
    internal abstract class ActivationLayerKind : ElementwiseKind<ActivationLayer>
    {
        protected ActivationLayerKind(string attributeClass)
            : base(attributeClass)
        {
        }

        public override LayerModel Read(AttributeArguments a) => new ActivationLayer(a.Name, a.Inputs, a.Expect, Name, 0f);

        protected override RuntimeLayer RuntimeOf(ActivationLayer layer, LayerShape shape) => new("ActivationDescription", Function);

        /// <summary>The description's <c>Function</c> argument: the runtime's <c>ActivationFunction</c> member of this kind's name.</summary>
        protected (string Name, string Value) Function => ("Function", RuntimeText.Namespace + "ActivationFunction." + Name);
    }

    /// <summary>
    /// An activation that is also an <see cref="Activation"/> value a Conv2D, Dense or Add can fuse: the layer runs the same
    /// kernels, <c>VectorOps.Activate</c> forward and <c>VectorOps.ActivationBackward</c> from the stored output.
    /// </summary>
    internal abstract class FusableActivationKind : ActivationLayerKind
    {
        private readonly Activation _activation;

        protected FusableActivationKind(string attributeClass, Activation activation)
            : base(attributeClass)
        {
            _activation = activation;
        }

        /// <summary>The <see cref="Activation"/> value this layer is, which a convolution's epilogue can apply instead.</summary>
        public Activation Activation => _activation;

        public override void EmitForward(Emit.SourceWriter w, Emit.LayerPlan lp) =>
            w.Line(VectorOps + "Activate(x, y, " + RuntimeText.Activation(_activation) + ");");

        public override void EmitBackward(Emit.SourceWriter w, Emit.LayerPlan lp) =>
            w.Line(VectorOps + "ActivationBackward(dy, " + lp.Output.Sample() + ", " + RuntimeText.Activation(_activation) + ");");
    }
}
