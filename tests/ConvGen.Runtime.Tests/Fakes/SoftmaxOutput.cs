using System;
using ConvGen;
using ConvGen.Kernels;

namespace ConvGen.Runtime.Tests.Fakes
{
    /// <summary>
    /// A network that ends in a softmax, for tests of code that reads <see cref="INetwork.EndsWithSoftmax"/>: Forward is the softmax
    /// of the wrapped network's outputs. Only inference is supported.
    /// </summary>
    internal sealed class SoftmaxOutput(INetwork logits) : INetwork
    {
        public int InputLength => logits.InputLength;

        public int OutputLength => logits.OutputLength;

        public ParameterList Parameters => logits.Parameters;

        public ParameterList Buffers => logits.Buffers;

        public Span<float> ParameterValues => logits.ParameterValues;

        public Span<float> ParameterGradients => logits.ParameterGradients;

        public bool EndsWithSoftmax => true;

        public bool Training
        {
            get => logits.Training;
            set => logits.Training = value;
        }

        public int Threads
        {
            get => logits.Threads;
            set => logits.Threads = value;
        }

        public void Forward(ReadOnlySpan<float> input, Span<float> output) => Forward(input, output, 1);

        public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize)
        {
            logits.Forward(input, output, batchSize);
            for (var n = 0; n < batchSize; n++)
            {
                var row = output.Slice(n * OutputLength, OutputLength);
                VectorOps.Softmax(row, row);
            }
        }

        public void Backward(ReadOnlySpan<float> outputGradient, int batchSize) => throw new NotSupportedException();

        public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize) => throw new NotSupportedException();

        public void ZeroGradients() => logits.ZeroGradients();

        public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batchSize, Optimizer optimizer) => throw new NotSupportedException();

        public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Optimizer optimizer) => throw new NotSupportedException();
    }
}
