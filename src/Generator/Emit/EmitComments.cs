using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>The one-line description of a layer that heads its generated code: kind, options, shapes.</summary>
    internal static class EmitComments
    {
        /// <param name="previous">The name of the layer declared before this one, or null for the first.</param>
        public static string Describe(LayerPlan lp, string? previous)
        {
            var options = new List<string>();
            var shape = lp.Shape;
            switch (lp.Layer)
            {
                case Conv2DLayer conv:
                    options.Add(Literals.Int(shape.In.Channels) + "→" + Literals.Int(conv.Filters));
                    options.Add(Literals.Int(conv.KernelHeight) + "×" + Literals.Int(conv.KernelWidth));
                    options.Add(conv.StrideHeight == conv.StrideWidth ? "stride " + Literals.Int(conv.StrideHeight) : "stride " + Literals.Int(conv.StrideHeight) + "×" + Literals.Int(conv.StrideWidth));
                    options.Add(Pad(lp));
                    if (conv.Dilation != 1)
                    {
                        options.Add("dilation " + Literals.Int(conv.Dilation));
                    }

                    if (conv.Groups != 1)
                    {
                        options.Add("groups " + Literals.Int(conv.Groups));
                    }

                    if (!conv.Bias)
                    {
                        options.Add("no bias");
                    }

                    AddActivation(options, conv.Activation);
                    break;
                case Pool2DLayer pool:
                    options.Add(Literals.Int(pool.Size) + "×" + Literals.Int(pool.Size));
                    options.Add("stride " + Literals.Int(pool.Stride));
                    options.Add(Pad(lp));
                    if (pool.CeilMode)
                    {
                        options.Add("ceil mode");
                    }

                    break;
                case DenseLayer dense:
                    options.Add(Literals.Int(shape.In.Channels) + "→" + Literals.Int(dense.Units));
                    if (!dense.Bias)
                    {
                        options.Add("no bias");
                    }

                    AddActivation(options, dense.Activation);
                    break;
                case ActivationLayer { Function: ElementwiseKind.LeakyReLU } leaky:
                    options.Add("slope " + Literals.Float(leaky.Slope).TrimEnd('f'));
                    break;
                case BatchNorm2DLayer norm:
                    options.Add("eps " + Literals.Float(norm.Epsilon).TrimEnd('f'));
                    options.Add("momentum " + Literals.Float(norm.Momentum).TrimEnd('f'));
                    break;
                case DropoutLayer dropout:
                    options.Add("rate " + Literals.Float(dropout.Rate).TrimEnd('f'));
                    break;

            }

            var head = lp.Layer.Name + ": " + lp.Layer.Kind + (options.Count > 0 ? " " + string.Join(", ", options) : string.Empty);
            if (lp.Layer is AddLayer or ConcatLayer)
            {
                var inputs = lp.Layer.Inputs.Select((name, k) => name + " " + lp.InputShapes[k].ToBracketString());
                var then = lp.Layer is AddLayer { Activation: not ActivationKind.None } add ? ", then " + add.Activation : string.Empty;
                return head + " of " + string.Join(", ", inputs) + then + " → " + shape.Out.ToBracketString();
            }

            var reads = lp.Layer.Input == (previous ?? LayerModel.NetworkInput) ? string.Empty : " (reads " + lp.Layer.Input + ")";
            return head + reads + ": " + shape.In.ToBracketString() + " → " + shape.Out.ToBracketString();
        }

        private static string Pad(LayerPlan lp)
        {
            var p = lp.Shape.Padding;
            return p.IsSymmetric
                ? "pad " + Literals.Int(p.Top)
                : "pad top/bottom/left/right " + string.Join("/", Literals.Int(p.Top), Literals.Int(p.Bottom), Literals.Int(p.Left), Literals.Int(p.Right));
        }

        private static void AddActivation(List<string> options, ActivationKind activation)
        {
            if (activation != ActivationKind.None)
            {
                options.Add(activation.ToString());
            }
        }
    }
}
