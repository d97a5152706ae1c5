using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary>
    /// Everything the generator knows about one layer kind, in one place: the attribute it reads, its default name stem,
    /// its shape rule, the storage and tensors it needs, the emitter that writes its code, and how it is described
    /// (comments, the Summary table, the runtime <c>LayerDescription</c>). <see cref="LayerKinds"/> lists them all.
    /// </summary>
    internal abstract class LayerKind
    {
        private const string AttributeSuffix = "Attribute";

        /// <param name="attributeClass">The attribute's class name, by <c>nameof</c> (<c>Conv2DAttribute</c>).</param>
        /// <param name="defaultStem">What default names start with (<c>conv</c> for conv1, conv2, ...).</param>
        protected LayerKind(string attributeClass, string defaultStem)
        {
            Name = attributeClass.Substring(0, attributeClass.Length - AttributeSuffix.Length);
            DefaultStem = defaultStem;
        }

        /// <summary>The kind as users write it: the attribute name without "Attribute" (<c>Conv2D</c>).</summary>
        public string Name { get; }

        /// <summary>The stem of default layer names: kind stem + ordinal per stem (<c>conv1</c>, <c>bn2</c>).</summary>
        public virtual string DefaultStem { get; }

        /// <summary>The attribute's metadata name, <c>ConvGen.Conv2DAttribute</c>.</summary>
        public string AttributeMetadataName => "ConvGen." + Name + AttributeSuffix;

        /// <summary>Whether the layer joins several inputs (the open group's branches, or the names its constructor lists).</summary>
        public virtual bool IsMerge => false;

        /// <summary>The emitter that writes this kind's steps and methods.</summary>
        public abstract LayerEmitter Emitter { get; }

        /// <summary>
        /// The attribute property that a per-axis <paramref name="property"/> defaults to (<c>StrideHeight</c> → <c>Stride</c>),
        /// where a diagnostic about it points when only the shared one is written; null when there is none.
        /// </summary>
        public virtual string? SharedProperty(string property) => null;

        /// <summary>The layer an attribute declares, its absent arguments taking the attribute's defaults.</summary>
        public abstract LayerModel Read(AttributeArguments arguments);

        /// <summary>The layer's output shape and counts, or null after reporting what does not fit to <paramref name="context"/>.</summary>
        public abstract LayerShape? Infer(LayerModel layer, ShapeContext context);

        /// <summary>Checks the arrays and windows this layer's code allocates and indexes beyond its output (<see cref="SizeLimits"/>).</summary>
        public virtual void CheckSizes(LayerModel layer, SizeLimits.LayerLimits limits)
        {
        }

        /// <summary>Adds the fields and constants this layer needs beyond its output (reserved before the layout is planned).</summary>
        public virtual void AddStorage(LayerModel layer, LayerMembers members)
        {
        }

        /// <summary>Allocates this layer's parameters and buffers in <paramref name="plan"/>'s flat storage, in PyTorch's order.</summary>
        public virtual void AddTensors(LayerPlan lp, NetworkPlan plan)
        {
        }

        /// <summary>The layer's options, each in a long form (comments) and a compact one (the Summary table): the one describer.</summary>
        public LayerOptions Describe(LayerModel layer, LayerShape shape)
        {
            var options = new LayerOptions();
            AddOptions(layer, shape, options);
            return options;
        }

        protected abstract void AddOptions(LayerModel layer, LayerShape shape, LayerOptions options);

        /// <summary>The runtime <c>LayerDescription</c> record this layer becomes, with its options.</summary>
        public abstract RuntimeLayer Runtime(LayerModel layer, LayerShape shape);
    }

    /// <summary>A <see cref="LayerKind"/> whose layers are <typeparamref name="TLayer"/> records: the typed overrides.</summary>
    internal abstract class LayerKind<TLayer> : LayerKind
        where TLayer : LayerModel
    {
        protected LayerKind(string attributeClass, string defaultStem)
            : base(attributeClass, defaultStem)
        {
        }

        public sealed override LayerShape? Infer(LayerModel layer, ShapeContext context) => InferShape((TLayer)layer, context);

        public sealed override void AddStorage(LayerModel layer, LayerMembers members) => Store((TLayer)layer, members);

        public sealed override void AddTensors(LayerPlan lp, NetworkPlan plan) => Allocate((TLayer)lp.Layer, lp, plan);

        protected sealed override void AddOptions(LayerModel layer, LayerShape shape, LayerOptions options) => Options((TLayer)layer, shape, options);

        public sealed override RuntimeLayer Runtime(LayerModel layer, LayerShape shape) => RuntimeOf((TLayer)layer, shape);

        protected abstract LayerShape? InferShape(TLayer layer, ShapeContext context);

        protected virtual void Store(TLayer layer, LayerMembers members)
        {
        }

        protected virtual void Allocate(TLayer layer, LayerPlan lp, NetworkPlan plan)
        {
        }

        protected virtual void Options(TLayer layer, LayerShape shape, LayerOptions options)
        {
        }

        protected abstract RuntimeLayer RuntimeOf(TLayer layer, LayerShape shape);

        /// <summary>The constants of a weight and, when <paramref name="bias"/>, a bias (see <see cref="NetworkPlan.AddWeights"/>).</summary>
        protected static void StoreWeights(LayerMembers members, bool bias)
        {
            members.Others.Add("Weight");
            if (bias)
            {
                members.Others.Add("Bias");
            }
        }
    }
}
