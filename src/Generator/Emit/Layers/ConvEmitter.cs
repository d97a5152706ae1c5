using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Emit.Code;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Layers
{
    /// <summary>
    /// Conv2D as im2col + GEMM. The gather (im2col) and scatter (col2im) loops are emitted once per geometry with every
    /// bound a literal and the kernel columns unrolled, each tap knowing which output columns read real input and which read padding.
    /// The GEMM is <c>ConvGen.Kernels.Gemm</c> (packed, register-tiled AVX2/AVX-512 with a scalar fallback).
    /// </summary>
    internal sealed class ConvEmitter : LayerEmitter
    {
        public static readonly ConvEmitter Instance = new();

        /// <remarks>
        /// Every conv that gathers reserves helper names (this sees one layer at a time); only the first conv of each
        /// geometry emits the helpers, under its names (<see cref="HelperOwner"/>).
        /// </remarks>
        public override LayerMembers Methods(LayerPlan lp)
        {
            var members = lp.HasBackward ? StepMembers("Forward", "Backward") : StepMembers("Forward");
            if (WinogradConvEmitter.Applies(lp))
            {
                members.Fields.Add(WinogradConvEmitter.Field);
            }
            else if (DirectConvEmitter.Applies(lp))
            {
                members.Fields.Add(DirectConvEmitter.Field);
            }
            else if (PacksWeights(lp))
            {
                members.Fields.Add(PackedWeightsField);
            }

            if (SplitsGather(lp))
            {
                members.Steps.Add(GatherPart);
            }

            if (Gathers(lp))
            {
                members.Others.Add("Gather");
            }

            if (Scatters(lp))
            {
                members.Others.Add("Scatter");
            }

            if (ConvolvesDataGradient(lp))
            {
                members.Fields.Add(DataGradientField);
            }

            if (WeightGradientKernel(lp) is not null)
            {
                members.Fields.Add(WeightGradientField);
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

        /// <summary>The im2col forward's gather, by output rows, where it has one.</summary>
        public override IEnumerable<Step> Parts(LayerPlan lp)
        {
            var g = new Geometry(lp);
            if (SplitsGather(lp))
            {
                yield return new Step(lp.Member(GatherPart), lp.Layer.Name + " forward: im2col of one sample", GatherSplit(g));
            }
        }

        /// <summary>The gather writes the im2col matrix and reads about as much, by output rows.</summary>
        private static SampleSplit GatherSplit(Geometry g) => SampleSplit.Pass(g.Taps.OutHeight, 2L * g.Taps.MatrixLength);

        /// <summary>The part step of the im2col forward that gathers some output rows of one sample.</summary>
        private const string GatherPart = "ForwardGather";

        /// <summary>The field holding the runtime convolution that runs <paramref name="lp"/>'s forward (Winograd or direct), or null for im2col + GEMM.</summary>
        public static string? KernelField(LayerPlan lp) =>
            lp.Layer is not Conv2DLayer ? null
            : WinogradConvEmitter.Applies(lp) ? lp.Field(WinogradConvEmitter.Field)
            : DirectConvEmitter.Applies(lp) ? lp.Field(DirectConvEmitter.Field)
            : null;

        /// <summary>
        /// Whether <paramref name="lp"/>'s forward kernel can add a residual in its epilogue (<see cref="LayerPlan.FoldedAdd"/>):
        /// every path of a conv with one group (the Winograd and the direct convolution, which only take one group, and
        /// the GEMM); not a grouped conv's, whose product is one group's slice.
        /// </summary>
        public static bool AddsResidual(LayerPlan lp) => new Geometry(lp).Groups == 1;

        /// <summary>The forward runs im2col + GEMM (neither the Winograd nor the direct convolution).</summary>
        private static bool Im2ColForward(LayerPlan lp) => !WinogradConvEmitter.Applies(lp) && !DirectConvEmitter.Applies(lp);

        /// <summary>The suffix of the field holding a GEMM forward's weights packed for the micro-kernels (<see cref="PacksWeights"/>).</summary>
        private const string PackedWeightsField = "PackedWeights";

        /// <summary>
        /// The field holding <paramref name="lp"/>'s forward weights packed for the GEMM (a <c>ConvGen.Kernels.PackedMatrix</c>),
        /// or null when the forward packs them on each call or does not run on the GEMM.
        /// </summary>
        public static string? PackedWeights(LayerPlan lp) => lp.Layer is Conv2DLayer && PacksWeights(lp) ? lp.Field(PackedWeightsField) : null;

        /// <summary>
        /// Whether the im2col (or pointwise) forward multiplies by weights packed ahead (<c>ConvGen.Kernels.PackedMatrix</c>,
        /// repacked only when the parameters change) instead of packing them on every call of the GEMM: one group (a
        /// grouped conv multiplies a slice of the weights per group), and more than one output channel and pixel (one row
        /// or one column takes the GEMM's matrix-vector loops, which read the weights as they are).
        /// </summary>
        /// <remarks>
        /// Packing A costs each call a pass over the weights, which is a large part of a product with few columns: with
        /// the weights packed ahead (<c>ConvGen.Benchmarks --gemm 5 packed</c>, one thread pinned to core 0, AVX2, thread
        /// CPU time, two runs, load average 1.0–1.1) GoogLeNet's 1×1 convs on 7×7 planes ran 1.06–1.13× faster, on 14×14
        /// 1.03–1.10×, on 28×28 1.01–1.03×, ResNet-18's 256→512 shortcut on 7×7 1.15–1.22×; and a product split over
        /// threads by columns no longer packs all of A in every block.
        /// </remarks>
        private static bool PacksWeights(LayerPlan lp)
        {
            var g = new Geometry(lp);
            return Im2ColForward(lp) && g.Groups == 1 && g.OutPerGroup > 1 && g.Pixels > 1;
        }

        /// <summary>
        /// The im2col forward's gather splits one sample by output rows: one group (a grouped conv gathers a group at a
        /// time, each before its own product) and more than one output row.
        /// </summary>
        private static bool SplitsGather(LayerPlan lp)
        {
            var g = new Geometry(lp);
            return Im2ColForward(lp) && !g.IsPointwise && g.Groups == 1 && g.Taps.OutHeight > 1;
        }

        /// <summary>The conv's forward has an epilogue: bias, an activation, a folded BatchNorm or a folded Add.</summary>
        private static bool HasEpilogue(LayerPlan lp)
        {
            var conv = (Conv2DLayer)lp.Layer;
            return conv.Bias || conv.Activation != Activation.None || lp.FoldedBatchNorm is not null || lp.FoldedAdd is not null;
        }

        public override void EmitMethods(SourceWriter w, LayerPlan lp, NetworkPlan plan)
        {
            var g = new Geometry(lp);
            var gather = Gathers(lp) ? HelperOwner(plan, g, scatter: false) : null;
            var scatter = Scatters(lp) ? HelperOwner(plan, g, scatter: true) : null;
            if (WinogradConvEmitter.Applies(lp))
            {
                WinogradConvEmitter.EmitField(w, lp);
                using (SampleMethod(w, lp.Member("Forward"), WinogradConvEmitter.Summary(lp), StepBody.KernelCalls))
                {
                    ConvKernelForward.Emit(w, lp, lp.Field(WinogradConvEmitter.Field), "by 2×2 output tiles");
                }
            }
            else if (DirectConvEmitter.Applies(lp))
            {
                DirectConvEmitter.EmitField(w, lp);
                using (SampleMethod(w, lp.Member("Forward"), DirectConvEmitter.Summary(lp), StepBody.KernelCalls))
                {
                    ConvKernelForward.Emit(w, lp, lp.Field(DirectConvEmitter.Field), "directly on 8- or 16-channel blocks");
                }
            }
            else
            {
                if (PacksWeights(lp))
                {
                    w.Line();
                    w.Line("/// <summary>" + lp.Layer.Name + "'s weights packed for the GEMM's micro-kernels, shared by the workers; repacked whenever the parameters change.</summary>");
                    w.Line("private readonly global::ConvGen.Kernels.PackedMatrix " + lp.Field(PackedWeightsField) + " = new(rows: " + I(g.OutPerGroup) + ", columns: " + I(g.Taps.Rows) + ");");
                }

                EmitForward(w, lp, g, gather?.Member("Gather"));
            }

            if (lp.HasBackward)
            {
                EmitBackward(w, lp, g, WeightGradientKernel(lp) is not null ? null : gather?.Member("Gather"), scatter?.Member("Scatter"));
            }

            if (gather == lp)
            {
                EmitTaps(w, plan, lp, g, scatter: false);
            }

            if (scatter == lp)
            {
                EmitTaps(w, plan, lp, g, scatter: true);
            }
        }

        /// <summary>
        /// The conv whose gather (or scatter) helper serves every conv of <paramref name="g"/>'s geometry: the first such
        /// conv (with a backward pass, for the scatter). Its helper is emitted once, under its name.
        /// </summary>
        private static LayerPlan HelperOwner(NetworkPlan plan, Geometry g, bool scatter) => Sharing(plan, g, scatter).First();

        /// <summary>The convs that share <paramref name="g"/>'s gather (or scatter) helper, in declaration order.</summary>
        private static IEnumerable<LayerPlan> Sharing(NetworkPlan plan, Geometry g, bool scatter) =>
            plan.Layers.Where(other => other.Layer is Conv2DLayer && (scatter ? Scatters(other) : Gathers(other)) && new Geometry(other).Taps == g.Taps);

        /// <summary>Whether a conv's backward adds ∂L/∂col back onto ∂L/∂x with a col2im scatter: not a pointwise one, and not one whose ∂L/∂x is a convolution (<see cref="ConvolvesDataGradient"/>).</summary>
        private static bool Scatters(LayerPlan lp) => lp.HasBackward && !new Geometry(lp).IsPointwise && !ConvolvesDataGradient(lp);

        /// <summary>The suffix of the field holding a conv's <c>DataGradient</c>.</summary>
        private const string DataGradientField = "DataGradient";

        /// <summary>
        /// Whether a conv's ∂L/∂x runs as a convolution of ∂L/∂z with the flipped, transposed weights, by Winograd or directly
        /// (<c>ConvGen.Kernels.ConvolutionBackward.DataGradient</c>) instead of ∂L/∂col = Wᵀ·∂L/∂z and a col2im scatter.
        /// </summary>
        /// <remarks>
        /// The kernel exists for one group, no dilation, stride 1 and paddings below the kernel's size. It is chosen when the
        /// forward runs by Winograd (and then so does this convolution: <see cref="WinogradDataGradient"/>), or when that
        /// convolution (∂L/∂z's channels in, the input's channels out) suits the direct kernels by the forward's rule
        /// (<see cref="DirectConvEmitter.Applies"/>: at least 8 channels in, rows at least 5 wide, channels in × kh × kw
        /// at most 1536) and it has at least 8 output channels (fewer leave most of each 8-channel block empty), and the
        /// conv is not pointwise (whose ∂L/∂x is already one GEMM on the planes). The direct kernels compute ∂L/∂x about as
        /// fast as the ∂L/∂col GEMM alone (<c>ConvGen.Benchmarks --backward</c>, AVX2, one thread, the direct ∂L/∂x's speed
        /// relative to that GEMM's: 0.96× on 3×3 64→64 56×56, 1.0× on 3×3 128→128 28×28, 0.73× on LeNet-5's 14-wide conv2,
        /// whose rows fill the 6-pixel tile poorly); the gain
        /// is the scatter, the clearing of ∂L/∂x and the ∂L/∂col matrix that are no longer written and read. Generated code,
        /// before ÷ after, pinned to one core, best of 4 alternating runs: the 3×3 64→64 56×56 conv's whole backward 1.16×,
        /// LeNet-5's training step 1.02× (within the noise of a shared machine).
        /// </remarks>
        private static bool ConvolvesDataGradient(LayerPlan lp)
        {
            var conv = (Conv2DLayer)lp.Layer;
            var s = lp.Shape;
            var stride1 = conv.StrideHeight == 1 && conv.StrideWidth == 1;
            var padding = s.Padding.Top < conv.KernelHeight && s.Padding.Bottom < conv.KernelHeight && s.Padding.Left < conv.KernelWidth && s.Padding.Right < conv.KernelWidth;
            return lp.HasBackward && conv.Groups == 1 && conv.Dilation == 1 && stride1 && padding && !new Geometry(lp).IsPointwise
                && (WinogradConvEmitter.Applies(lp)
                    || (conv.Filters >= 8 && s.In.Channels >= 8 && s.In.Width >= 5 && conv.Filters * conv.KernelHeight * conv.KernelWidth <= 1536));
        }

        /// <summary>
        /// Whether a conv's ∂L/∂x (<see cref="ConvolvesDataGradient"/>) runs by Winograd's F(2×2, 3×3): when its forward does
        /// (<see cref="WinogradConvEmitter.Applies"/>: 3×3, stride 1, at least 48 channels on each side, outputs at least
        /// 7×7), as the transposed convolution is then of the same kind: 3×3, stride 1, the same channel counts swapped, the
        /// input's size. The limit on channels × taps of the direct kernels does not apply to it.
        /// </summary>
        /// <remarks>
        /// The generated conv backward of <c>bench/ConvGen.SideBySide</c> (<c>--workloads conv3x3_64x56_bwd,conv3x3_128x28_bwd
        /// --no-torch --no-onnx --no-cold</c>, one thread, median call; the builds before and after alternated three times,
        /// load average 3.2–3.4; AVX-512 double-pumped, FMA peak 118 GFLOP/s): 3×3 64→64 on 56×56 4.65–4.72 → 3.73–3.83 ms
        /// (1.23×), 3×3 128→128 on 28×28 5.17–5.22 → 4.05–4.10 ms (1.27×). ∂L/∂x alone was 2.08 ms of the first
        /// (<c>ConvGen.Benchmarks --backward</c>: 111 GFLOP/s, 93% of the peak, by the direct kernels).
        /// </remarks>
        private static bool WinogradDataGradient(LayerPlan lp) => ConvolvesDataGradient(lp) && WinogradConvEmitter.Applies(lp);

        /// <summary>The suffix of the field holding a conv's weight-gradient kernel (<see cref="WeightGradientKernel"/>).</summary>
        private const string WeightGradientField = "WeightGradient";

        /// <summary>Output width from which a conv with fewer than <see cref="BlockedWeightGradientWideMinChannels"/> output channels runs its ∂L/∂W on <c>DirectWeightGradient</c> (see <see cref="WeightGradientKernel"/>).</summary>
        private const int DirectWeightGradientMinWidth = 24;

        /// <summary>Output height and width from which a conv whose forward runs by Winograd takes its ∂L/∂W by Winograd too (see <see cref="WeightGradientKernel"/>).</summary>
        private const int WinogradWeightGradientMinSize = 14;

        /// <summary>Output channels from which a conv's narrower ∂L/∂W runs on <c>BlockedWeightGradient</c> (see <see cref="WeightGradientKernel"/>).</summary>
        private const int BlockedWeightGradientMinChannels = 8;

        /// <summary>Output channels from which a conv's ∂L/∂W runs on <c>BlockedWeightGradient</c> whatever its width (see <see cref="WeightGradientKernel"/>).</summary>
        private const int BlockedWeightGradientWideMinChannels = 16;

        /// <summary>
        /// The runtime kernel (in <c>ConvGen.Kernels.ConvolutionBackward</c>) a conv's ∂L/∂W runs on without im2col, over
        /// all of the worker's samples in one call, or null for a gather and a ∂L/∂W GEMM per sample.
        /// </summary>
        /// <remarks>
        /// <para>The kernels exist for one group, no dilation and stride 1, and none is used for a pointwise conv (whose
        /// ∂L/∂W GEMM reads the input planes themselves, with no gather to save). Convs with at least
        /// <see cref="BlockedWeightGradientWideMinChannels"/> output channels, and those with rows narrower than
        /// <see cref="DirectWeightGradientMinWidth"/> and at least <see cref="BlockedWeightGradientMinChannels"/> channels,
        /// run on <c>BlockedWeightGradient</c>: output channels in vector lanes, the real output pixels one after another
        /// through an offset table, so narrow rows waste nothing but the last channel block's empty lanes (50 channels: 56
        /// lanes); fewer channels would leave most of a block empty. The other convs with rows at least
        /// <see cref="DirectWeightGradientMinWidth"/> wide run on <c>DirectWeightGradient</c>: each weight's sum is a dot
        /// product of a ∂L/∂z plane with a shifted, zero-padded input plane, pixels in vector lanes. Its sums run over the
        /// padded width, so a row's padding columns cost as much as its pixels: (w + pads) / w more work, 1.04× on 56-wide
        /// rows with padding 1 but 1.29× on LeNet-5's 14-wide conv2 with padding 2.</para>
        /// <para>Wide rows went to <c>DirectWeightGradient</c> whatever the channels until measured again on a double-pumped
        /// Zen 4 (a throwaway harness timing both kernels' Accumulate alternated in one process over 2–32 samples, best
        /// thread CPU time, <c>taskset -c 1</c>, load average 13–16; µs per sample direct against blocked, AVX-512 level,
        /// then AVX2): LeNet-5's conv1 with 20 channels (1→20, 5×5 on 28×28) 13.0 against 10.9, 12.4 against 10.8; 3×3 3→16 on
        /// 32×32 12.7 against 10.8, 11.9 against 10.6; 5×5 3→32 on 32×32 61.8 against 47.9, 59.9 against 47.4; 3×3 16→32
        /// on 32×32 106.5 against 88.0, 108.1 against 87.6; 5×5 6→16 on 28×28 47.3 against 35.9, 45.3 against 34.8; 3×3
        /// 32→64 on 64×64 1559 against 1444, 1562 against 1395; <c>ConvGen.Benchmarks --backward 2</c> (load 8–13): 3×3
        /// 128→128 on 28×28 2563 against 2108, 64→64 on 56×56 2278 against 2131 (both Winograd in generated code). With 8
        /// channels (1→8 on 28×28) direct won at the AVX-512 level, 5.6 against 8.0 (a 16-lane block half empty), and drew
        /// at AVX2, 5.1 against 5.1; with 6 (LeNet-5's classic conv1) 5.0 against 5.3 and 8.1. <c>taskset -c 1 dotnet
        /// bench/ConvGen.Benchmarks/bin/Release/net10.0/ConvGen.Benchmarks.dll --backward 3</c> repeats 1→20, 1→8 and 3→16
        /// (its ×32 columns, both levels, load 8–13): 12.7–13.2 against 11.3, 5.3–5.4 against 5.3 (AVX2) and 8.2 (AVX-512),
        /// 12.7–12.8 against 11.2–11.6.</para>
        /// <para>Measured with <c>ConvGen.Benchmarks --backward</c> (AVX2, one thread, thread CPU time, best of 3 alternating
        /// rounds, load average 2–4 on the shared 2-core machine), per sample of a worker's 32, against the ∂L/∂W GEMM alone
        /// (the gather, which both kernels save, comes on top: 57–158 µs in the benchmark's generic loop, ≈ 14 µs for
        /// LeNet-5's conv2 in a <c>perf</c> profile of the generated training step): LeNet-5's conv2 (20→50, 14×14, padding
        /// 2) blocked 135 µs, direct 163, GEMM 145; without padding (10×10) blocked 77, direct 96, GEMM 68; ResNetMnist's
        /// 3×3 32→32 on 14×14 blocked 51, direct 58, GEMM 53; its 3×3 64→64 on 7×7 blocked 46, direct 96, GEMM 48; LeNet-5's
        /// conv1 (1→6, 28 wide) direct 8.4, blocked 14.9. In the generated LeNet-5 batch-64 training step (one thread, thread
        /// CPU time, <c>perf</c>), conv2's ∂L/∂W fell from 19 % of the step (gather + GEMM) to 17.5 %, the step's best time
        /// from 47–50 ms to 45–48 ms. Earlier, at load 10–14: 3×3 64→64 56×56 direct 2.78 ms against the GEMM's
        /// 3.21–3.46 ms; 3×3 128→128 28×28 2.97–3.13 ms against 2.88–3.25 ms.</para>
        /// <para>A conv whose forward runs by Winograd (<see cref="WinogradConvEmitter.Applies"/>) with outputs of at least
        /// <see cref="WinogradWeightGradientMinSize"/>×<see cref="WinogradWeightGradientMinSize"/> runs on
        /// <c>WinogradWeightGradient</c>: F(2×2, 3×3), 16 multiply-adds per 2×2 tile and channel pair instead of 36, the
        /// sums over tiles as 16 GEMMs. Below 14×14 the tiles past a 7-wide plane's edge waste 30% and its 16 sums of out ×
        /// in channels (16 MB at 512 × 512) outweigh the work, so ResNet-18's last stage keeps the direct kernels. Measured on
        /// the generated backward of <c>bench/ConvGen.SideBySide</c> (the command in <see cref="WinogradDataGradient"/>'s
        /// remarks, one thread, the build before both Winograd backward kernels and the build with them alternated three
        /// times, load average 6.7–7.6): 3×3 64→64 on 56×56 4.65–4.69 → 3.05–3.19 ms (1.50×; the Winograd ∂L/∂x alone had
        /// made it 3.73–3.83), 3×3 128→128 on 28×28 5.15–5.23 → 3.01–3.06 ms (1.72×; 4.05–4.10).</para>
        /// </remarks>
        private static string? WeightGradientKernel(LayerPlan lp)
        {
            var conv = (Conv2DLayer)lp.Layer;
            if (!lp.HasBackward || conv.Groups != 1 || conv.Dilation != 1 || conv.StrideHeight != 1 || conv.StrideWidth != 1 || new Geometry(lp).IsPointwise)
            {
                return null;
            }

            return WinogradConvEmitter.Applies(lp) && lp.Shape.Out.Height >= WinogradWeightGradientMinSize && lp.Shape.Out.Width >= WinogradWeightGradientMinSize ? "WinogradWeightGradient"
                : conv.Filters >= BlockedWeightGradientWideMinChannels ? "BlockedWeightGradient"
                : lp.Shape.Out.Width >= DirectWeightGradientMinWidth ? "DirectWeightGradient"
                : conv.Filters >= BlockedWeightGradientMinChannels ? "BlockedWeightGradient"
                : null;
        }

        /// <summary>Whether a conv uses an im2col gather: not a pointwise one, and either its forward or its ∂L/∂W reads the columns.</summary>
        private static bool Gathers(LayerPlan lp) => !new Geometry(lp).IsPointwise && ((lp.HasBackward && WeightGradientKernel(lp) is null) || Im2ColForward(lp));

        private static void EmitForward(SourceWriter w, LayerPlan lp, Geometry g, string? gather)
        {
            var splitsGather = SplitsGather(lp);
            var fold = ConvKernelForward.FoldText(lp);
            using (SampleMethod(w, lp.Member("Forward"), "Forward of " + lp.Comment + "." + (fold.Length == 0 ? string.Empty : " " + char.ToUpperInvariant(fold[0]) + fold.Substring(1) + "."), StepBody.KernelCalls))
            {
                var factors = HasEpilogue(lp) ? ConvKernelForward.EmitFactors(w, lp) : default;
                var packed = PackedWeights(lp);
                if (packed is not null)
                {
                    w.Line(packed + ".SetValues(" + WeightSlice(lp, g, Expr.Constant(0)) + ", _writes.Stamp); // repacks only when the weights changed since the last call");
                }

                if (gather is not null)
                {
                    w.Line("var col = _scratch.Columns(worker).AsSpan(0, " + I(g.Taps.MatrixLength) + ");");
                }

                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line("var x = " + lp.Input.Sample() + ";");
                    w.Line("var y = " + ConvKernelForward.OutputSample(lp) + ";");
                    ConvKernelForward.EmitResidual(w, lp);
                    ForEachGroup(w, g, group =>
                    {
                        var x = GroupSlice("x", g, group, g.InPlane * g.Taps.InChannels);
                        if (splitsGather)
                        {
                            w.Line("// im2col; the batch's only worker splits its output rows over the threads (into its own columns)");
                            w.Line("if (_workers == 1) _runner.RunParts(" + lp.Member(GatherPart) + "Step, n, " + Split(GatherSplit(g)) + "); else " + gather + "(" + x + ", col);");
                        }
                        else if (gather is not null)
                        {
                            w.Line(gather + "(" + x + ", col);");
                        }

                        GemmCall.Emit(
                            w,
                            c: new Matrix("y", GroupSlice("y", g, group, g.OutPerGroup * g.Pixels), g.Pixels),
                            a: new Matrix("W", WeightSlice(lp, g, group), g.Taps.Rows),
                            transposeA: false,
                            b: gather is null ? new Matrix("x", x, g.Pixels) : new Matrix("col", "col", g.Pixels),
                            transposeB: false,
                            m: g.OutPerGroup,
                            n: g.Pixels,
                            k: g.Taps.Rows,
                            accumulate: false,
                            epilogue: HasEpilogue(lp) ? Epilogue(lp, g, group, factors) : null,
                            packedA: packed);
                    });
                }
            }

            if (splitsGather)
            {
                Doc(w, lp.Layer.Name + "'s im2col of sample n on the batch's only worker: this part's output rows, into that worker's columns.");
                using (w.Block("private void " + lp.Member(GatherPart) + "(int n, int part, int parts)"))
                {
                    w.Line("var (oy0, oy1) = global::ConvGen.Threading.Partition.Range(" + I(g.Taps.OutHeight) + ", part, parts);");
                    w.Line(gather + "(" + lp.Input.Sample() + ", _scratch.Columns(0).AsSpan(0, " + I(g.Taps.MatrixLength) + "), oy0, oy1);");
                }
            }
        }

        /// <summary>"units: 28, work: 1234": a part step's arguments to <c>RunParts</c>.</summary>
        private static string Split(SampleSplit split) => "units: " + I(split.Units) + ", work: " + I(split.Work);

        /// <summary>
        /// The im2col forward's epilogue as the GEMM's per-row epilogue (a row of the product is an output channel): this
        /// group's part of the factors <see cref="ConvKernelForward.EmitFactors"/> wrote, and the activation. Each block
        /// of a split product applies it to its own block, so the product and the epilogue fork once.
        /// </summary>
        private static GemmEpilogue Epilogue(LayerPlan lp, Geometry g, Expr group, (string Scale, string Shift, Func<string, string> Formula) factors)
        {
            string Slice(string span) => span == "default" ? span : GroupSlice(span, g, group, g.OutPerGroup);
            return new GemmEpilogue(
                factors.Formula,
                ConvKernelForward.Named("rowScale", Slice(factors.Scale)) + ", " + ConvKernelForward.Named("rowShift", Slice(factors.Shift))
                + (lp.FoldedAdd is null ? string.Empty : ", addend: " + ConvKernelForward.Residual) + ", activation: " + ConvKernelForward.Activation(lp));
        }

        private static void EmitBackward(SourceWriter w, LayerPlan lp, Geometry g, string? gather, string? scatter)
        {
            var conv = (Conv2DLayer)lp.Layer;
            var dx = lp.InputGradients[0];
            var convolves = ConvolvesDataGradient(lp);
            var winograd = WinogradDataGradient(lp);
            var weightKernel = WeightGradientKernel(lp);
            var summary = "Backward of " + lp.Comment + ": accumulates ∂L/∂weight" + (conv.Bias ? " and ∂L/∂bias" : string.Empty) + " into this worker's private sums"
                + (weightKernel is not null ? " (∂L/∂weight over all of its samples at once, without im2col)" : string.Empty) + " and "
                + (dx.Accumulates ? "adds its part of ∂L/∂" : "writes ∂L/∂") + dx.Value + (convolves ? ", as a " + (winograd ? "Winograd" : "direct") + " convolution of ∂L/∂z with the flipped, transposed weights." : ".");
            if (convolves)
            {
                EmitDataGradientField(w, lp);
            }

            if (weightKernel is not null)
            {
                w.Line();
                w.Line("/// <summary>∂L/∂weight of " + lp.Layer.Name + " without im2col; it holds only the shape, so the workers share it.</summary>");
                w.Line("private readonly global::ConvGen.Kernels.ConvolutionBackward." + weightKernel + " " + lp.Field(WeightGradientField)
                    + " = new(" + ConvKernelForward.ShapeLiteral(lp) + ");");
            }

            using (SampleMethod(w, lp.Member("Backward"), summary, StepBody.KernelCalls))
            {
                w.Line("var local = _scratch.LocalGradients(worker);");
                w.Line("var dWeight = local.AsSpan(" + lp.Member("LocalGradients") + ", " + I(lp.Weight!.Length) + ");");
                if (dx.IsNetworkInput)
                {
                    w.Line("var inputGradient = _needInputGradient;");
                }

                if (gather is not null)
                {
                    w.Line("var col = _scratch.Columns(worker).AsSpan(0, " + I(g.Taps.MatrixLength) + ");");
                }

                if (scatter is not null)
                {
                    w.Line("var dcol = _scratch.ColumnGradients(worker).AsSpan(0, " + I(g.Taps.MatrixLength) + ");");
                }

                if (convolves)
                {
                    w.Line((dx.IsNetworkInput ? "if (inputGradient) " : string.Empty) + lp.Field(DataGradientField) + ".SetWeights(" + Spans.AsSpan("_parameters", Expr.Name(lp.Weight.Constant), lp.Weight.Length) + ", _writes.Stamp);");
                }

                using (w.Block("for (var n = first; n < end; n++)"))
                {
                    w.Line("var x = " + lp.Input.Sample() + ";");
                    w.Line("var dy = " + lp.OutputGradient.Sample() + ";");
                    w.Line("var dx = " + dx.View.Sample() + ";");
                    if (conv.Activation != Activation.None)
                    {
                        w.Line("// ∂L/∂z = ∂L/∂y ⊙ " + conv.Activation + "′, from the stored output y");
                        w.Line(Kernels + ".VectorOps.ActivationBackward(dy, " + lp.Output.Sample() + ", " + ActivationLiteral(conv.Activation) + ");");
                    }

                    if (conv.Bias)
                    {
                        w.Line("// ∂L/∂bias[c] = Σ over pixels of ∂L/∂z[c]");
                        using (Loop.For(w, "c", conv.Filters, out var c))
                        {
                            w.Line("local[" + (Expr.Name(lp.Member("LocalGradients")) + lp.Weight.Length + c) + "] += " + Kernels + ".VectorOps.Sum(" + Spans.Slice("dy", c * g.Pixels, g.Pixels) + ");");
                        }
                    }

                    ForEachGroup(w, g, group =>
                    {
                        var x = GroupSlice("x", g, group, g.InPlane * g.Taps.InChannels);
                        var dy = GroupSlice("dy", g, group, g.OutPerGroup * g.Pixels);
                        if (gather is not null)
                        {
                            w.Line(gather + "(" + x + ", col);");
                        }

                        if (weightKernel is null)
                        {
                            GemmCall.Emit(
                                w,
                                c: new Matrix("∂L/∂W", GroupSlice("dWeight", g, group, g.OutPerGroup * g.Taps.Rows), g.Taps.Rows),
                                a: new Matrix("∂L/∂z", dy, g.Pixels),
                                transposeA: false,
                                b: g.IsPointwise ? new Matrix("x", x, g.Pixels) : new Matrix("col", "col", g.Pixels),
                                transposeB: true,
                                m: g.OutPerGroup,
                                n: g.Taps.Rows,
                                k: g.Pixels,
                                accumulate: true);
                        }

                        using (dx.IsNetworkInput ? w.Block("if (inputGradient)") : null)
                        {
                            if (convolves)
                            {
                                w.Line("// ∂L/∂x = ∂L/∂z ⊛ W′ (W′[i, o] = W[o, i] turned by 180°, padding kernel − 1 − pad), "
                                    + (winograd ? "by Winograd F(2×2, 3×3)" : "directly on 8- or 16-channel blocks"));
                                w.Line(lp.Field(DataGradientField) + ".Compute(dy, dx, accumulate: " + (dx.Accumulates ? "true" : "false") + ", threads: _gemmThreads);");
                                return;
                            }

                            if (g.IsPointwise)
                            {
                                w.Line("// 1×1, stride 1: the columns are the input planes");
                            }

                            GemmCall.Emit(
                                w,
                                c: g.IsPointwise ? new Matrix("∂L/∂x", GroupSlice("dx", g, group, g.InPlane * g.Taps.InChannels), g.Pixels) : new Matrix("∂L/∂col", "dcol", g.Pixels),
                                a: new Matrix("W", WeightSlice(lp, g, group), g.Taps.Rows),
                                transposeA: true,
                                b: new Matrix("∂L/∂z", dy, g.Pixels),
                                transposeB: false,
                                m: g.Taps.Rows,
                                n: g.Pixels,
                                k: g.OutPerGroup,
                                accumulate: g.IsPointwise && dx.Accumulates);
                            if (scatter is not null)
                            {
                                var groupDx = GroupSlice("dx", g, group, g.InPlane * g.Taps.InChannels);
                                w.Line("// ∂L/∂x: add every column back onto the input pixel it was gathered from" + (dx.Accumulates ? string.Empty : " (onto zeros: this layer alone writes it)"));
                                if (!dx.Accumulates)
                                {
                                    w.Line(groupDx + ".Clear();");
                                }

                                w.Line(scatter + "(dcol, " + groupDx + ");");
                            }
                        }
                    });
                }

                if (weightKernel is not null)
                {
                    EmitWeightGradientKernel(w, lp, weightKernel);
                }
            }
        }

        /// <summary>
        /// ∂L/∂W += Σ over samples [first, end) of ∂L/∂z ⋆ x: one call after the sample loop has turned every ∂L/∂y into
        /// ∂L/∂z. A view that is a channel slice (samples further apart than their length) has no span for zero samples,
        /// hence the test then.
        /// </summary>
        private static void EmitWeightGradientKernel(SourceWriter w, LayerPlan lp, string kernel)
        {
            var samples = Expr.Name("end") - Expr.Name("first");
            string Batch(ValueView view) => view.At(Expr.Name("first"), Expr.Zero, view.IsWhole ? samples * view.Length : (samples - 1) * view.Stride + view.Length) + ", " + I(view.Stride);
            w.Line("// ∂L/∂W += Σ over this worker's samples of ∂L/∂z ⋆ x, without im2col ("
                + (kernel switch
                {
                    "WinogradWeightGradient" => "by Winograd F(2×2, 3×3): per position of the 4×4 transformed tile, one product over the tiles)",
                    "BlockedWeightGradient" => "output channels in vector lanes, the output pixels one after another)",
                    _ => "every weight a dot product of a ∂L/∂z plane with a shifted input plane)",
                }));
            w.Line((lp.Input.IsWhole && lp.OutputGradient.IsWhole ? string.Empty : "if (end > first) ") + lp.Field(WeightGradientField) + ".Accumulate("
                + Batch(lp.Input) + ", " + Batch(lp.OutputGradient) + ", " + samples + ", dWeight, threads: _gemmThreads);");
        }

        /// <summary>The field: one <c>DataGradient</c> per conv, shared by the workers (it flips and packs under a lock).</summary>
        private static void EmitDataGradientField(SourceWriter w, LayerPlan lp)
        {
            const string Namespace = "global::ConvGen.Kernels.ConvolutionBackward.";
            var winograd = WinogradDataGradient(lp);
            w.Line();
            w.Line("/// <summary>∂L/∂x of " + lp.Layer.Name + (winograd ? " by Winograd F(2×2, 3×3)" : " as a direct convolution")
                + ", shared by the workers; it flips and repacks the weights whenever the parameters change.</summary>");
            w.Line("private readonly " + Namespace + "DataGradient " + lp.Field(DataGradientField)
                + " = new(" + ConvKernelForward.ShapeLiteral(lp) + (winograd ? ", " + Namespace + "DataGradientMethod.Winograd" : string.Empty) + ");");
        }

        /// <summary>
        /// im2col (gather: col[tap, pixel] = x[c, oy·s + ky·d − pad, ox·s + kx·d − pad], zero outside) and its adjoint
        /// col2im (scatter: x[...] += col[tap, pixel]) — the same loops, differing only in the direction of the copy.
        /// Emitted once per geometry and shared by the convs that have it.
        /// </summary>
        private static void EmitTaps(SourceWriter w, NetworkPlan plan, LayerPlan lp, Geometry g, bool scatter)
        {
            var t = g.Taps;
            var users = string.Join(", ", Sharing(plan, g, scatter).Select(l => l.Layer.Name));
            Doc(w, scatter
                ? "col2im for " + users + ": adds each of the " + I(t.Rows) + " column rows back onto one group's input planes (the adjoint of "
                    + (Sharing(plan, g, scatter: false).Any() ? HelperOwner(plan, g, scatter: false).Member("Gather") : "im2col") + ")."
                : "im2col for " + users + ": one row of " + I(t.Pixels) + " output pixels per (channel, ky, kx) tap of one group; padding reads as zero."
                    + (t.OutHeight > 1 ? " Only output rows [oy0, oy1), all by default, so threads can share one sample." : string.Empty));
            var signature = scatter
                ? "private static void " + lp.Member("Scatter") + "(global::System.ReadOnlySpan<float> col, global::System.Span<float> x)"
                : "private static void " + lp.Member("Gather") + "(global::System.ReadOnlySpan<float> x, global::System.Span<float> col" + (t.OutHeight > 1 ? ", int oy0 = 0, int oy1 = " + I(t.OutHeight) : string.Empty) + ")";
            var inPlane = t.InHeight * t.InWidth;
            var rowLength = t.KernelWidth * t.Pixels;
            using (w.Block(signature))
            using (Loop.For(w, "c", t.InChannels, out var c))
            {
                w.Line("var plane = " + Spans.Slice("x", c * inPlane, inPlane) + ";");
                using (Loop.For(w, "ky", t.KernelHeight, out var ky))
                {
                    w.Line("var taps = " + Spans.Slice("col", (c * t.KernelHeight + ky) * rowLength, rowLength) + ";");
                    var oy = Expr.Name("oy");
                    using (!scatter && t.OutHeight > 1 ? w.Block("for (var oy = oy0; oy < oy1; oy++)") : Loop.For(w, "oy", t.OutHeight, out oy))
                    {
                        EmitOutputRow(w, t, oy * t.StrideHeight + ky * t.Dilation - t.PadTop, oy, scatter);
                    }
                }
            }
        }

        /// <summary>One output row's taps from input row <paramref name="iy"/>, or zeros where that row lies in the padding.</summary>
        private static void EmitOutputRow(SourceWriter w, TapGeometry t, Expr iy, Expr oy, bool scatter)
        {
            if (iy.Value is long row)
            {
                // The input row is known here: it is padding or it is not.
                if (row >= 0 && row < t.InHeight)
                {
                    EmitRow(w, t, iy, oy, scatter);
                }
                else if (!scatter)
                {
                    EmitPaddingRow(w, t, oy);
                }

                return;
            }

            if (t.RowsStayInside)
            {
                EmitRow(w, t, iy, oy, scatter);
                return;
            }

            w.Line("var iy = " + iy + ";");
            using (w.Block("if ((uint)iy >= " + I(t.InHeight) + "u)"))
            {
                if (!scatter)
                {
                    EmitPaddingRow(w, t, oy);
                }

                w.Line("continue;");
            }

            EmitRow(w, t, Expr.Name("iy"), oy, scatter);
        }

        private static void EmitPaddingRow(SourceWriter w, TapGeometry t, Expr oy)
        {
            w.Line("// this kernel row lies in the top/bottom padding for the whole output row");
            using (Loop.For(w, "kx", t.KernelWidth, out var kx))
            {
                w.Line(Spans.Slice("taps", kx * t.Pixels + oy * t.OutWidth, t.OutWidth) + ".Clear();");
            }
        }

        private static void EmitRow(SourceWriter w, TapGeometry t, Expr iy, Expr oy, bool scatter)
        {
            w.Line("var row = " + Spans.Slice("plane", iy * t.InWidth, t.InWidth) + ";");
            for (var kx = 0; kx < t.KernelWidth; kx++)
            {
                EmitTap(w, t, kx, oy, scatter);
            }
        }

        private static void EmitTap(SourceWriter w, TapGeometry g, int kx, Expr oy, bool scatter)
        {
            // Output column ox reads input column ox·stride + offset; [lo, hi) are the ones inside the input.
            var offset = (kx * g.Dilation) - g.PadLeft;
            var stride = g.StrideWidth;
            var lo = Math.Max(0, CeilDiv(-offset, stride));
            var hi = Math.Min(g.OutWidth, FloorDiv(g.InWidth - 1 - offset, stride) + 1);
            hi = Math.Max(hi, lo);
            var t = "t" + I(kx);
            w.Line("// kx = " + I(kx) + ": output columns " + I(lo) + ".." + I(hi - 1) + " read input column " + (Expr.Name("ox") * stride + offset)
                + (lo > 0 || hi < g.OutWidth ? "; the rest is padding" : string.Empty));
            w.Line("var " + t + " = " + Spans.Slice("taps", kx * g.Pixels + oy * g.OutWidth, g.OutWidth) + ";");
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
                w.Line(Spans.Slice(t, 0, lo) + ".Clear();");
            }

            if (stride == 1)
            {
                var source = Spans.Part("row", g.InWidth, lo + offset, hi - lo);
                w.Line(scatter
                    ? Kernels + ".VectorOps.Add(" + Spans.Part(t, g.OutWidth, lo, hi - lo) + ", " + source + ");"
                    : source + ".CopyTo(" + (lo == 0 ? t : Spans.Slice(t, lo)) + ");");
            }
            else
            {
                using (Loop.Range(w, "ox", lo, hi, out var ox))
                {
                    var source = ox * stride + offset;
                    w.Line(scatter ? "row[" + source + "] += " + t + "[" + ox + "];" : t + "[" + ox + "] = row[" + source + "];");
                }
            }

            if (!scatter && hi < g.OutWidth)
            {
                w.Line(Spans.Slice(t, hi) + ".Clear();");
            }
        }

        private static void ForEachGroup(SourceWriter w, Geometry g, Action<Expr> body)
        {
            using (Loop.For(w, "group", g.Groups, out var group))
            {
                body(group);
            }
        }

        /// <summary>One group's part of a per-sample span; the whole span when there is one group.</summary>
        private static string GroupSlice(string span, Geometry g, Expr group, int length) =>
            g.Groups == 1 ? span : Spans.Slice(span, group * length, length);

        private static string WeightSlice(LayerPlan lp, Geometry g, Expr group) =>
            Spans.AsSpan("_parameters", Expr.Name(lp.Weight!.Constant) + group * (g.OutPerGroup * g.Taps.Rows), g.OutPerGroup * g.Taps.Rows);

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
                OutPerGroup = conv.Filters / conv.Groups;
                InPlane = shape.In.Height * shape.In.Width;
                Pixels = shape.Out.Height * shape.Out.Width;
                Taps = new TapGeometry(
                    shape.In.Channels / conv.Groups, shape.In.Height, shape.In.Width, conv.KernelHeight, conv.KernelWidth,
                    conv.StrideHeight, conv.StrideWidth, conv.Dilation, shape.Padding.Top, shape.Padding.Left, shape.Out.Height, shape.Out.Width);
                IsPointwise = conv.KernelHeight == 1 && conv.KernelWidth == 1 && conv.StrideHeight == 1 && conv.StrideWidth == 1 && shape.Padding.IsZero;
            }

            public int Groups { get; }

            public int OutPerGroup { get; }

            public int InPlane { get; }

            public int Pixels { get; }

            /// <summary>What the gather and scatter helpers depend on: convs equal in it share them.</summary>
            public TapGeometry Taps { get; }

            /// <summary>1×1, stride 1, no padding: the input planes already are the im2col matrix.</summary>
            public bool IsPointwise { get; }
        }

        /// <summary>One group's input (channels, height, width), the kernel's size, stride, dilation and top-left padding, and the output plane.</summary>
        private sealed record TapGeometry(
            int InChannels, int InHeight, int InWidth, int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int Dilation, int PadTop, int PadLeft, int OutHeight, int OutWidth)
        {
            public int Pixels => OutHeight * OutWidth;

            /// <summary>Rows of the im2col matrix: one per (channel, ky, kx).</summary>
            public int Rows => InChannels * KernelHeight * KernelWidth;

            /// <summary>True when every kernel row of every output row reads an input row: no top or bottom padding is ever read.</summary>
            public bool RowsStayInside => PadTop == 0 && ((OutHeight - 1) * StrideHeight) + ((KernelHeight - 1) * Dilation) < InHeight;

            /// <summary>Floats in the im2col matrix.</summary>
            public int MatrixLength => Rows * Pixels;
        }
    }
}
