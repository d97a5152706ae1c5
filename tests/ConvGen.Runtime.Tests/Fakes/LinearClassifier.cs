using System;
using System.Collections.Generic;
using ConvGen;

namespace ConvGen.Runtime.Tests.Fakes
{
    /// <summary>
    /// A hand-written INetwork for tests: logits = W·x + b (W is [classes, inputs]), with a correct backward pass, plus one
    /// untrained buffer ("norm.running_mean", [classes]) so serialization sees both kinds of tensors.
    /// </summary>
    internal sealed class LinearClassifier : INetwork
    {
        private readonly int _inputs;
        private readonly int _classes;
        private readonly float[] _values;
        private readonly float[] _gradients;
        private readonly float[] _bufferValues;
        private float[] _lastInput = Array.Empty<float>();
        private int _lastBatch;

        public LinearClassifier(int inputs, int classes, int seed = 1)
        {
            _inputs = inputs;
            _classes = classes;
            _values = new float[classes * inputs + classes];
            _gradients = new float[_values.Length];
            _bufferValues = new float[classes];
            Parameters = new ParameterList(
                new Parameter("fc.weight", new[] { classes, inputs }, _values, _gradients, 0),
                new Parameter("fc.bias", new[] { classes }, _values, _gradients, classes * inputs));
            Buffers = new ParameterList(new Parameter("norm.running_mean", new[] { classes }, _bufferValues, null, 0));
            var random = new Random(seed);
            for (var i = 0; i < _values.Length; i++)
            {
                _values[i] = (float)(random.NextDouble() - 0.5) * 0.02f;
            }

            for (var i = 0; i < _bufferValues.Length; i++)
            {
                _bufferValues[i] = i * 0.25f;
            }
        }

        /// <summary>The value of <see cref="Training"/> seen by each Forward call, in order.</summary>
        public List<bool> TrainingSeenByForward { get; } = new();

        /// <summary>The value of <see cref="Training"/> seen by each TrainStep call, in order.</summary>
        public List<bool> TrainingSeenByTrainStep { get; } = new();

        public int InputLength => _inputs;

        public int OutputLength => _classes;

        public ParameterList Parameters { get; }

        public ParameterList Buffers { get; }

        public Span<float> ParameterValues => _values;

        public Span<float> ParameterGradients => _gradients;

        public bool Training { get; set; }

        public int Threads { get; set; } = 1;

        public void Forward(ReadOnlySpan<float> input, Span<float> output) => Forward(input, output, 1);

        public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize)
        {
            TrainingSeenByForward.Add(Training);
            Run(input, output, batchSize);
        }

        public void Backward(ReadOnlySpan<float> outputGradient, int batchSize) => Backward(outputGradient, Span<float>.Empty, batchSize);

        public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize)
        {
            if (batchSize != _lastBatch)
            {
                throw new InvalidOperationException("Backward must follow a Forward of the same batch.");
            }

            var biasOffset = _classes * _inputs;
            for (var n = 0; n < batchSize; n++)
            {
                for (var k = 0; k < _classes; k++)
                {
                    var g = outputGradient[n * _classes + k];
                    _gradients[biasOffset + k] += g;
                    for (var d = 0; d < _inputs; d++)
                    {
                        _gradients[k * _inputs + d] += g * _lastInput[n * _inputs + d];
                    }
                }

                if (!inputGradient.IsEmpty)
                {
                    for (var d = 0; d < _inputs; d++)
                    {
                        var sum = 0f;
                        for (var k = 0; k < _classes; k++)
                        {
                            sum += outputGradient[n * _classes + k] * _values[k * _inputs + d];
                        }

                        inputGradient[n * _inputs + d] = sum;
                    }
                }
            }
        }

        public void ZeroGradients() => Array.Clear(_gradients);

        public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batchSize, Optimizer optimizer)
        {
            TrainingSeenByTrainStep.Add(Training);
            var logits = new float[batchSize * _classes];
            var gradient = new float[logits.Length];
            Run(inputs, logits, batchSize);
            var loss = Losses.SoftmaxCrossEntropy(logits, labels, batchSize, _classes, gradient);
            Backward(gradient, batchSize);
            optimizer.Step(this);
            return loss;
        }

        public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Optimizer optimizer)
        {
            var output = new float[batchSize * _classes];
            var gradient = new float[output.Length];
            Run(inputs, output, batchSize);
            var loss = Losses.MeanSquaredError(output, targets, gradient);
            Backward(gradient, batchSize);
            optimizer.Step(this);
            return loss;
        }

        private void Run(ReadOnlySpan<float> input, Span<float> output, int batchSize)
        {
            _lastInput = input.Slice(0, batchSize * _inputs).ToArray();
            _lastBatch = batchSize;
            var biasOffset = _classes * _inputs;
            for (var n = 0; n < batchSize; n++)
            {
                for (var k = 0; k < _classes; k++)
                {
                    var sum = _values[biasOffset + k];
                    for (var d = 0; d < _inputs; d++)
                    {
                        sum += _values[k * _inputs + d] * input[n * _inputs + d];
                    }

                    output[n * _classes + k] = sum;
                }
            }
        }
    }
}
