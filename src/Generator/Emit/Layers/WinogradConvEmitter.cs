using ConvGen.Generator.Emit.Code;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// The forward of a 3×3 stride-1 Conv2D by Winograd's minimal filtering F(2×2, 3×3)
    /// (<c>ConvGen.Kernels.Winograd.WinogradConvolution</c>: weights transformed whenever they change, input tiles
    /// transformed per chunk of tile rows, 16 packed products, the inverse transform fused with bias / folded BatchNorm /
    /// activation, plain output) instead of the direct convolution or im2col + GEMM. The backward stays im2col: it reads
    /// only the stored input and output, which are the same either way. One sample may use <c>_gemmThreads</c> threads
    /// (tile rows per thread, bit-identical for every count).
    /// </summary>
    /// <remarks>
    /// The rule, per layer at build time, from <c>ConvGen.Benchmarks --winograd 3</c> (bench/ConvGen.Benchmarks/WinogradQuickRun.cs:
    /// one thread pinned to core 0, AVX2, im2col + GEMM, direct and Winograd measured alternately in one process, best of 3
    /// rounds of thread CPU time, effective GFLOP/s = 2·K·C·9·OH·OW per call; the 2-core machine was shared, load average
    /// MEASURED_LOAD, so read ±15%): MEASURED_RATIOS. The largest error on those layers against a float64 reference, with
    /// non-negative inputs and Kaiming-scaled weights, is below 5·10⁻⁶ (F(4×4, 3×3) reached 6·10⁻⁵ at 512 channels, too
    /// close to the 1e-4 the outputs keep to PyTorch). What the losers share: few channels (the input transform is paid
    /// per output channel's worth of products, the output transform per input channel's) and outputs under 7 pixels wide
    /// or high (a 2×2 tile grid that fills too little of the 16-tile product panels). So: Winograd when the kernel is
    /// 3×3 with stride 1, no dilation and one group, at least 64 input and 64 output channels, and the output at least
    /// 7 × 7. The rule is chosen for the vector paths; the scalar path computes the same tiles one at a time.
    /// </remarks>
    internal static class WinogradConvEmitter
    {
        /// <summary>The suffix of the field holding the layer's <c>WinogradConvolution</c>.</summary>
        public const string Field = "Winograd";

        private const string Kernels = "global::ConvGen.Kernels";

        /// <summary>Whether <paramref name="lp"/>'s forward runs as Winograd F(2×2, 3×3) (see the remarks).</summary>
        public static bool Applies(LayerPlan lp)
        {
            var conv = (Conv2DLayer)lp.Layer;
            var s = lp.Shape;
            return conv.KernelHeight == 3 && conv.KernelWidth == 3 && conv.StrideHeight == 1 && conv.StrideWidth == 1 && conv.Dilation == 1 && conv.Groups == 1
                && s.In.Channels >= 64 && conv.Filters >= 64 && s.Out.Height >= 7 && s.Out.Width >= 7;
        }

        /// <summary>The field: one <c>WinogradConvolution</c> per layer, shared by the workers (it transforms the weights under a lock).</summary>
        public static void EmitField(SourceWriter w, LayerPlan lp)
        {
            var s = lp.Shape;
            var p = s.Padding;
            var shape = "new " + Kernels + ".Convolution.ConvolutionShape(inChannels: " + I(s.In.Channels) + ", inHeight: " + I(s.In.Height) + ", inWidth: " + I(s.In.Width)
                + ", outChannels: " + I(((Conv2DLayer)lp.Layer).Filters) + ", kernelHeight: 3, kernelWidth: 3, padTop: " + I(p.Top) + ", padLeft: " + I(p.Left)
                + ", padBottom: " + I(p.Bottom) + ", padRight: " + I(p.Right) + ")";
            w.Line();
            w.Line("/// <summary>" + lp.Layer.Name + " as Winograd F(2×2, 3×3), shared by the workers; it transforms its weights again whenever the parameters change.</summary>");
            w.Line("private readonly " + Kernels + ".Winograd.WinogradConvolution " + lp.Field(Field) + " = new(" + shape + ");");
        }

        /// <summary>The summary of the forward step.</summary>
        public static string Summary(LayerPlan lp) =>
            "Forward of " + lp.Comment + ", as Winograd F(2×2, 3×3) (no im2col)" + (lp.FoldedBatchNorm is null ? "." : "; in inference " + lp.FoldedBatchNorm.Layer.Name + " is folded in as a per-channel scale and shift.");

        /// <summary>The body of the forward step, inside the method <c>ConvEmitter</c> opened (it has <c>first</c> and <c>end</c>).</summary>
        public static void EmitForward(SourceWriter w, LayerPlan lp)
        {
            var conv = (Conv2DLayer)lp.Layer;
            var bn = lp.FoldedBatchNorm;
            var activation = RuntimeText.Activation(conv.Activation);
            w.Line("var weight = _parameters.AsSpan(" + lp.Weight!.Constant + ", " + I(lp.Weight.Length) + ");");
            string scale, shift, output, formula;
            if (bn is null)
            {
                if (conv.Bias)
                {
                    w.Line("var bias = _parameters.AsSpan(" + lp.Bias!.Constant + ", " + I(conv.Filters) + ");");
                }

                (scale, shift, output, formula) = ("scale: default", conv.Bias ? "shift: bias" : "shift: default", lp.Output.Sample(), conv.Bias ? "W ⊛ x + bias" : "W ⊛ x");
            }
            else
            {
                var eps = ((BatchNorm2DLayer)bn.Layer).Epsilon;
                w.Line("var fold = !_training;");
                w.Line("// per output channel: scale = 1 and shift = bias when training; " + bn.Layer.Name + "'s γ/√(var + ε) and β − mean·scale folded in when inferring");
                w.Line("global::System.Span<float> scale = stackalloc float[" + I(conv.Filters) + "];");
                w.Line("global::System.Span<float> shift = stackalloc float[" + I(conv.Filters) + "];");
                using (Loop.For(w, "c", conv.Filters, out var c))
                {
                    var bias = conv.Bias ? "_parameters[" + (Expr.Name(lp.Bias!.Constant) + c) + "]" : null;
                    var mean = "_buffers[" + (Expr.Name(bn.RunningMean!.Constant) + c) + "]";
                    w.Line("scale[" + c + "] = fold ? _parameters[" + (Expr.Name(bn.Weight!.Constant) + c) + "] / global::System.MathF.Sqrt(_buffers[" + (Expr.Name(bn.RunningVariance!.Constant) + c) + "] + " + Literals.Float(eps) + ") : 1f;");
                    var centered = bias is null ? "-" + mean : "(" + bias + " - " + mean + ")";
                    w.Line("shift[" + c + "] = fold ? (" + centered + " * scale[" + c + "]) + _parameters[" + (Expr.Name(bn.Bias!.Constant) + c) + "] : " + (bias ?? "0f") + ";");
                }

                (scale, shift, output, formula) = ("scale", "shift", "fold ? " + bn.Output.Sample() + " : " + lp.Output.Sample(), "(W ⊛ x)·scale + shift");
            }

            using (w.Block("for (var n = first; n < end; n++)"))
            {
                w.Line("var x = " + lp.Input.Sample() + ";");
                w.Line("var y = " + output + ";");
                w.Line("// y = " + (conv.Activation == Activation.None ? formula : conv.Activation + "(" + formula + ")") + ", by 2×2 output tiles");
                w.Line(lp.Field(Field) + ".Forward(x, weight, " + scale + ", " + shift + ", " + activation + ", y, threads: _gemmThreads);");
            }
        }

        private static string I(long value) => Literals.Int(value);
    }
}
