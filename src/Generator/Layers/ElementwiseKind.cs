using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary>What <see cref="ElementwiseEmitter"/> asks a kind for: the body of its per-sample forward and backward loops.</summary>
    internal interface IElementwiseKind
    {
        /// <summary>One sample's forward, from <c>x</c> into <c>y</c> (spans of the sample <c>n</c>).</summary>
        void EmitForward(SourceWriter w, LayerPlan lp);

        /// <summary>One sample's backward, in place: <c>dy</c> (∂L/∂y of sample <c>n</c>) becomes ∂L/∂x.</summary>
        void EmitBackward(SourceWriter w, LayerPlan lp);
    }

    /// <summary>
    /// A layer that maps each sample to one of its shape without parameters (activations, Softmax, Dropout): default name
    /// stem the kind in lower case, shape passed through, code from <see cref="ElementwiseEmitter"/> around its loop bodies.
    /// </summary>
    internal abstract class ElementwiseKind<TLayer> : LayerKind<TLayer>, IElementwiseKind
        where TLayer : LayerModel
    {
        protected ElementwiseKind(string attributeClass)
            : base(attributeClass, attributeClass.Substring(0, attributeClass.Length - nameof(System.Attribute).Length).ToLowerInvariant())
        {
        }

        public sealed override LayerEmitter Emitter => ElementwiseEmitter.Instance;

        /// <summary><c>global::ConvGen.Kernels.VectorOps.</c>: where the element-wise kernels are.</summary>
        protected const string VectorOps = LayerEmitter.Kernels + ".VectorOps.";

        public abstract void EmitForward(SourceWriter w, LayerPlan lp);

        public abstract void EmitBackward(SourceWriter w, LayerPlan lp);

        protected override LayerShape? InferShape(TLayer layer, ShapeContext context) => context.Passthrough(context.Input);
    }
}
