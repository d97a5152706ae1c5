using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels;

namespace ConvGen
{
    /// <summary>
    /// Loss functions with their gradients, reduced by the mean as PyTorch does by default.
    /// Each writes ∂loss/∂(its input) into the gradient span and returns the loss.
    /// </summary>
    public static class Losses
    {
        /// <summary>The smallest normal float; probabilities are clamped to it before the logarithm.</summary>
        private const float SmallestProbability = 1.17549435E-38f;

        /// <summary>
        /// Softmax followed by cross-entropy against class indices (PyTorch's <c>CrossEntropyLoss</c> on logits), averaged over the batch.
        /// Computed stably via log-sum-exp, from the softmax numerators <see cref="VectorOps.Softmax(ReadOnlySpan{float}, Span{float})"/> shares. Writes <c>(softmax(logits) − onehot(label)) / batchSize</c> into <paramref name="logitGradient"/>.
        /// </summary>
        /// <param name="logits">batchSize × classes scores.</param>
        /// <param name="labels">batchSize class indices in [0, classes).</param>
        /// <param name="batchSize">Samples in the batch.</param>
        /// <param name="classes">Scores per sample.</param>
        /// <param name="logitGradient">batchSize × classes floats receiving the gradient.</param>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int batchSize, int classes, Span<float> logitGradient)
        {
            CheckClassification(logits.Length, labels, batchSize, classes, logitGradient.Length, nameof(logits));
            var scale = 1f / batchSize;
            var total = 0.0;
            for (var n = 0; n < batchSize; n++)
            {
                var row = logits.Slice(n * classes, classes);
                var gradient = logitGradient.Slice(n * classes, classes);
                var sum = VectorOps.SoftmaxNumerators(row, gradient, stride: 1, out var max);
                var label = labels[n];
                total += max + MathF.Log(sum) - row[label];
                var normalize = scale / sum;
                for (var k = 0; k < classes; k++)
                {
                    gradient[k] *= normalize;
                }

                gradient[label] -= scale;
            }

            return (float)(total / batchSize);
        }

        /// <summary>
        /// Cross-entropy for networks that end in a softmax layer: <c>−mean log(max(p[label], tiny))</c> over the batch.
        /// The gradient written is with respect to the <em>pre-softmax</em> logits, <c>(p − onehot(label)) / batchSize</c>,
        /// so the softmax layer's backward pass must be skipped (it is already folded in).
        /// </summary>
        /// <param name="probabilities">batchSize × classes softmax outputs.</param>
        /// <param name="labels">batchSize class indices in [0, classes).</param>
        /// <param name="batchSize">Samples in the batch.</param>
        /// <param name="classes">Probabilities per sample.</param>
        /// <param name="logitGradient">batchSize × classes floats receiving the gradient with respect to the logits.</param>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static float CrossEntropyFromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int batchSize, int classes, Span<float> logitGradient)
        {
            CheckClassification(probabilities.Length, labels, batchSize, classes, logitGradient.Length, nameof(probabilities));
            var scale = 1f / batchSize;
            var total = 0.0;
            for (var n = 0; n < batchSize; n++)
            {
                var row = probabilities.Slice(n * classes, classes);
                var gradient = logitGradient.Slice(n * classes, classes);
                var label = labels[n];
                total -= Math.Log(MathF.Max(row[label], SmallestProbability));
                for (var k = 0; k < classes; k++)
                {
                    gradient[k] = row[k] * scale;
                }

                gradient[label] -= scale;
            }

            return (float)(total / batchSize);
        }

        /// <summary>
        /// Mean squared error over all elements (PyTorch's <c>MSELoss</c>); writes <c>2(output − target) / count</c> into <paramref name="gradient"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static float MeanSquaredError(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, Span<float> gradient)
        {
            RequireLength(targets.Length, output.Length, nameof(targets));
            RequireLength(gradient.Length, output.Length, nameof(gradient));
            if (output.IsEmpty)
            {
                throw new ArgumentException("The output is empty; the mean squared error of nothing is undefined.", nameof(output));
            }

            var scale = 2f / output.Length;
            var total = 0.0;
            for (var i = 0; i < output.Length; i++)
            {
                var difference = output[i] - targets[i];
                total += (double)difference * difference;
                gradient[i] = difference * scale;
            }

            return (float)(total / output.Length);
        }

        /// <summary>The index of the largest value (the first one on ties); NaN never wins.</summary>
        public static int ArgMax(ReadOnlySpan<float> values)
        {
            if (values.IsEmpty)
            {
                throw new ArgumentException("Cannot take the arg max of an empty span.", nameof(values));
            }

            var best = 0;
            for (var i = 1; i < values.Length; i++)
            {
                if (values[i] > values[best] || float.IsNaN(values[best]))
                {
                    best = i;
                }
            }

            return best;
        }

        private static void CheckClassification(int scoreLength, ReadOnlySpan<int> labels, int batchSize, int classes, int gradientLength, string scoresName)
        {
            if (batchSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
            }

            if (classes <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(classes), classes, "The class count must be positive.");
            }

            var expected = checked(batchSize * classes);
            RequireLength(scoreLength, expected, scoresName);
            RequireLength(labels.Length, batchSize, nameof(labels));
            RequireLength(gradientLength, expected, "logitGradient");
            TrainingInput.RequireLabels(labels, classes);
        }

        private static void RequireLength(int actual, int expected, string name)
        {
            if (actual != expected)
            {
                throw new ArgumentException($"{name} holds {actual} values; expected {expected}.", name);
            }
        }
    }
}
