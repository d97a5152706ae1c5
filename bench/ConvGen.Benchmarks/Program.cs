using System;
using BenchmarkDotNet.Running;

namespace ConvGen.Benchmarks
{
    public static class Program
    {
        /// <summary>
        /// BenchmarkDotNet entry point: pick benchmarks with <c>--filter</c>. <c>--quick</c> instead runs a few-second
        /// Stopwatch measurement of the kernel shapes (handy while tuning; BenchmarkDotNet numbers are the ones to quote);
        /// <c>--conv [rounds] [scalar]</c> measures direct convolution against im2col + GEMM (see <see cref="ConvQuickRun"/>);
        /// <c>--winograd [rounds] [scalar]</c> measures Winograd F(2×2, 3×3) against both (see <see cref="WinogradQuickRun"/>);
        /// <c>--winograd-residual [calls]</c> measures Winograd with a residual Add fused in against a separate Add (see <see cref="ResidualQuickRun"/>);
        /// <c>--direct-residual [calls]</c> measures the direct convolution with a residual Add fused in against a separate Add (see <see cref="ResidualQuickRun"/>);
        /// <c>--backward [rounds] [scalar]</c> times a conv backward's parts (see <see cref="BackwardQuickRun"/>);
        /// <c>--gemm [rounds] [name ...]</c> compares packed and in-place B panels on conv-shaped products (see <see cref="GemmQuickRun"/>);
        /// <c>--dense [rounds] [name ...]</c> measures a Dense layer's forward on plain weights against weights packed ahead, batch 1 to 64 (see <see cref="DenseQuickRun"/>);
        /// <c>--pool [rounds] [scalar] [backward]</c> measures the max-pool kernels (forward, or backward) against the old emitted loops (see <see cref="PoolQuickRun"/>);
        /// <c>--addend [rounds]</c> measures ResNet-18's shortcut products with the residual Add fused into the epilogue against a separate Add (see <see cref="AddendQuickRun"/>);
        /// <c>--split [rounds]</c> measures where splitting one call over two threads pays (see <see cref="SplitQuickRun"/>);
        /// <c>--kernel-startup [repeats] [case ...]</c> compares the kernels' first second with their steady state (see <see cref="KernelStartup"/>).
        /// </summary>
        public static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "--kernel-startup")
            {
                return KernelStartup.Run(args.AsSpan(1).ToArray());
            }

            if (args.Length > 0 && args[0] == "--conv")
            {
                ConvQuickRun.Run(args.AsSpan(1).ToArray());
                return 0;
            }

            if (args.Length > 0 && args[0] == "--winograd")
            {
                WinogradQuickRun.Run(args.AsSpan(1).ToArray());
                return 0;
            }

            if (args.Length > 0 && args[0] == "--winograd-residual")
            {
                ResidualQuickRun.Winograd(args.AsSpan(1).ToArray());
                return 0;
            }

            if (args.Length > 0 && args[0] == "--direct-residual")
            {
                ResidualQuickRun.Direct(args.AsSpan(1).ToArray());
                return 0;
            }

            if (args.Length > 0 && args[0] == "--backward")
            {
                BackwardQuickRun.Run(args.AsSpan(1).ToArray());
                return 0;
            }

            if (args.Length > 0 && args[0] == "--gemm")
            {
                GemmQuickRun.Run(args.AsSpan(1).ToArray());
                return 0;
            }

            if (args.Length > 0 && args[0] == "--dense")
            {
                DenseQuickRun.Run(args.AsSpan(1).ToArray());
                return 0;
            }

            if (args.Length > 0 && args[0] == "--pool")
            {
                PoolQuickRun.Run(args.AsSpan(1).ToArray());
                return 0;
            }

            if (args.Length > 0 && args[0] == "--addend")
            {
                AddendQuickRun.Run(args.AsSpan(1).ToArray());
                return 0;
            }

            if (args.Length > 0 && args[0] == "--split")
            {
                SplitQuickRun.Run(args.AsSpan(1).ToArray());
                return 0;
            }

            if (args.Length > 0 && args[0] == "--quick")
            {
                QuickRun.Run(args.AsSpan(1).ToArray());
                return 0;
            }

            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }
    }
}
