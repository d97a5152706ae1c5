using System;
using System.Linq;
using System.Reflection;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.ConvolutionBackward;
using ConvGen.Kernels.Pooling;
using ConvGen.Networks;
using ConvGen.Threading;

namespace ConvGen.Runtime.Tests.Networks
{
    /// <summary>
    /// The runtime's part of every network call — the runner's entry points and passes, the worker pool's fork, the call
    /// guard, the kernels' per-call entry points (and the Winograd weight gradient's loops, which a fresh pinned process
    /// otherwise ran at tier 0 or OSR for its whole first seconds: the 3×3 64→64 56×56 backward's warm median in such a
    /// process 4.3 ms against 3.0), and a training step's loss, input checks and optimizer update — is compiled fully optimized on its first call (AggressiveOptimization).
    /// Left to tiered compilation, each of these and each small method it calls was compiled three times (tier 0,
    /// instrumented tier 0, tier 1) during a fresh process's first second, on the core the calls run on
    /// (docs/performance.md, cold start).
    /// </summary>
    public class DispatchCompilationTests
    {
        public static TheoryData<Type, string> PerCallMethods => new()
        {
            { typeof(NetworkRunner), nameof(NetworkRunner.Forward) },
            { typeof(NetworkRunner), nameof(NetworkRunner.Backward) },
            { typeof(NetworkRunner), nameof(NetworkRunner.TrainStep) },
            { typeof(NetworkRunner), nameof(NetworkRunner.Run) },
            { typeof(NetworkRunner), nameof(NetworkRunner.RunParts) },
            { typeof(NetworkRunner), "RunStep" },
            { typeof(NetworkRunner), "RunOnWorkers" },
            { typeof(NetworkRunner), "RunInParts" },
            { typeof(NetworkRunner), "RunForward" },
            { typeof(NetworkRunner), "RunBackward" },
            { typeof(CallGuard), nameof(CallGuard.Enter) },
            { typeof(CallGuard), nameof(CallGuard.Exit) },
            { typeof(WorkerPool), nameof(WorkerPool.For) },
            { typeof(WorkerPool), nameof(WorkerPool.KeepWorkersSpinning) },
            { typeof(WorkerPool.SpinningScope), nameof(WorkerPool.SpinningScope.Dispose) },
            { typeof(WorkerScratch), "Ensure" },
            { typeof(DirectConvolution), nameof(DirectConvolution.Apply) },
            { typeof(DirectConvolution), "Execute" },
            { typeof(WeightSnapshot), nameof(WeightSnapshot.Matches) },
            { typeof(WinogradWeightGradient), nameof(WinogradWeightGradient.Accumulate) },
            { typeof(WinogradWeightGradient), "Transform" },
            { typeof(WinogradWeightGradient), "Multiply" },
            { typeof(WinogradWeightGradient), "TransformInputVector" },
            { typeof(WinogradWeightGradient), "TransformGradientVector" },
            { typeof(WinogradWeightGradient), "TransformSums" },
            { typeof(INetwork).Assembly.GetType("ConvGen.Kernels.ConvolutionBackward.SampleBatch", throwOnError: true)!, "PackPadded" },
            { typeof(INetwork).Assembly.GetType("ConvGen.Kernels.ConvolutionBackward.SampleBatch", throwOnError: true)!, "PackGradientRows" },
            { typeof(PoolingArguments), nameof(PoolingArguments.Channels) },
            { typeof(Gemm), nameof(Gemm.Multiply) },
            { typeof(Gemm), nameof(Gemm.MultiplyRows) },
            { typeof(DenseForward), nameof(DenseForward.Apply) },
            { typeof(DenseForward), "ApplyPlain" },
            { typeof(DenseForward), "Transpose" },
            { typeof(DenseForward), "TransposeEdge" },
            { typeof(INetwork).Assembly.GetType("ConvGen.Kernels.SampleDots", throwOnError: true)!, "Multiply" },
            { typeof(INetwork).Assembly.GetType("ConvGen.Kernels.SampleDots", throwOnError: true)!, "Group" },
            { typeof(PackedMatrix), nameof(PackedMatrix.SetValues) },
            { typeof(Sgd), nameof(Sgd.Step) },
            { typeof(INetwork).Assembly.GetType("ConvGen.AdamMoments", throwOnError: true)!, "Step" },
            { typeof(Losses), nameof(Losses.SoftmaxCrossEntropy) },
            { typeof(Losses), nameof(Losses.CrossEntropyFromProbabilities) },
            { typeof(Losses), nameof(Losses.MeanSquaredError) },
            { typeof(TrainingInput), nameof(TrainingInput.RequireLabels) },
            { typeof(TrainingInput), nameof(TrainingInput.IndexOfNonFinite) },
        };

        [Theory]
        [MemberData(nameof(PerCallMethods))]
        public void Is_compiled_fully_optimized_on_its_first_call(Type type, string name)
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var methods = type.GetMethods(all).Where(m => m.Name == name).ToList();
            Assert.NotEmpty(methods);
            foreach (var method in methods)
            {
                // Every overload: each runs on its own calls.
                Assert.True((method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0,
                    $"{type.Name}.{name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))}) runs on every network call and should carry AggressiveOptimization");
            }
        }
    }
}
