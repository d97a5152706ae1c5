using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Emit.Code;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// MaxPool2D, AvgPool2D and GlobalAvgPool2D. Windows are clipped to the input. Max pooling hands each sample's
    /// channels to the runtime's <c>MaxPooling</c> kernels (vectorized): the forward takes IEEE's maximum as PyTorch does;
    /// the backward finds each window's arg-max again in the stored input and output — the first maximum in scan order,
    /// or the last NaN, exactly the element PyTorch's kernel picks — and adds ∂L/∂y there. Average pooling divides by the
    /// window size including padding (PyTorch's count_include_pad), which ceil mode can cut short.
    /// </summary>
    internal sealed class PoolEmitter : LayerEmitter
    {
        public static readonly PoolEmitter Instance = new();

        public override LayerMembers Methods(LayerPlan lp) => lp.HasBackward ? StepMembers("Forward", "Backward") : StepMembers("Forward");

        /// <summary>The channel loop's index: every pass splits each sample's channels between the parts of a step.</summary>
        private static readonly Expr C = Expr.Name("c");

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training)
        {
            yield return new Step(lp.Member("Forward"), lp.Comment, lp.Layer is Pool2DLayer { Pool: PoolKind.Max } pool ? MaxForwardChannels(lp, pool) : Channels(lp));
        }

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits)
        {
            yield return new Step(lp.Member("Backward"), BackwardComment(lp), Channels(lp));
        }

        /// <summary>
        /// Channels are independent: each emitted pass reads every input value a window holds (about once for global
        /// pooling) and writes the outputs.
        /// </summary>
        private static SampleSplit Channels(LayerPlan lp)
        {
            var window = lp.Layer is Pool2DLayer pool ? pool.Size * pool.Size : 1;
            return SampleSplit.Pass(lp.Shape.In.Channels, lp.InLength + ((long)window + 1) * lp.OutLength);
        }

        /// <summary>
        /// Max-pool forward's vectorized kernel, as measured on one AVX2 core over GoogLeNet's, ResNet-18's and LeNet-5's
        /// pools (0.08 ns per input value, 0.08 ns per window element of each output, 4–8 ns per output row): about as much
        /// per value and per window element as a value of a pass, and <see cref="ValuesPerOutputRow"/> values per output row.
        /// </summary>
        private static SampleSplit MaxForwardChannels(LayerPlan lp, Pool2DLayer pool) =>
            SampleSplit.Pass(lp.Shape.In.Channels,
                lp.InLength + ((long)pool.Size * pool.Size * lp.OutLength) + ((long)ValuesPerOutputRow * lp.Shape.Out.Channels * lp.Shape.Out.Height));

        /// <summary>What the max-pooling kernel's work per output row (its window rows' setup, the row's vector tail) costs, in values of a pass.</summary>
        private const int ValuesPerOutputRow = 60;

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            if (lp.Layer is GlobalAvgPool2DLayer)
            {
                EmitGlobal(w, lp);
                return;
            }

            var pool = (Pool2DLayer)lp.Layer;
            if (pool.Pool == PoolKind.Max)
            {
                EmitMaxForward(w, lp, pool);
            }
            else
            {
                EmitPass(w, lp, pool, backward: false);
            }

            if (!lp.HasBackward)
            {
                return;
            }

            if (pool.Pool == PoolKind.Max)
            {
                EmitMaxBackward(w, lp, pool);
            }
            else
            {
                EmitPass(w, lp, pool, backward: true);
            }
        }

        /// <summary>Max-pool forward: this part's channels of each sample go to the runtime's max-pooling kernel.</summary>
        private static void EmitMaxForward(SourceWriter w, LayerPlan lp, Pool2DLayer pool)
        {
            using (ChannelMethod(w, lp, "Forward", "Forward of " + lp.Comment + ".", StepBody.KernelCalls))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var x = " + lp.Input.Sample() + ";");
                w.Line("var y = " + lp.Output.Sample() + ";");
                w.Line(Kernels + ".Pooling.MaxPooling.Forward(" + InputChannels(lp, "x") + ", " + OutputChannels(lp, "y") + ", " + KernelGeometry(lp, pool) + ");");
            }
        }

        /// <summary>
        /// Max-pool backward: ∂L/∂x (cleared first unless other layers add to it too) gets each ∂L/∂y at its window's
        /// arg-max, which the runtime's kernel finds in this part's channels of the stored input and output.
        /// </summary>
        private static void EmitMaxBackward(SourceWriter w, LayerPlan lp, Pool2DLayer pool)
        {
            var accumulate = lp.InputGradients[0].Accumulates;
            var summary = "Backward of " + lp.Comment + ": routes each ∂L/∂y to its window's arg-max" + (accumulate ? ", adding to ∂L/∂x." : ".");
            using (ChannelMethod(w, lp, "Backward", summary, StepBody.KernelCalls))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var dy = " + lp.OutputGradient.Sample() + ";");
                w.Line("var dx = " + lp.InputGradients[0].View.Sample() + ";");
                w.Line("var x = " + lp.Input.Sample() + ";");
                w.Line("var y = " + lp.Output.Sample() + ";");
                if (!accumulate)
                {
                    w.Line(InputChannels(lp, "dx") + ".Clear();");
                }

                w.Line(Kernels + ".Pooling.MaxPooling.Backward(" + InputChannels(lp, "x") + ", " + OutputChannels(lp, "y") + ", " + OutputChannels(lp, "dy") + ", " + InputChannels(lp, "dx")
                    + ", " + KernelGeometry(lp, pool) + ");");
            }
        }

        /// <summary>This part's channels [c0, c1) of a sample's input-shaped span.</summary>
        private static string InputChannels(LayerPlan lp, string span)
        {
            var plane = lp.Shape.In.Height * lp.Shape.In.Width;
            return Spans.Slice(span, Expr.Name("c0") * plane, (Expr.Name("c1") - Expr.Name("c0")) * plane);
        }

        /// <summary>This part's channels [c0, c1) of a sample's output-shaped span.</summary>
        private static string OutputChannels(LayerPlan lp, string span)
        {
            var plane = lp.Shape.Out.Height * lp.Shape.Out.Width;
            return Spans.Slice(span, Expr.Name("c0") * plane, (Expr.Name("c1") - Expr.Name("c0")) * plane);
        }

        /// <summary>The max-pooling kernels' geometry arguments, named.</summary>
        private static string KernelGeometry(LayerPlan lp, Pool2DLayer pool) =>
            "inHeight: " + I(lp.Shape.In.Height) + ", inWidth: " + I(lp.Shape.In.Width) + ", outHeight: " + I(lp.Shape.Out.Height) + ", outWidth: " + I(lp.Shape.Out.Width)
            + ", size: " + I(pool.Size) + ", stride: " + I(pool.Stride) + ", padding: " + I(pool.Padding);

        /// <summary>Average pooling's forward and backward.</summary>
        private static void EmitPass(SourceWriter w, LayerPlan lp, Pool2DLayer pool, bool backward)
        {
            var inShape = lp.Shape.In;
            var outShape = lp.Shape.Out;
            var plane = inShape.Height * inShape.Width;
            var accumulate = backward && lp.InputGradients[0].Accumulates;
            var summary = backward
                ? "Backward of " + lp.Comment + ": spreads each ∂L/∂y evenly over its window" + (accumulate ? ", adding to ∂L/∂x." : ".")
                : "Forward of " + lp.Comment + ".";
            using (ChannelMethod(w, lp, backward ? "Backward" : "Forward", summary))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line(backward
                    ? "var dy = " + lp.OutputGradient.Sample() + ";"
                    : "var x = " + lp.Input.Sample() + ";");
                w.Line(backward
                    ? "var dx = " + lp.InputGradients[0].View.Sample() + ";"
                    : "var y = " + lp.Output.Sample() + ";");
                if (backward && !accumulate)
                {
                    w.Line(InputChannels(lp, "dx") + ".Clear();");
                }

                if (!backward && WindowsStayInside(lp, pool) && pool.Size <= 4)
                {
                    EmitInsideWindows(w, lp, pool);
                    return;
                }

                using (ChannelLoop(w))
                {
                    var c = C;
                    w.Line("var plane = " + Spans.Slice(backward ? "dx" : "x", c * plane, plane) + ";");
                    using (Loop.For(w, "oy", outShape.Height, out var oy))
                    {
                        EmitWindowAxis(w, "y", oy, pool, inShape.Height);
                        using (Loop.For(w, "ox", outShape.Width, out var ox))
                        {
                            EmitWindowAxis(w, "x", ox, pool, inShape.Width);
                            w.Line("var o = " + ((c * outShape.Height + oy) * outShape.Width + ox) + ";");
                            w.Line("var divisor = rows * columns;");
                            if (backward)
                            {
                                w.Line("var share = dy[o] / divisor;");
                                EmitWindowLoop(w, "plane[" + Element(inShape.Width) + "] += share;");
                            }
                            else
                            {
                                w.Line("var sum = 0f;");
                                EmitWindowLoop(w, "sum += plane[" + Element(inShape.Width) + "];");
                                w.Line("y[o] = sum / divisor;");
                            }
                        }
                    }
                }
            }
        }

        /// <summary>No padding and the last window ends inside the input: no clipping, and every window has Size² elements.</summary>
        private static bool WindowsStayInside(LayerPlan lp, Pool2DLayer pool) =>
            pool.Padding == 0
            && ((lp.Shape.Out.Height - 1) * pool.Stride) + pool.Size <= lp.Shape.In.Height
            && ((lp.Shape.Out.Width - 1) * pool.Stride) + pool.Size <= lp.Shape.In.Width;

        /// <summary>Average pooling's forward where every window lies inside the input: its Size² elements sit at literal offsets from the top-left one.</summary>
        private static void EmitInsideWindows(SourceWriter w, LayerPlan lp, Pool2DLayer pool)
        {
            var width = lp.Shape.In.Width;
            var plane = lp.Shape.In.Height * width;
            var outShape = lp.Shape.Out;
            w.Line("var o = " + (Expr.Name("c0") * (outShape.Height * outShape.Width)) + "; // the first output of this part's channels");
            using (ChannelLoop(w))
            {
                var c = C;
                w.Line("var p = " + Spans.Slice("x", c * plane, plane) + ";");
                using (Loop.For(w, "oy", outShape.Height, out var oy))
                using (Loop.For(w, "ox", outShape.Width, out var ox, alsoIncrement: "o"))
                {
                    // The window's top-left element, and its Size² elements at literal offsets from there.
                    var at = oy * (pool.Stride * width) + ox * pool.Stride;
                    if (at.Value is null)
                    {
                        w.Line("var at = " + at + "; // the window's top-left element");
                        at = Expr.Name("at");
                    }

                    var elements = new List<Expr>();
                    for (var ky = 0; ky < pool.Size; ky++)
                    {
                        for (var kx = 0; kx < pool.Size; kx++)
                        {
                            elements.Add(at + ((ky * width) + kx));
                        }
                    }

                    w.Line("y[o] = (" + string.Join(" + ", elements.Select(e => "p[" + e + "]")) + ") / " + I(pool.Size * pool.Size) + "f;");
                }
            }
        }

        /// <summary>
        /// The window along one axis: first clipped to the padded input (that size is the divisor), then to the input.
        /// </summary>
        private static void EmitWindowAxis(SourceWriter w, string axis, Expr index, Pool2DLayer pool, int size)
        {
            w.Line("var " + axis + "0 = " + (index * pool.Stride - pool.Padding) + ";");
            w.Line("var " + axis + "1 = global::System.Math.Min(" + axis + "0 + " + I(pool.Size) + ", " + I(size + pool.Padding) + ");");
            w.Line("var " + (axis == "y" ? "rows" : "columns") + " = " + axis + "1 - " + axis + "0; // the window within the padded input: the divisor");
            w.Line(axis + "0 = global::System.Math.Max(" + axis + "0, 0);");
            w.Line(axis + "1 = global::System.Math.Min(" + axis + "1, " + I(size) + ");");
        }

        /// <summary>Where element (iy, ix) of a plane <paramref name="width"/> wide lies.</summary>
        private static Expr Element(int width) => Expr.Name("iy") * width + Expr.Name("ix");

        private static void EmitWindowLoop(SourceWriter w, string body)
        {
            using (w.Block("for (var iy = y0; iy < y1; iy++)"))
            using (w.Block("for (var ix = x0; ix < x1; ix++)"))
            {
                w.Line(body);
            }
        }

        /// <summary>Opens a step method over this worker's samples and this part's channels [c0, c1) of each.</summary>
        private static System.IDisposable ChannelMethod(SourceWriter w, LayerPlan lp, string suffix, string summary, StepBody body = StepBody.ElementLoops) =>
            ChannelSampleMethod(w, lp.Member(suffix), summary, lp.Shape.In.Channels, body);

        private static System.IDisposable ChannelLoop(SourceWriter w) => w.Block("for (var c = c0; c < c1; c++)");

        private static void EmitGlobal(SourceWriter w, LayerPlan lp)
        {
            var plane = lp.Shape.In.Height * lp.Shape.In.Width;
            using (ChannelMethod(w, lp, "Forward", "Forward of " + lp.Comment + ": the mean of each channel's plane."))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var x = " + lp.Input.Sample() + ";");
                w.Line("var y = " + lp.Output.Sample() + ";");
                using (ChannelLoop(w))
                {
                    var c = C;
                    w.Line("y[" + c + "] = " + Kernels + ".VectorOps.Sum(" + Spans.Slice("x", c * plane, plane) + ") * " + Literals.Float(1f / plane) + ";");
                }
            }

            if (!lp.HasBackward)
            {
                return;
            }

            var accumulate = lp.InputGradients[0].Accumulates;
            using (ChannelMethod(w, lp, "Backward", "Backward of " + lp.Comment + ": ∂L/∂x " + (accumulate ? "+=" : "=") + " ∂L/∂y / (H·W) over each plane."))
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var dy = " + lp.OutputGradient.Sample() + ";");
                w.Line("var dx = " + lp.InputGradients[0].View.Sample() + ";");
                using (ChannelLoop(w))
                {
                    var c = C;
                    if (accumulate)
                    {
                        w.Line("var share = dy[" + c + "] / " + I(plane) + "f;");
                        w.Line("foreach (ref var g in " + Spans.Slice("dx", c * plane, plane) + ") g += share;");
                    }
                    else
                    {
                        w.Line(Spans.Slice("dx", c * plane, plane) + ".Fill(dy[" + c + "] / " + I(plane) + "f);");
                    }
                }
            }
        }
    }
}
