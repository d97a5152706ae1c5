using System;
using ConvGen.Data;
using ConvGen.Kernels;

namespace ConvGen
{
    /// <summary>
    /// Classifying with any <see cref="INetwork"/>: the predicted class (arg max of the outputs) and the class probabilities of
    /// each sample. Every method runs the network in inference mode (<see cref="INetwork.Training"/> false, so Dropout keeps
    /// everything and BatchNorm uses its running statistics) and restores the flag afterwards. Samples are run in batches of at
    /// most <see cref="DefaultBatchSize"/> (or the given batch size), so a large input does not grow the network's buffers.
    /// </summary>
    public static class Predictions
    {
        /// <summary>The batch size used when none is given.</summary>
        public const int DefaultBatchSize = 256;

        /// <summary>The predicted class of one sample: the index of the largest of the network's outputs (the first one on ties).</summary>
        /// <param name="network">The network.</param>
        /// <param name="input">One sample, <see cref="INetwork.InputLength"/> floats (NCHW).</param>
        public static int Predict(this INetwork network, ReadOnlySpan<float> input)
        {
            Span<int> result = stackalloc int[1];
            Predict(network, input, result);
            return result[0];
        }

        /// <summary>The predicted class of each of <paramref name="classes"/>.Length samples stored one after another in <paramref name="inputs"/>.</summary>
        public static void Predict(this INetwork network, ReadOnlySpan<float> inputs, Span<int> classes)
        {
            ArgumentNullException.ThrowIfNull(network);
            Predict(network, inputs, classes, DefaultBatchSize);
        }

        /// <summary>The predicted class of every sample of <paramref name="data"/>, in order, run <paramref name="batchSize"/> samples at a time.</summary>
        public static int[] Predict(this INetwork network, Dataset data, int batchSize = DefaultBatchSize)
        {
            ArgumentNullException.ThrowIfNull(network);
            ArgumentNullException.ThrowIfNull(data);
            if (batchSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
            }

            var classes = new int[data.Count];
            Predict(network, data.Images, classes, batchSize);
            return classes;
        }

        /// <summary>
        /// The class probabilities of one sample (<see cref="INetwork.OutputLength"/> floats summing to 1): the network's outputs when it
        /// ends in a softmax (<see cref="INetwork.EndsWithSoftmax"/>), otherwise the softmax of its outputs, which are taken as logits.
        /// </summary>
        public static float[] Probabilities(this INetwork network, ReadOnlySpan<float> input)
        {
            ArgumentNullException.ThrowIfNull(network);
            var probabilities = new float[network.OutputLength];
            Probabilities(network, input, probabilities);
            return probabilities;
        }

        /// <summary>
        /// As <see cref="Probabilities(INetwork, ReadOnlySpan{float})"/> for <paramref name="probabilities"/>.Length / <see cref="INetwork.OutputLength"/>
        /// samples stored one after another in <paramref name="inputs"/>; each sample's probabilities are written one after another.
        /// </summary>
        public static void Probabilities(this INetwork network, ReadOnlySpan<float> inputs, Span<float> probabilities)
        {
            ArgumentNullException.ThrowIfNull(network);
            var outputLength = network.OutputLength;
            if (probabilities.Length % outputLength != 0)
            {
                throw new ArgumentException(
                    $"probabilities holds {probabilities.Length} floats, which is not a whole number of samples of {outputLength} outputs.", nameof(probabilities));
            }

            var count = probabilities.Length / outputLength;
            RequireInputs(network, inputs, count);
            using var mode = new InferenceMode(network);
            for (var first = 0; first < count; first += DefaultBatchSize)
            {
                var samples = Math.Min(DefaultBatchSize, count - first);
                var outputs = probabilities.Slice(first * outputLength, samples * outputLength);
                Forward(network, inputs, first, outputs, samples);
                if (!network.EndsWithSoftmax)
                {
                    for (var i = 0; i < outputs.Length; i += outputLength)
                    {
                        var row = outputs.Slice(i, outputLength);
                        VectorOps.Softmax(row, row);
                    }
                }
            }
        }

        private static void Predict(INetwork network, ReadOnlySpan<float> inputs, Span<int> classes, int batchSize)
        {
            RequireInputs(network, inputs, classes.Length);
            var outputLength = network.OutputLength;
            var outputs = new float[Math.Min(batchSize, classes.Length) * outputLength];
            using var mode = new InferenceMode(network);
            for (var first = 0; first < classes.Length; first += batchSize)
            {
                var samples = Math.Min(batchSize, classes.Length - first);
                var batchOutputs = outputs.AsSpan(0, samples * outputLength);
                Forward(network, inputs, first, batchOutputs, samples);
                for (var i = 0; i < samples; i++)
                {
                    classes[first + i] = Losses.ArgMax(batchOutputs.Slice(i * outputLength, outputLength));
                }
            }
        }

        /// <summary>Runs samples <paramref name="first"/> .. <paramref name="first"/> + <paramref name="samples"/> − 1 of <paramref name="inputs"/>.</summary>
        private static void Forward(INetwork network, ReadOnlySpan<float> inputs, int first, Span<float> outputs, int samples) =>
            network.Forward(inputs.Slice(first * network.InputLength, samples * network.InputLength), outputs, samples);

        private static void RequireInputs(INetwork network, ReadOnlySpan<float> inputs, int count)
        {
            if ((long)count * network.InputLength != inputs.Length)
            {
                throw new ArgumentException(
                    $"inputs holds {inputs.Length} floats; {count} sample{(count == 1 ? "" : "s")} of {network.InputLength} need {(long)count * network.InputLength}.",
                    nameof(inputs));
            }
        }
    }
}
