using System.Collections.Generic;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary><c>[Add]</c>: the element-wise sum of inputs of one shape (the open group's branches, or named layers), then its activation.</summary>
    internal sealed class AddKind : LayerKind<AddLayer>
    {
        public static readonly AddKind Instance = new();

        private AddKind()
            : base(nameof(AddAttribute), "add")
        {
        }

        public override bool IsMerge => true;

        public override LayerEmitter Emitter => AddEmitter.Instance;

        public override LayerModel Read(AttributeArguments a) =>
            new AddLayer(a.Name, a.Inputs, a.Expect, (Activation)a.Named(nameof(AddAttribute.Activation), (int)Activation.None));

        protected override LayerShape? InferShape(AddLayer add, ShapeContext c)
        {
            if (!c.Fusable(add, add.Activation, softmax: false))
            {
                return null;
            }

            var shape = c.Input;
            foreach (var source in c.Sources)
            {
                if (source.Out != shape)
                {
                    c.Report(DiagnosticCatalog.AddShapesDiffer, null, add.Name, c.InputList(add), ProjectionHint(add, c.Sources));
                    return null;
                }
            }

            // One addition per element for each input beyond the first.
            return c.Merge(shape) with { MultiplyAdds = checked(shape.Length * (c.Sources.Count - 1)) };
        }

        protected override void Options(AddLayer add, LayerShape shape, LayerOptions options)
        {
            if (add.Activation != Activation.None)
            {
                options.Add("then " + add.Activation, add.Activation.ToString());
            }
        }

        protected override RuntimeLayer RuntimeOf(AddLayer add, LayerShape shape) =>
            new("AddDescription", (nameof(add.Activation), RuntimeText.Activation(add.Activation)));

        /// <summary>
        /// When every input could reach the shape with the smallest plane (then the most channels) through a strided 1×1
        /// convolution (only channels or stride differ), the projection that does it for each, as ResNet's shortcuts do; else nothing.
        /// </summary>
        private static string ProjectionHint(AddLayer add, IReadOnlyList<LayerShape> sources)
        {
            var target = sources[0].Out;
            foreach (var source in sources)
            {
                var shape = source.Out;
                if (shape.IsFlat)
                {
                    return string.Empty;
                }

                var plane = (long)shape.Height * shape.Width;
                var targetPlane = (long)target.Height * target.Width;
                if (plane < targetPlane || (plane == targetPlane && shape.Channels > target.Channels))
                {
                    target = shape;
                }
            }

            var hints = new List<string>();
            for (var i = 0; i < sources.Count; i++)
            {
                var shape = sources[i].Out;
                if (shape == target)
                {
                    continue;
                }

                // A 1×1 convolution with stride s maps n to (n − 1) / s + 1; the smallest such s for the height must fit the width too.
                var stride = ((shape.Height - 1L) / target.Height) + 1;
                if ((shape.Height - 1L) / stride != target.Height - 1 || (shape.Width - 1L) / stride != target.Width - 1)
                {
                    return string.Empty;
                }

                var projection = "[Conv2D(" + ShapeContext.Literal(target.Channels) + ", 1" + (stride == 1 ? string.Empty : ", Stride = " + ShapeContext.Literal(stride)) + ")]";
                hints.Add("to bring '" + add.Inputs[i] + "' to " + target + ", end its branch with the 1×1 projection " + projection);
            }

            return "; " + string.Join("; ", hints);
        }
    }
}
