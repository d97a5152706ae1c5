using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Layers
{
    /// <summary><c>[Conv2D(filters, kernelSize)]</c>: PyTorch's <c>nn.Conv2d</c>, weight [filters, in/groups, kh, kw], optional bias, fused activation.</summary>
    internal sealed class Conv2DKind : LayerKind<Conv2DLayer>
    {
        public static readonly Conv2DKind Instance = new();

        /// <summary>The attribute's own defaults (stride 1, dilation 1, one group, a bias).</summary>
        private static readonly Conv2DAttribute Defaults = new(0, 0);

        private Conv2DKind()
            : base(nameof(Conv2DAttribute), "conv")
        {
        }

        public override LayerEmitter Emitter => ConvEmitter.Instance;

        public override string? SharedProperty(string property) => property switch
        {
            nameof(Conv2DAttribute.KernelHeight) or nameof(Conv2DAttribute.KernelWidth) => nameof(Conv2DAttribute.KernelSize),
            nameof(Conv2DAttribute.StrideHeight) or nameof(Conv2DAttribute.StrideWidth) => nameof(Conv2DAttribute.Stride),
            _ => null,
        };

        public override LayerModel Read(AttributeArguments a)
        {
            var kernel = a.Constructor(nameof(Conv2DAttribute.KernelSize), 0);
            var stride = a.Named(nameof(Conv2DAttribute.Stride), Defaults.Stride);
            return new Conv2DLayer(
                a.Name, a.Inputs, a.Expect,
                a.Constructor(nameof(Conv2DAttribute.Filters), 0),
                a.Named(nameof(Conv2DAttribute.KernelHeight), kernel),
                a.Named(nameof(Conv2DAttribute.KernelWidth), kernel),
                a.Named(nameof(Conv2DAttribute.StrideHeight), stride),
                a.Named(nameof(Conv2DAttribute.StrideWidth), stride),
                a.Named(nameof(Conv2DAttribute.Padding), Defaults.Padding),
                (PaddingMode)a.Named(nameof(Conv2DAttribute.PaddingMode), (int)Defaults.PaddingMode),
                a.Named(nameof(Conv2DAttribute.Dilation), Defaults.Dilation),
                a.Named(nameof(Conv2DAttribute.Groups), Defaults.Groups),
                a.Named(nameof(Conv2DAttribute.Bias), Defaults.Bias),
                (Activation)a.Named(nameof(Conv2DAttribute.Activation), (int)Defaults.Activation));
        }

        protected override LayerShape? InferShape(Conv2DLayer conv, ShapeContext c)
        {
            var input = c.Input;
            if (!c.RequireSpatial(conv)
                || !c.Positive(conv, nameof(Conv2DAttribute.Filters), conv.Filters, 1)
                || !c.Positive(conv, nameof(Conv2DAttribute.KernelHeight), conv.KernelHeight, 1)
                || !c.Positive(conv, nameof(Conv2DAttribute.KernelWidth), conv.KernelWidth, 1)
                || !c.Positive(conv, nameof(Conv2DAttribute.StrideHeight), conv.StrideHeight, 1)
                || !c.Positive(conv, nameof(Conv2DAttribute.StrideWidth), conv.StrideWidth, 1)
                || !c.Positive(conv, nameof(Conv2DAttribute.Padding), conv.Padding, 0)
                || !c.Positive(conv, nameof(Conv2DAttribute.Dilation), conv.Dilation, 1)
                || !c.Positive(conv, nameof(Conv2DAttribute.Groups), conv.Groups, 1)
                || !c.Fusable(conv, conv.Activation, softmax: false)
                || !c.Defined(conv, nameof(Conv2DAttribute.PaddingMode), conv.PaddingMode))
            {
                return null;
            }

            if (input.Channels % conv.Groups != 0 || conv.Filters % conv.Groups != 0)
            {
                c.Report(DiagnosticCatalog.GroupsDoNotDivide, nameof(Conv2DAttribute.Groups), conv.Name, conv.Groups, input.Channels, conv.Filters);
                return null;
            }

            if (conv.PaddingMode != PaddingMode.Explicit && conv.Padding != 0)
            {
                c.Report(DiagnosticCatalog.PaddingConflictsWithMode, nameof(Conv2DAttribute.Padding), conv.Name, conv.Padding, conv.PaddingMode);
                return null;
            }

            var extentH = ((long)conv.Dilation * (conv.KernelHeight - 1)) + 1;
            var extentW = ((long)conv.Dilation * (conv.KernelWidth - 1)) + 1;
            Padding padding;
            switch (conv.PaddingMode)
            {
                case PaddingMode.Same:
                    var (top, bottom) = ShapeInference.SamePadding(input.Height, extentH, conv.StrideHeight);
                    var (left, right) = ShapeInference.SamePadding(input.Width, extentW, conv.StrideWidth);
                    padding = new Padding(ShapeInference.ToInt(top), ShapeInference.ToInt(bottom), ShapeInference.ToInt(left), ShapeInference.ToInt(right));
                    break;
                case PaddingMode.Valid:
                    padding = Padding.None;
                    break;
                default:
                    padding = new Padding(conv.Padding, conv.Padding, conv.Padding, conv.Padding);
                    break;
            }

            var paddedH = (long)input.Height + padding.Top + padding.Bottom;
            var paddedW = (long)input.Width + padding.Left + padding.Right;
            if (extentH > paddedH || extentW > paddedW)
            {
                c.Report(
                    DiagnosticCatalog.KernelLargerThanInput, null, conv.Name,
                    conv.KernelHeight, conv.KernelWidth, extentH, extentW, input.ToString(), paddedH, paddedW);
                return null;
            }

            var (outH, unreadH) = ShapeInference.WindowAxis(input.Height, padding.Top, padding.Bottom, extentH, conv.StrideHeight, false);
            var (outW, unreadW) = ShapeInference.WindowAxis(input.Width, padding.Left, padding.Right, extentW, conv.StrideWidth, false);
            c.WarnUnread(conv, nameof(Conv2DAttribute.StrideHeight), conv.StrideHeight, paddedH, padding.Bottom, extentH, unreadH, "row");
            c.WarnUnread(conv, nameof(Conv2DAttribute.StrideWidth), conv.StrideWidth, paddedW, padding.Right, extentW, unreadW, "column");

            var source = c.Source;
            var taps = checked((long)(input.Channels / conv.Groups) * conv.KernelHeight * conv.KernelWidth);
            return new LayerShape(
                input,
                Shape.Spatial(conv.Filters, ShapeInference.ToInt(outH), ShapeInference.ToInt(outW)),
                padding,
                checked((conv.Filters * taps) + (conv.Bias ? conv.Filters : 0)),
                checked(conv.Filters * taps * outH * outW),
                ShapeInference.Saturate(source.ReceptiveFieldHeight + ((extentH - 1.0) * source.JumpHeight)),
                ShapeInference.Saturate(source.ReceptiveFieldWidth + ((extentW - 1.0) * source.JumpWidth)),
                ShapeInference.Saturate((double)source.JumpHeight * conv.StrideHeight),
                ShapeInference.Saturate((double)source.JumpWidth * conv.StrideWidth));
        }

        /// <summary>Its padded input must be indexable, and its im2col scratch (one row of output pixels per tap) an array.</summary>
        public override void CheckSizes(LayerModel layer, SizeLimits.LayerLimits limits)
        {
            var conv = (Conv2DLayer)layer;
            var shape = limits.Shape;
            if (limits.PaddedFits(nameof(Conv2DAttribute.Padding)))
            {
                var taps = (long)(shape.In.Channels / conv.Groups) * conv.KernelHeight * conv.KernelWidth;
                var pixels = (long)shape.Out.Height * shape.Out.Width;
                limits.Fits("its im2col scratch (" + SizeLimits.Count(taps) + " taps × " + SizeLimits.Count(pixels) + " output pixels)", taps * pixels);
            }
        }

        protected override void Store(Conv2DLayer conv, LayerMembers members)
        {
            StoreWeights(members, conv.Bias);
            members.Others.Add("LocalGradients");
        }

        protected override void Allocate(Conv2DLayer conv, LayerPlan lp, NetworkPlan plan)
        {
            var inPerGroup = lp.Shape.In.Channels / conv.Groups;
            var fanIn = inPerGroup * conv.KernelHeight * conv.KernelWidth;
            plan.AddWeights(lp, new[] { conv.Filters, inPerGroup, conv.KernelHeight, conv.KernelWidth }, conv.Bias, fanIn);
            plan.AddLocalGradients(lp, fanIn * lp.Shape.Out.Height * lp.Shape.Out.Width);
        }

        protected override void Options(Conv2DLayer conv, LayerShape shape, LayerOptions options)
        {
            options.Add(OptionText.Int(shape.In.Channels) + "→" + OptionText.Int(conv.Filters), null);
            options.Add(OptionText.Pair(conv.KernelHeight, conv.KernelWidth));
            OptionText.Stride(options, conv.StrideHeight, conv.StrideWidth);
            options.Add(OptionText.Pad(shape.Padding), conv.PaddingMode switch
            {
                PaddingMode.Same => "same",
                PaddingMode.Valid => "valid",
                _ => "p" + OptionText.Int(conv.Padding),
            });
            if (conv.Dilation != 1)
            {
                options.Add("dilation " + OptionText.Int(conv.Dilation), "d" + OptionText.Int(conv.Dilation));
            }

            if (conv.Groups != 1)
            {
                options.Add("groups " + OptionText.Int(conv.Groups), "g" + OptionText.Int(conv.Groups));
            }

            OptionText.BiasAndActivation(options, conv.Bias, conv.Activation);
        }

        protected override RuntimeLayer RuntimeOf(Conv2DLayer conv, LayerShape shape) => new(
            "ConvDescription",
            (nameof(conv.Filters), Literals.Int(conv.Filters)),
            (nameof(conv.KernelHeight), Literals.Int(conv.KernelHeight)),
            (nameof(conv.KernelWidth), Literals.Int(conv.KernelWidth)),
            (nameof(conv.StrideHeight), Literals.Int(conv.StrideHeight)),
            (nameof(conv.StrideWidth), Literals.Int(conv.StrideWidth)),
            (nameof(conv.Padding), RuntimeText.Padding(shape.Padding)),
            (nameof(conv.Dilation), Literals.Int(conv.Dilation)),
            (nameof(conv.Groups), Literals.Int(conv.Groups)),
            (nameof(conv.Bias), RuntimeText.Bool(conv.Bias)),
            (nameof(conv.Activation), RuntimeText.Activation(conv.Activation)));
    }
}
