using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// ONNX Runtime in this process on bench/models/&lt;network&gt;.onnx (the same weights ConvGen loads), configured for its
    /// best CPU speed: all graph optimizations, <c>IntraOpNumThreads</c> = the row's thread count, sequential execution.
    /// Input and output are bound once with IOBinding to OrtValues over the harness's own (pinned) arrays, so a call
    /// allocates nothing and copies nothing.
    /// </summary>
    internal sealed class OnnxRuntimeSide : IDisposable
    {
        private readonly SessionOptions _options;
        private readonly InferenceSession _session;
        private readonly RunOptions _run = new();
        private readonly OrtIoBinding _binding;
        private readonly OrtValue _input;
        private readonly OrtValue _output;

        /// <param name="profilePrefix">When set, ONNX Runtime's profiler records every node of every call into a file starting so (<see cref="EndProfiling"/>).</param>
        public OnnxRuntimeSide(string modelPath, int threads, float[] input, int[] inputShape, int[] outputShape, string? profilePrefix = null)
        {
            _options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                IntraOpNumThreads = threads,
                InterOpNumThreads = 1,
            };
            if (profilePrefix is not null)
            {
                _options.EnableProfiling = true;
                _options.ProfileOutputPathPrefix = profilePrefix;
            }

            _session = new InferenceSession(modelPath, _options);
            Output = new float[outputShape.Aggregate(1, (a, b) => a * b)];
            _input = OrtValue.CreateTensorValueFromMemory(input, inputShape.Select(d => (long)d).ToArray());
            _output = OrtValue.CreateTensorValueFromMemory(Output, outputShape.Select(d => (long)d).ToArray());
            _binding = _session.CreateIoBinding();
            _binding.BindInput("input", _input);
            _binding.BindOutput("output", _output);
        }

        /// <summary>The array ONNX Runtime writes its result into.</summary>
        public float[] Output { get; }

        /// <summary>The version of the native library actually loaded.</summary>
        public static string Version => OrtEnv.Instance().GetVersionString();

        public void Call() => _session.RunWithBinding(_run, _binding);

        /// <summary>Stops the profiler the constructor's prefix started and returns the path of the JSON file it wrote.</summary>
        public string EndProfiling() => _session.EndProfiling();

        public void Dispose()
        {
            _binding.Dispose();
            _input.Dispose();
            _output.Dispose();
            _run.Dispose();
            _session.Dispose();
            _options.Dispose();
        }
    }
}
