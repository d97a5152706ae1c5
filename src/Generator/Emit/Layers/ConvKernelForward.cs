using System;
using System.Linq;
using ConvGen.Generator.Emit.Code;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// A Conv2D forward's epilogue in inference and training, for every path: bias, or a folded BatchNorm as a per-channel
    /// scale and shift, and the activation — the conv's own, or in inference the activation layer that alone reads the
    /// folded BatchNorm (<see cref="LayerPlan.FoldedActivation"/>), or the residual sum and activation of the Add that
    /// alone reads it (<see cref="LayerPlan.FoldedAdd"/>), whose output the conv then writes; the runtime kernels
    /// apply it (the im2col path's GEMM per row of its product). Also the forward body of the paths that run in one
    /// runtime kernel call per sample (the direct and the Winograd convolution).
    /// </summary>
    internal static class ConvKernelForward
    {
        /// <summary>The <c>ConvolutionShape</c> of <paramref name="lp"/>'s forward as a C# expression, every argument named.</summary>
        public static string ShapeLiteral(LayerPlan lp)
        {
            var conv = (Conv2DLayer)lp.Layer;
            var s = lp.Shape;
            return "new global::ConvGen.Kernels.Convolution.ConvolutionShape(inChannels: " + I(s.In.Channels) + ", inHeight: " + I(s.In.Height) + ", inWidth: " + I(s.In.Width)
                + ", outChannels: " + I(conv.Filters) + ", kernelHeight: " + I(conv.KernelHeight) + ", kernelWidth: " + I(conv.KernelWidth)
                + ", strideHeight: " + I(conv.StrideHeight) + ", strideWidth: " + I(conv.StrideWidth)
                + ", padTop: " + I(s.Padding.Top) + ", padLeft: " + I(s.Padding.Left) + ", padBottom: " + I(s.Padding.Bottom) + ", padRight: " + I(s.Padding.Right) + ")";
        }

        /// <summary>
        /// "in inference bn1 is folded in as a per-channel scale and shift (and relu1's ReLU applied)", "add1's sum with x
        /// and its ReLU computed here" for an Add folded into a conv without a BatchNorm, or nothing.
        /// </summary>
        public static string FoldText(LayerPlan lp)
        {
            if (lp.FoldedBatchNorm is not { } bn)
            {
                return lp.FoldedAdd is { } sum ? sum.Layer.Name + "'s sum with " + lp.ResidualValue + Then(sum) + " computed here" : string.Empty;
            }

            var activation = lp.FoldedActivation is { } act ? " and " + act.Layer.Name + "'s " + Fused(lp) + " applied"
                : lp.FoldedAdd is { } add ? ", then " + add.Layer.Name + "'s sum with " + lp.ResidualValue + Then(add) + " computed here"
                : string.Empty;
            return "in inference " + bn.Layer.Name + " is folded in as a per-channel scale and shift" + activation;
        }

        /// <summary>
        /// The sample's output span: when inferring with a folded BatchNorm, that BatchNorm's output, its activation's, or
        /// its Add's; without one, a folded Add's always (the conv's own output is then never written).
        /// </summary>
        public static string OutputSample(LayerPlan lp) =>
            lp.FoldedBatchNorm is { } bn ? "fold ? " + (lp.FoldedAdd ?? lp.FoldedActivation ?? bn).Output.Sample() + " : " + lp.Output.Sample()
            : (lp.FoldedAdd ?? lp).Output.Sample();

        /// <summary>
        /// The activation argument: the conv's own, the fused activation layer's or Add's when inferring (<c>fold</c>), or
        /// a fused Add's always when the conv has no BatchNorm.
        /// </summary>
        public static string Activation(LayerPlan lp) => lp.FoldedActivation is null && lp.FoldedAdd is null
            ? RuntimeText.Activation(((Conv2DLayer)lp.Layer).Activation)
            : Fused(lp) == global::ConvGen.Activation.None || lp.FoldedBatchNorm is null ? RuntimeText.Activation(Fused(lp))
            : "fold ? " + RuntimeText.Activation(Fused(lp)) + " : " + RuntimeText.Activation(global::ConvGen.Activation.None);

        /// <summary>
        /// "ReLU(value)", "value", "value, then ReLU when inferring" for a fused activation layer, "value, then + residual
        /// and ReLU when inferring" for an Add fused after a BatchNorm, or "ReLU(value + residual)" for one fused without.
        /// </summary>
        public static string Activated(LayerPlan lp, string value)
        {
            if (lp.FoldedAdd is not null && lp.FoldedBatchNorm is not null)
            {
                return value + ", then + " + Residual + (Fused(lp) == global::ConvGen.Activation.None ? string.Empty : " and " + Fused(lp)) + " when inferring";
            }

            if (lp.FoldedActivation is not null)
            {
                return value + ", then " + Fused(lp) + " when inferring";
            }

            // The conv's own activation, or an Add folded in without a BatchNorm: its sum and activation always.
            var (sum, act) = lp.FoldedAdd is null ? (value, ((Conv2DLayer)lp.Layer).Activation) : (value + " + " + Residual, Fused(lp));
            return act == global::ConvGen.Activation.None ? sum : act + "(" + sum + ")";
        }

        /// <summary>The local naming the residual a fused Add's sum adds (<see cref="EmitResidual"/>).</summary>
        public const string Residual = "residual";

        /// <summary>
        /// For a conv with a <see cref="LayerPlan.FoldedAdd"/>, inside its sample loop: the residual, the Add's other input —
        /// after a folded BatchNorm when inferring, and none when training (the Add then runs as its own step); without a
        /// BatchNorm always.
        /// </summary>
        public static void EmitResidual(SourceWriter w, LayerPlan lp)
        {
            if (lp.FoldedAdd is not { } add)
            {
                return;
            }

            w.Line(lp.FoldedBatchNorm is null
                ? "var " + Residual + " = " + lp.Residual.Sample() + "; // " + add.Layer.Name + "'s other input, " + lp.ResidualValue
                : "var " + Residual + " = fold ? " + lp.Residual.Sample() + " : default; // " + add.Layer.Name + "'s other input, " + lp.ResidualValue + ", when inferring");
        }

        /// <summary>"residual: residual, " for a conv with a fused Add (the argument after the shift), or nothing.</summary>
        public static string ResidualArgument(LayerPlan lp) => lp.FoldedAdd is null ? string.Empty : Residual + ", ";

        /// <summary>
        /// The body of a forward step that runs <paramref name="field"/> (a runtime convolution with
        /// <c>SetWeights(weight)</c>, once per step, and <c>Apply(x, scale, shift, activation, y, threads)</c>) on each sample;
        /// <paramref name="how"/> ends the formula comment ("by 2×2 output tiles").
        /// </summary>
        public static void Emit(SourceWriter w, LayerPlan lp, string field, string how)
        {
            w.Line("var weight = _parameters.AsSpan(" + lp.Weight!.Constant + ", " + I(lp.Weight.Length) + ");");
            var factors = EmitFactors(w, lp);
            w.Line(field + ".SetWeights(weight, _writes.Stamp); // repacks only when the weights changed since the last call");
            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var x = " + lp.Input.Sample() + ";");
                w.Line("var y = " + OutputSample(lp) + ";");
                EmitResidual(w, lp);
                w.Line("// y = " + factors.Formula("W ⊛ x") + ", " + how);
                w.Line(field + ".Apply(x, " + Named("scale", factors.Scale) + ", " + Named("shift", factors.Shift) + ", " + ResidualArgument(lp) + Activation(lp) + ", y, threads: _gemmThreads);");
            }
        }

        /// <summary>
        /// Writes the spans of <paramref name="lp"/>'s per-output-channel epilogue factors, before its sample loop, and
        /// returns them and the formula of its output given the product's text: no scale (<c>default</c>, 1) and
        /// the bias as the shift (<c>bias</c>, or <c>default</c>, 0, without one); with a folded BatchNorm, this worker's
        /// <c>scale</c> and <c>shift</c>, 1 and the bias when training and the BatchNorm folded in when inferring.
        /// </summary>
        public static (string Scale, string Shift, Func<string, string> Formula) EmitFactors(SourceWriter w, LayerPlan lp)
        {
            var conv = (Conv2DLayer)lp.Layer;
            if (lp.FoldedBatchNorm is not { } bn)
            {
                if (conv.Bias)
                {
                    w.Line("var bias = _parameters.AsSpan(" + lp.Bias!.Constant + ", " + I(conv.Filters) + ");");
                }

                return ("default", conv.Bias ? "bias" : "default", product => Activated(lp, conv.Bias ? product + " + bias" : product));
            }

            w.Line("var fold = !_training;");
            w.Line("// per output channel: scale = 1 and shift = bias when training; " + bn.Layer.Name + "'s γ/√(var + ε) and β − mean·scale folded in when inferring");
            w.Line("var factors = _scratch.ChannelFactors(worker); // this worker's, not the stack: the step can then start in tier-0 code");
            w.Line("var scale = factors.AsSpan(0, " + I(conv.Filters) + ");");
            w.Line("var shift = factors.AsSpan(" + I(conv.Filters) + ", " + I(conv.Filters) + ");");
            using (Loop.For(w, "c", conv.Filters, out var c))
            {
                var bias = conv.Bias ? "_parameters[" + (Expr.Name(lp.Bias!.Constant) + c) + "]" : null;
                w.Line("scale[" + c + "] = fold ? " + FoldedScale(bn, c) + " : 1f;");
                w.Line("shift[" + c + "] = fold ? " + FoldedShift(bn, c, bias, "scale[" + c + "]") + " : " + (bias ?? "0f") + ";");
            }

            return ("scale", "shift", product => Activated(lp, "(" + product + ")·scale + shift"));
        }

        /// <summary>A named argument, <c>parameter: value</c>, or the bare value when a variable of the parameter's name holds it.</summary>
        public static string Named(string parameter, string value) => value == parameter ? value : parameter + ": " + value;

        /// <summary>
        /// Floats each worker needs for the per-channel scale and shift of a conv with a folded BatchNorm
        /// (<see cref="EmitFactors"/>): twice the most output channels among them, 0 when there is none.
        /// </summary>
        public static int FactorLength(NetworkPlan plan) =>
            plan.Layers.Where(l => l.FoldedBatchNorm is not null && l.Layer is Conv2DLayer)
                .Select(l => 2 * ((Conv2DLayer)l.Layer).Filters)
                .DefaultIfEmpty(0)
                .Max();

        /// <summary>Channel <paramref name="c"/>'s folded scale, γ/√(var + ε), of the BatchNorm <paramref name="bn"/>.</summary>
        public static string FoldedScale(LayerPlan bn, Expr c) =>
            "_parameters[" + (Expr.Name(bn.Weight!.Constant) + c) + "] / global::System.MathF.Sqrt(_buffers[" + (Expr.Name(bn.RunningVariance!.Constant) + c) + "] + "
            + Literals.Float(((BatchNorm2DLayer)bn.Layer).Epsilon) + ")";

        /// <summary>Channel <paramref name="c"/>'s folded shift, (bias − mean)·scale + β; a null <paramref name="bias"/> is none.</summary>
        public static string FoldedShift(LayerPlan bn, Expr c, string? bias, string scale)
        {
            var mean = "_buffers[" + (Expr.Name(bn.RunningMean!.Constant) + c) + "]";
            var centered = bias is null ? "-" + mean : "(" + bias + " - " + mean + ")";
            return "(" + centered + " * " + scale + ") + _parameters[" + (Expr.Name(bn.Bias!.Constant) + c) + "]";
        }

        /// <summary>The activation inference applies after the epilogue: the fused Add's, or the fused activation layer's.</summary>
        private static global::ConvGen.Activation Fused(LayerPlan lp) =>
            lp.FoldedAdd is { } add ? ((AddLayer)add.Layer).Activation : ((FusableActivationKind)lp.FoldedActivation!.Kind).Activation;

        /// <summary>" and its ReLU" after a fused Add's sum, or nothing when it has no activation.</summary>
        private static string Then(LayerPlan add) =>
            ((AddLayer)add.Layer).Activation is var a && a == global::ConvGen.Activation.None ? string.Empty : " and its " + a;

        private static string I(long value) => Literals.Int(value);
    }
}
