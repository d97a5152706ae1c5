using System;
using ConvGen;

namespace ConvGen.Runtime.Tests.Training
{
    public class LossTests
    {
        [Fact]
        public void SoftmaxCrossEntropy_matches_hand_computed_values_and_is_stable()
        {
            // Sample 0: logits [1, 2, 3], label 2: softmax = [0.0900306, 0.2447285, 0.6652410], loss = −ln 0.6652410 = 0.4076060.
            // Sample 1: logits [1000, 0, −1000], label 1: softmax ≈ [1, 0, 0], loss = 1000 (would overflow without log-sum-exp).
            var logits = new[] { 1f, 2f, 3f, 1000f, 0f, -1000f };
            var gradient = new float[6];
            var loss = Losses.SoftmaxCrossEntropy(logits, new[] { 2, 1 }, 2, 3, gradient);
            Assert.Equal((0.40760596 + 1000) / 2, loss, 3);
            var expected = new[] { 0.09003057 / 2, 0.24472847 / 2, (0.66524096 - 1) / 2, 0.5, -0.5, 0 };
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], gradient[i], 6);
            }
        }

        [Fact]
        public void CrossEntropyFromProbabilities_clamps_zero_and_returns_the_logit_gradient()
        {
            // −ln 0.7 = 0.3566749; −ln(smallest normal float) = 87.3365448.
            var probabilities = new[] { 0.2f, 0.7f, 0.1f, 0.5f, 0.5f, 0f };
            var gradient = new float[6];
            var loss = Losses.CrossEntropyFromProbabilities(probabilities, new[] { 1, 2 }, 2, 3, gradient);
            Assert.Equal((0.35667494 + 87.33654475) / 2, loss, 4);
            var expected = new[] { 0.1, -0.15, 0.05, 0.25, 0.25, -0.5 };
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], gradient[i], 6);
            }
        }

        [Fact]
        public void MeanSquaredError_averages_over_all_elements()
        {
            var gradient = new float[4];
            var loss = Losses.MeanSquaredError(new[] { 1f, 2f, 3f, 4f }, new[] { 0f, 2f, 5f, 4f }, gradient);
            Assert.Equal(1.25f, loss);
            Assert.Equal(new[] { 0.5f, 0f, -1f, 0f }, gradient);
        }

        [Fact]
        public void Labels_outside_the_classes_name_the_sample_and_value()
        {
            var exception = Assert.Throws<ArgumentOutOfRangeException>(
                () => Losses.SoftmaxCrossEntropy(new float[6], new[] { 0, 3 }, 2, 3, new float[6]));
            Assert.Contains("sample 1", exception.Message);
            Assert.Contains("is 3", exception.Message);
            var negative = Assert.Throws<ArgumentOutOfRangeException>(
                () => Losses.CrossEntropyFromProbabilities(new float[6], new[] { -1, 0 }, 2, 3, new float[6]));
            Assert.Contains("sample 0", negative.Message);
            Assert.Contains("-1", negative.Message);
        }

        [Fact]
        public void Length_mismatches_name_expected_and_actual_lengths()
        {
            var logits = Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy(new float[5], new[] { 0, 1 }, 2, 3, new float[6]));
            Assert.Contains("holds 5", logits.Message);
            Assert.Contains("expected 6", logits.Message);
            var labels = Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy(new float[6], new[] { 0 }, 2, 3, new float[6]));
            Assert.Contains("labels", labels.Message);
            var gradient = Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError(new float[3], new float[3], new float[2]));
            Assert.Contains("holds 2", gradient.Message);
            Assert.Contains("expected 3", gradient.Message);
        }

        [Fact]
        public void ArgMax_picks_the_first_largest_and_ignores_NaN()
        {
            Assert.Equal(1, Losses.ArgMax(new[] { 1f, 3f, 3f, 2f }));
            Assert.Equal(1, Losses.ArgMax(new[] { float.NaN, 1f }));
            Assert.Throws<ArgumentException>(() => Losses.ArgMax(ReadOnlySpan<float>.Empty));
        }

        [Fact]
        public void ThrowIfNotFinite_reports_the_step()
        {
            TrainingDivergedException.ThrowIfNotFinite(1.5f, 3);
            var exception = Assert.Throws<TrainingDivergedException>(() => TrainingDivergedException.ThrowIfNotFinite(float.NaN, 42));
            Assert.Equal("training diverged at step 42 (loss = NaN); lower the learning rate", exception.Message);
            Assert.Equal(42, exception.Step);
            Assert.Throws<TrainingDivergedException>(() => TrainingDivergedException.ThrowIfNotFinite(float.PositiveInfinity, 0));
        }
    }
}
