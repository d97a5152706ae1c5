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
    /// one thread pinned to core 0, AVX2, im2col + GEMM, the direct convolution (as of its 36 KB weight chunks) and Winograd
    /// measured alternately in one process, best of 2–3 rounds of thread CPU time, effective GFLOP/s = 2·K·C·9·OH·OW per
    /// call; the 2-core machine was shared, load average 19–24, so read ±15%). Against the way the layer ran before (direct,
    /// or im2col where the direct rule declines): ResNet-18's 64→64 on 56×56 1.41× direct (115 effective GFLOP/s), 128→128
    /// on 28×28 1.66× direct, 256→256 on 14×14 2.02× direct, 512→512 on 7×7 1.21× im2col; GoogLeNet's 96→128 and 128→192
    /// on 28×28 1.63× and 1.54× direct, 96→208 on 14×14 1.74× direct, 160→320 on 7×7 1.76× direct; 48→48 on 28×28 1.49×
    /// and 64→64 on 7×7 1.34× direct; but 32→32 on 7×7 0.90–1.07×, 16→32 on 14×14 0.80×, 16→16 on 7×7 0.84×, 8→8 on 28×28
    /// 0.96×, 64→64 on 6×6 0.85× and 32→64 on 5×5 0.71× direct, 3→64 on 56×56 0.78× im2col. What the losers share: too few
    /// channels to pay for the transforms (the input transform is paid once per input channel, the output transform once
    /// per output channel, against products that shrink with both), or an output under 7 pixels wide or high (its 2×2
    /// tiles fill too little of the 16-tile product panels). The largest error on those layers against a float64
    /// reference, with non-negative inputs and Kaiming-scaled weights, is 4.3·10⁻⁶ (at 512 channels; F(4×4, 3×3) reached
    /// 6·10⁻⁵ there, too close to the 1e-4 the outputs keep to PyTorch). So: Winograd when the kernel is 3×3 with stride 1,
    /// no dilation and one group, with at least 48 input and 48 output channels and an output at least 7 × 7. The rule is
    /// chosen for the vector paths; the scalar path computes the same tiles one at a time.
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
                && s.In.Channels >= 48 && conv.Filters >= 48 && s.Out.Height >= 7 && s.Out.Width >= 7;
        }

        /// <summary>The field: one <c>WinogradConvolution</c> per layer, shared by the workers (it transforms the weights under a lock).</summary>
        public static void EmitField(SourceWriter w, LayerPlan lp)
        {
            w.Line();
            w.Line("/// <summary>" + lp.Layer.Name + " as Winograd F(2×2, 3×3), shared by the workers; it transforms its weights again whenever the parameters change.</summary>");
            w.Line("private readonly " + Kernels + ".Winograd.WinogradConvolution " + lp.Field(Field) + " = new(" + ConvKernelForward.ShapeLiteral(lp) + ");");
        }

        /// <summary>The summary of the forward step.</summary>
        public static string Summary(LayerPlan lp) =>
            "Forward of " + lp.Comment + ", as Winograd F(2×2, 3×3) (no im2col)" + (ConvKernelForward.FoldText(lp) is { Length: > 0 } fold ? "; " + fold + "." : ".");
    }
}
