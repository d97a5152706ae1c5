using System;

namespace ConvGen.Onnx.Tests.Fakes
{
    /// <summary>An <see cref="INetwork"/> written by hand, without a description: ONNX export must refuse it.</summary>
    internal sealed class UndescribedNetwork : INetwork
    {
        public int InputLength => 1;

        public int OutputLength => 1;

        public ParameterList Parameters { get; } = new();

        public ParameterList Buffers { get; } = new();

        public Span<float> ParameterValues => Span<float>.Empty;

        public Span<float> ParameterGradients => Span<float>.Empty;

        public bool Training { get; set; }

        public int Threads { get; set; } = 1;

        public void Forward(ReadOnlySpan<float> input, Span<float> output) => input.CopyTo(output);

        public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize) => input.CopyTo(output);

        public void Backward(ReadOnlySpan<float> outputGradient, int batchSize) => throw new NotSupportedException();

        public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize) => throw new NotSupportedException();

        public void ZeroGradients()
        {
        }

        public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batchSize, Optimizer optimizer) => throw new NotSupportedException();

        public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Optimizer optimizer) => throw new NotSupportedException();
    }
}
