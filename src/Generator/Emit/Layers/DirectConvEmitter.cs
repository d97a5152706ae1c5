using ConvGen.Generator.Emit.Code;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// The forward of a Conv2D as a direct convolution (<c>ConvGen.Kernels.Convolution.DirectConvolution</c>: the input
    /// packed once per sample into 8- or 16-channel blocks, weights packed into the micro-kernel's order whenever they
    /// change, register-tiled FMA kernels, bias / folded BatchNorm / activation fused, plain output) instead of
    /// im2col + GEMM. The backward stays im2col: it reads only the stored input and output, which are the same either way.
    /// Like the GEMMs, one sample may use <c>_gemmThreads</c> threads (the input packed by channel blocks, then pairs of
    /// output-channel blocks × strips of output pixels per thread), bit-identical for every thread count.
    /// </summary>
    /// <remarks>
    /// The rule, per layer at build time, from <c>ConvGen.Benchmarks --conv 3</c> (bench/ConvGen.Benchmarks/ConvQuickRun.cs:
    /// one thread pinned to core 0 with <c>taskset -c 0</c>, AVX2 (Zen 3), direct ÷ im2col + GEMM measured alternately in
    /// one process, best of 3 rounds of thread CPU time; 2026-11-29 on the shared 2-core machine, load average 14–17, so
    /// read ±10%; the FMA peak measured 99 GFLOP/s in that run). Wins: 3×3 64→64 on 56×56 1.95× (84 GFLOP/s, 85% of
    /// peak), 3×3 128→128 on 28×28 1.20×, 3×3 64→128 stride 2 1.33×, 3×3 256→256 on 14×14 1.07× (1.03–1.08 over four
    /// runs), LeNet-5's conv2 (5×5, 20→50, 14×14) 1.32×, 3×3 32→32 on 5×5 2.9×. Losses: 3×3 512→512 on 7×7 0.80× (the
    /// 9 MB weight check alone takes 0.8–1.5 ms of each call), 3×3 128→256 stride 2 0.87–1.00×, 3×3 256→512 stride 2
    /// 0.73×, the 1×1 stride-2 shortcuts 128→256 and 256→512 0.64×, LeNet-5's conv1 (5×5, 1→20) 0.91–0.93× and classic
    /// LeNet-5's conv3 (16→120, 1×1 output) 0.70–0.87×. Few input channels are no loss in themselves (the reduction
    /// skips the padding lanes of the last channel block): a second run (same method, load average 6–10) measured the
    /// 7×7 stride-2 3→64 stem of ResNet-18 and GoogLeNet 2.30× (74 GFLOP/s against 32), AlexNet's 11×11 stride-4 3→64
    /// 2.14×, VGG's 3×3 3→64 on 224×224 1.47×, 3×3 3→16 and 4→16 1.24× and 1.50×, 5×5 3→32 1.34×, classic LeNet-5's
    /// c3 (5×5 6→16) 2.68×; with one input channel it is a draw (5×5 1→20 0.91×, 1→6 1.16×). What the losers share: a
    /// single input channel, an output row narrower than the 6-pixel AVX2 tile, a 1×1 kernel (a term per input
    /// channel only: the packed GEMM reuses its loads better), or many weights per output pixel at stride 2 (the strided
    /// rows are tiled row by row, a 7- or 14-wide row computing 12 or 18 pixels) or at 512 channels. So: direct when
    /// there is one group, no dilation (the kernels have neither), at least 3 input channels, output rows at least 5
    /// wide, a kernel larger than 1×1, and in-channels × kh × kw at most 2304 at stride 1, at most 1152 when strided (1024
    /// before the flat tiles below).
    /// The rule is chosen for the vector paths; on the scalar path direct runs at about the speed of im2col (0.98–1.05×
    /// on 3×3 64→64, 3×3 256→256 and LeNet-5's conv2, one round, load average 23).
    /// <para>Since the AVX2 kernel reads its pixels through a table and tiles run flat over the output (see
    /// <c>BlockedLayout</c>; <c>--conv 2</c>, same method, old and new build alternated, load average 9–15): LeNet-5's
    /// conv2 54 → 63–70 GFLOP/s (1.5–1.8× im2col; in a whole batch-64 LeNet-5 forward 175–183 → 141–144 µs per sample
    /// of thread CPU time), 3×3 128→256 stride 2 0.94–0.96× → 1.18–1.22×, 3×3 256→512 stride 2 0.59–0.77× → 1.00×,
    /// the 1×1 stride-2 shortcuts 0.63–0.70× → 0.86–1.04×, 3×3 64→64 on 56×56 unchanged within noise. So the strided
    /// limit went from 1024 to 1152, which moves ResNet-18's 3×3 128→256 stride 2 (1152 taps) to direct; 256→512
    /// (2304 taps, a draw) and the 1×1 shortcuts stay im2col.
    /// One input channel stays im2col on every path: a kernel that vectorizes over 16 output pixels of a row (4
    /// channels × 2 vectors, plain padded input, no transpose) ran LeNet-5's conv1 at 41–46 GFLOP/s alone, 19–20 µs per
    /// sample in the whole forward against im2col + GEMM's 16.5–17 (25 terms per call leave 8 accumulators too little
    /// work between the call, its epilogue and the 28-of-32-pixel rows), so it was not kept. The runtime's AVX2 tail
    /// kernel now computes every block of a one-input-channel conv that way with 12 accumulators (<c>BlockedLayout</c>):
    /// LeNet-5's conv1 1.11× im2col + GEMM alone (<c>--conv 9</c>, load average 6–9), but AVX-512 would still run the
    /// blocked kernel on it (unmeasured), so the rule stays.</para>
    /// </remarks>
    internal static class DirectConvEmitter
    {
        /// <summary>The suffix of the field holding the layer's <c>DirectConvolution</c>.</summary>
        public const string Field = "Direct";

        private const string Convolution = "global::ConvGen.Kernels.Convolution";

        /// <summary>Whether <paramref name="lp"/>'s forward runs as a direct convolution (see the remarks).</summary>
        public static bool Applies(LayerPlan lp)
        {
            var conv = (Conv2DLayer)lp.Layer;
            var pointwise = conv.KernelHeight == 1 && conv.KernelWidth == 1;
            var strided = conv.StrideHeight > 1 || conv.StrideWidth > 1;
            var depth = lp.Shape.In.Channels * conv.KernelHeight * conv.KernelWidth;
            return conv.Groups == 1 && conv.Dilation == 1 && lp.Shape.In.Channels >= 3 && lp.Shape.Out.Width >= 5 && !pointwise
                && depth <= (strided ? 1152 : 2304);
        }

        /// <summary>The field: one <c>DirectConvolution</c> per layer, shared by the workers (it packs under a lock).</summary>
        public static void EmitField(SourceWriter w, LayerPlan lp)
        {
            w.Line();
            w.Line("/// <summary>" + lp.Layer.Name + " as a direct convolution, shared by the workers; it repacks its weights whenever the parameters change.</summary>");
            w.Line("private readonly " + Convolution + ".DirectConvolution " + lp.Field(Field) + " = new(" + ConvKernelForward.ShapeLiteral(lp) + ");");
        }

        /// <summary>The summary of the forward step.</summary>
        public static string Summary(LayerPlan lp) =>
            "Forward of " + lp.Comment + ", as a direct convolution (no im2col)" + (ConvKernelForward.FoldText(lp) is { Length: > 0 } fold ? "; " + fold + "." : ".");
    }
}
