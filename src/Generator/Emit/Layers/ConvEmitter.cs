using System;
using System.Collections.Generic;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// Conv2D as im2col + GEMM. The gather (im2col) and scatter (col2im) loops are emitted per layer with every bound a
    /// literal and the kernel columns unrolled, each tap knowing which output columns read real input and which read padding.
    /// The GEMM is <c>ConvGen.Kernels.Gemm</c> (packed, register-tiled AVX2/AVX-512 with a scalar fallback).
    /// </summary>
    internal sealed class ConvEmitter : LayerEmitter
    {
        public static readonly ConvEmitter Instance = new();

        public override LayerMembers Methods(LayerPlan lp)
        {
            var members = lp.HasBackward ? StepMembers("Forward", "Backward") : StepMembers("Forward");
            var direct = DirectConvEmitter.Applies(lp);
            if (direct)
            {
                members.Fields.Add(DirectConvEmitter.Field);
            }

            if (!new Geometry(lp).IsPointwise && (lp.HasBackward || !direct))
            {
                members.Others.Add("Gather");
                if (lp.HasBackward)
                {
                    members.Others.Add("Scatter");
                }
            }

            return members;
        }

        public override IEnumerable<Step> Forward(LayerPlan lp, bool training)
        {
            yield return new Step(lp.Member("Forward"), lp.Comment);
        }

        public override IEnumerable<Step> Backward(LayerPlan lp, bool fromLogits)
        {
            yield return new Step(lp.Member("Backward"), BackwardComment(lp, lp.Bias is null ? new[] { "weight" } : new[] { "weight", "bias" }));
        }

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            var g = new Geometry(lp);
            var direct = DirectConvEmitter.Applies(lp);
            if (direct)
            {
                DirectConvEmitter.EmitField(w, lp);
                using (SampleMethod(w, lp.Member("Forward"), DirectConvEmitter.Summary(lp)))
                {
                    DirectConvEmitter.EmitForward(w, lp);
                }
            }
            else
            {
                EmitForward(w, lp, g);
            }

            if (lp.HasBackward)
            {
                EmitBackward(w, lp, g);
            }

            if (!g.IsPointwise && (lp.HasBackward || !direct))
            {
                EmitTaps(w, lp, g, scatter: false);
                if (lp.HasBackward)
                {
                    EmitTaps(w, lp, g, scatter: true);
                }
            }
        }

        private static void EmitForward(SourceWriter w, LayerPlan lp, Geometry g)
        {
            var conv = (Conv2DLayer)lp.Layer;
            var bn = lp.FoldedBatchNorm;
            using (SampleMethod(w, lp.Member("Forward"), "Forward of " + lp.Comment + (bn is null ? "." : ". In inference " + bn.Layer.Name + " is folded in as a per-channel scale and shift.")))
            {
                if (bn is not null)
                {
                    w.Line("var fold = !_training;");
                }

                if (!g.IsPointwise)
                {
                    w.Line("var col = _columns[worker].AsSpan(0, " + I(g.Taps * g.Pixels) + ");");
                }

                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line("var x = " + lp.Input.Sample() + ";");
                    w.Line("var y = " + (bn is null ? lp.Output.Sample() : "fold ? " + bn.Output.Sample() + " : " + lp.Output.Sample()) + ";");
                    ForEachGroup(w, g, () =>
                    {
                        var b = g.IsPointwise ? "x" : "col";
                        if (!g.IsPointwise)
                        {
                            w.Line(lp.Member("Gather") + "(" + GroupSlice("x", g, g.InPlane * g.InPerGroup) + ", col);");
                        }

                        w.Line("// y[" + I(g.OutPerGroup) + "×" + I(g.Pixels) + "] = W[" + I(g.OutPerGroup) + "×" + I(g.Taps) + "] · " + b + "[" + I(g.Taps) + "×" + I(g.Pixels) + "]");
                        w.Line(Kernels + ".Gemm.Multiply(false, false, " + I(g.OutPerGroup) + ", " + I(g.Pixels) + ", " + I(g.Taps) + ", "
                            + WeightSlice(lp, g) + ", " + I(g.Taps) + ", " + (g.IsPointwise ? GroupSlice("x", g, g.InPlane * g.InPerGroup) : "col") + ", " + I(g.Pixels) + ", "
                            + GroupSlice("y", g, g.OutPerGroup * g.Pixels) + ", " + I(g.Pixels) + ", accumulate: false);");
                    });
                    EmitEpilogue(w, lp, conv, g, bn);
                }
            }
        }

        private static void EmitEpilogue(SourceWriter w, LayerPlan lp, Conv2DLayer conv, Geometry g, LayerPlan? bn)
        {
            if (!conv.Bias && conv.Activation == ActivationKind.None && bn is null)
            {
                return;
            }

            var text = "// bias" + (conv.Activation != ActivationKind.None ? " and " + conv.Activation : string.Empty) + (bn is null ? string.Empty : " (with " + bn.Layer.Name + " folded in when inferring)") + ", per output channel";
            w.Line(text);
            using (w.Block("for (var c = 0; c < " + I(conv.Filters) + "; c++)"))
            {
                w.Line("var scale = 1f;");
                w.Line("var shift = " + (conv.Bias ? "_parameters[" + lp.Bias!.Constant + " + c]" : "0f") + ";");
                if (bn is not null)
                {
                    var eps = ((BatchNorm2DLayer)bn.Layer).Epsilon;
                    using (w.Block("if (fold)"))
                    {
                        w.Line("scale = _parameters[" + bn.Weight!.Constant + " + c] / global::System.MathF.Sqrt(_buffers[" + bn.RunningVariance!.Constant + " + c] + " + Literals.Float(eps) + ");");
                        w.Line("shift = ((shift - _buffers[" + bn.RunningMean!.Constant + " + c]) * scale) + _parameters[" + bn.Bias!.Constant + " + c];");
                    }
                }

                w.Line(Kernels + ".VectorOps.ScaleShiftActivate(y.Slice(c * " + I(g.Pixels) + ", " + I(g.Pixels) + "), scale, shift, " + Activation(conv.Activation) + ");");
            }
        }

        private static void EmitBackward(SourceWriter w, LayerPlan lp, Geometry g)
        {
            var conv = (Conv2DLayer)lp.Layer;
            var dx = lp.InputGradients[0];
            var summary = "Backward of " + lp.Comment + ": accumulates ∂L/∂weight" + (conv.Bias ? " and ∂L/∂bias" : string.Empty) + " into this worker's private sums and "
                + (dx.Accumulates ? "adds its part of ∂L/∂" : "writes ∂L/∂") + dx.Value + ".";
            using (SampleMethod(w, lp.Member("Backward"), summary))
            {
                w.Line("var local = _localGradients[worker];");
                w.Line("var dWeight = local.AsSpan(" + lp.Member("LocalGradients") + ", " + I(lp.Weight!.Length) + ");");
                if (dx.IsNetworkInput)
                {
                    w.Line("var inputGradient = _needInputGradient;");
                }

                if (!g.IsPointwise)
                {
                    w.Line("var col = _columns[worker].AsSpan(0, " + I(g.Taps * g.Pixels) + ");");
                    w.Line("var dcol = _columnGradients[worker].AsSpan(0, " + I(g.Taps * g.Pixels) + ");");
                }

                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line("var x = " + lp.Input.Sample() + ";");
                    w.Line("var dy = " + lp.OutputGradient.Sample() + ";");
                    w.Line("var dx = " + dx.View.Sample() + ";");
                    if (conv.Activation != ActivationKind.None)
                    {
                        w.Line("// ∂L/∂z = ∂L/∂y ⊙ " + conv.Activation + "′, from the stored output y");
                        w.Line(Kernels + ".VectorOps.ActivationBackward(dy, " + lp.Output.Sample() + ", " + Activation(conv.Activation) + ");");
                    }

                    if (conv.Bias)
                    {
                        w.Line("// ∂L/∂bias[c] = Σ over pixels of ∂L/∂z[c]");
                        using (w.Block("for (var c = 0; c < " + I(conv.Filters) + "; c++)"))
                        {
                            w.Line("local[" + lp.Member("LocalGradients") + " + " + I(lp.Weight.Length) + " + c] += " + Kernels + ".VectorOps.Sum(dy.Slice(c * " + I(g.Pixels) + ", " + I(g.Pixels) + "));");
                        }
                    }

                    if (!g.IsPointwise && !dx.Accumulates)
                    {
                        w.Line(dx.IsNetworkInput ? "if (inputGradient) dx.Clear();" : "dx.Clear();");
                    }

                    ForEachGroup(w, g, () =>
                    {
                        var columns = g.IsPointwise ? GroupSlice("x", g, g.InPlane * g.InPerGroup) : "col";
                        if (!g.IsPointwise)
                        {
                            w.Line(lp.Member("Gather") + "(" + GroupSlice("x", g, g.InPlane * g.InPerGroup) + ", col);");
                        }

                        w.Line("// ∂L/∂W += ∂L/∂z · colᵀ");
                        w.Line(Kernels + ".Gemm.Multiply(false, true, " + I(g.OutPerGroup) + ", " + I(g.Taps) + ", " + I(g.Pixels) + ", "
                            + GroupSlice("dy", g, g.OutPerGroup * g.Pixels) + ", " + I(g.Pixels) + ", " + columns + ", " + I(g.Pixels) + ", "
                            + GroupSlice("dWeight", g, g.OutPerGroup * g.Taps) + ", " + I(g.Taps) + ", accumulate: true);");
                        using (dx.IsNetworkInput ? w.Block("if (inputGradient)") : null)
                        {
                            var target = g.IsPointwise ? GroupSlice("dx", g, g.InPlane * g.InPerGroup) : "dcol";
                            w.Line("// ∂L/∂col = Wᵀ · ∂L/∂z" + (g.IsPointwise ? " (1×1, stride 1: the columns are the input planes" + (dx.Accumulates ? ", added to ∂L/∂x)" : ")") : string.Empty));
                            w.Line(Kernels + ".Gemm.Multiply(true, false, " + I(g.Taps) + ", " + I(g.Pixels) + ", " + I(g.OutPerGroup) + ", "
                                + WeightSlice(lp, g) + ", " + I(g.Taps) + ", " + GroupSlice("dy", g, g.OutPerGroup * g.Pixels) + ", " + I(g.Pixels) + ", "
                                + target + ", " + I(g.Pixels) + ", accumulate: " + (g.IsPointwise && dx.Accumulates ? "true" : "false") + ");");
                            if (!g.IsPointwise)
                            {
                                w.Line("// ∂L/∂x: add every column back onto the input pixel it was gathered from");
                                w.Line(lp.Member("Scatter") + "(dcol, " + GroupSlice("dx", g, g.InPlane * g.InPerGroup) + ");");
                            }
                        }
                    });
                }
            }
        }

        /// <summary>
        /// im2col (gather: col[tap, pixel] = x[c, oy·s + ky·d − pad, ox·s + kx·d − pad], zero outside) and its adjoint
        /// col2im (scatter: x[...] += col[tap, pixel]) — the same loops, differing only in the direction of the copy.
        /// </summary>
        private static void EmitTaps(SourceWriter w, LayerPlan lp, Geometry g, bool scatter)
        {
            var conv = (Conv2DLayer)lp.Layer;
            var pad = lp.Shape.Padding;
            Doc(w, scatter
                ? "col2im for " + lp.Layer.Name + ": adds each of the " + I(g.Taps) + " column rows back onto one group's input planes (the adjoint of " + lp.Member("Gather") + ")."
                : "im2col for " + lp.Layer.Name + ": one row of " + I(g.Pixels) + " output pixels per (channel, ky, kx) tap of one group; padding reads as zero.");
            var signature = scatter
                ? "private static void " + lp.Member("Scatter") + "(global::System.ReadOnlySpan<float> col, global::System.Span<float> x)"
                : "private static void " + lp.Member("Gather") + "(global::System.ReadOnlySpan<float> x, global::System.Span<float> col)";
            using (w.Block(signature))
            using (w.Block("for (var c = 0; c < " + I(g.InPerGroup) + "; c++)"))
            {
                w.Line("var plane = x.Slice(c * " + I(g.InPlane) + ", " + I(g.InPlane) + ");");
                using (w.Block("for (var ky = 0; ky < " + I(conv.KernelHeight) + "; ky++)"))
                {
                    w.Line("var taps = col.Slice((c * " + I(conv.KernelHeight) + " + ky) * " + I(conv.KernelWidth * g.Pixels) + ", " + I(conv.KernelWidth * g.Pixels) + ");");
                    using (w.Block("for (var oy = 0; oy < " + I(g.OutHeight) + "; oy++)"))
                    {
                        w.Line("var iy = " + Scaled("oy", conv.StrideHeight) + " + " + Scaled("ky", conv.Dilation) + (pad.Top > 0 ? " - " + I(pad.Top) : string.Empty) + ";");
                        using (w.Block("if ((uint)iy >= " + I(g.InHeight) + "u)"))
                        {
                            if (!scatter)
                            {
                                w.Line("// this kernel row lies in the top/bottom padding for the whole output row");
                                using (w.Block("for (var kx = 0; kx < " + I(conv.KernelWidth) + "; kx++)"))
                                {
                                    w.Line("taps.Slice((kx * " + I(g.Pixels) + ") + (oy * " + I(g.OutWidth) + "), " + I(g.OutWidth) + ").Clear();");
                                }
                            }

                            w.Line("continue;");
                        }

                        w.Line("var row = plane.Slice(iy * " + I(g.InWidth) + ", " + I(g.InWidth) + ");");
                        for (var kx = 0; kx < conv.KernelWidth; kx++)
                        {
                            EmitTap(w, g, conv, kx, pad.Left, scatter);
                        }
                    }
                }
            }
        }

        private static void EmitTap(SourceWriter w, Geometry g, Conv2DLayer conv, int kx, int padLeft, bool scatter)
        {
            // Output column ox reads input column ox·stride + offset; [lo, hi) are the ones inside the input.
            var offset = (kx * conv.Dilation) - padLeft;
            var stride = conv.StrideWidth;
            var lo = Math.Max(0, CeilDiv(-offset, stride));
            var hi = Math.Min(g.OutWidth, FloorDiv(g.InWidth - 1 - offset, stride) + 1);
            hi = Math.Max(hi, lo);
            var t = "t" + I(kx);
            w.Line("// kx = " + I(kx) + ": output columns " + I(lo) + ".." + I(hi - 1) + " read input column ox·" + I(stride) + (offset >= 0 ? " + " + I(offset) : " − " + I(-offset))
                + (lo > 0 || hi < g.OutWidth ? "; the rest is padding" : string.Empty));
            w.Line("var " + t + " = taps.Slice(" + I(kx * g.Pixels) + " + (oy * " + I(g.OutWidth) + "), " + I(g.OutWidth) + ");");
            if (hi == lo)
            {
                if (!scatter)
                {
                    w.Line(t + ".Clear();");
                }

                return;
            }

            if (!scatter && lo > 0)
            {
                w.Line(t + ".Slice(0, " + I(lo) + ").Clear();");
            }

            if (stride == 1)
            {
                w.Line(scatter
                    ? Kernels + ".VectorOps.Add(" + t + ".Slice(" + I(lo) + ", " + I(hi - lo) + "), row.Slice(" + I(lo + offset) + ", " + I(hi - lo) + "));"
                    : "row.Slice(" + I(lo + offset) + ", " + I(hi - lo) + ").CopyTo(" + t + ".Slice(" + I(lo) + "));");
            }
            else
            {
                using (w.Block("for (var ox = " + I(lo) + "; ox < " + I(hi) + "; ox++)"))
                {
                    var source = "(ox * " + I(stride) + ") + " + I(offset);
                    w.Line(scatter ? "row[" + source + "] += " + t + "[ox];" : t + "[ox] = row[" + source + "];");
                }
            }

            if (!scatter && hi < g.OutWidth)
            {
                w.Line(t + ".Slice(" + I(hi) + ").Clear();");
            }
        }

        private static void ForEachGroup(SourceWriter w, Geometry g, Action body)
        {
            if (g.Groups == 1)
            {
                body();
                return;
            }

            using (w.Block("for (var group = 0; group < " + I(g.Groups) + "; group++)"))
            {
                body();
            }
        }

        /// <summary>One group's part of a per-sample span; the whole span when there is one group.</summary>
        private static string GroupSlice(string span, Geometry g, long length) =>
            g.Groups == 1 ? span : span + ".Slice(group * " + I(length) + ", " + I(length) + ")";

        private static string WeightSlice(LayerPlan lp, Geometry g) => g.Groups == 1
            ? "_parameters.AsSpan(" + lp.Weight!.Constant + ", " + I(g.OutPerGroup * g.Taps) + ")"
            : "_parameters.AsSpan(" + lp.Weight!.Constant + " + (group * " + I(g.OutPerGroup * g.Taps) + "), " + I(g.OutPerGroup * g.Taps) + ")";

        private static string Scaled(string variable, int factor) => factor == 1 ? variable : "(" + variable + " * " + I(factor) + ")";

        private static int CeilDiv(int a, int b) => a <= 0 ? -(-a / b) : ((a + b - 1) / b);

        private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

        /// <summary>The numbers the conv's loops are built from.</summary>
        private sealed class Geometry
        {
            public Geometry(LayerPlan lp)
            {
                var conv = (Conv2DLayer)lp.Layer;
                var shape = lp.Shape;
                Groups = conv.Groups;
                InPerGroup = shape.In.Channels / conv.Groups;
                OutPerGroup = conv.Filters / conv.Groups;
                InHeight = shape.In.Height;
                InWidth = shape.In.Width;
                InPlane = InHeight * InWidth;
                OutHeight = shape.Out.Height;
                OutWidth = shape.Out.Width;
                Pixels = OutHeight * OutWidth;
                Taps = InPerGroup * conv.KernelHeight * conv.KernelWidth;
                IsPointwise = conv.KernelHeight == 1 && conv.KernelWidth == 1 && conv.StrideHeight == 1 && conv.StrideWidth == 1 && shape.Padding.IsZero;
            }

            public int Groups { get; }

            public int InPerGroup { get; }

            public int OutPerGroup { get; }

            public int InHeight { get; }

            public int InWidth { get; }

            public int InPlane { get; }

            public int OutHeight { get; }

            public int OutWidth { get; }

            public int Pixels { get; }

            public int Taps { get; }

            /// <summary>1×1, stride 1, no padding: the input planes already are the im2col matrix.</summary>
            public bool IsPointwise { get; }
        }
    }
}
