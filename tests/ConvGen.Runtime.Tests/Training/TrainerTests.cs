using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvGen;
using ConvGen.Data;
using ConvGen.Runtime.Tests.Fakes;

namespace ConvGen.Runtime.Tests.Training
{
    public class TrainerTests
    {
        /// <summary>Three well-separated 2-D clusters, stored as 1×1×2 images.</summary>
        private static Dataset Clusters(int count, int seed)
        {
            var centres = new[] { (2.0, 0.0), (-1.0, 1.7), (-1.0, -1.7) };
            var random = new Random(seed);
            var images = new float[count * 2];
            var labels = new int[count];
            for (var i = 0; i < count; i++)
            {
                var label = i % 3;
                labels[i] = label;
                images[2 * i] = (float)(centres[label].Item1 + (random.NextDouble() - 0.5) * 0.6);
                images[2 * i + 1] = (float)(centres[label].Item2 + (random.NextDouble() - 0.5) * 0.6);
            }

            return new Dataset(images, labels, 1, 1, 2);
        }

        /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
        private sealed class Recorder : IProgress<TrainingProgress>
        {
            public List<TrainingProgress> Reports { get; } = new();

            public void Report(TrainingProgress value) => Reports.Add(value);
        }

        [Fact]
        public void Fit_reduces_the_loss_on_a_separable_set_and_reports_progress()
        {
            var network = new LinearClassifier(inputs: 2, classes: 3);
            var train = Clusters(150, seed: 5);
            var validation = Clusters(60, seed: 6);
            var recorder = new Recorder();
            var options = new TrainerOptions { Epochs = 5, BatchSize = 16, Seed = 3, Validation = validation };
            var final = Trainer.Fit(network, train, options, new Sgd(0.1f, momentum: 0.9f), recorder);

            const int batches = 10; // ⌈150 / 16⌉
            Assert.Equal(5 * (batches + 1), recorder.Reports.Count);
            var firstBatch = recorder.Reports[0];
            Assert.Equal((0, 0, batches, false), (firstBatch.Epoch, firstBatch.Batch, firstBatch.BatchesPerEpoch, firstBatch.IsEpochEnd));
            Assert.Null(firstBatch.ValidationAccuracy);
            Assert.Null(firstBatch.ValidationLoss);
            Assert.True(firstBatch.ImagesPerSecond > 0);

            var epochEnds = recorder.Reports.Where(r => r.IsEpochEnd).ToList();
            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, epochEnds.Select(r => r.Epoch));
            Assert.All(epochEnds, r => Assert.NotNull(r.ValidationAccuracy));
            Assert.Equal(epochEnds[^1], final);
            Assert.Equal(Trainer.Evaluate(network, validation, 16).Loss, final.ValidationLoss);
            Assert.True(epochEnds[^1].ValidationLoss < epochEnds[0].ValidationLoss, $"validation loss went from {epochEnds[0].ValidationLoss} to {final.ValidationLoss}");
            Assert.True(final.Loss < epochEnds[0].Loss / 2, $"loss went from {epochEnds[0].Loss} to {final.Loss}");
            Assert.True(final.Loss < 0.1f, $"final loss {final.Loss}");
            Assert.True(final.Accuracy > 0.97f, $"training accuracy {final.Accuracy}");
            Assert.True(final.ValidationAccuracy > 0.97f, $"validation accuracy {final.ValidationAccuracy}");
            Assert.False(network.Training);
        }

        [Fact]
        public void Fit_is_deterministic_for_a_seed_and_shuffles_differently_for_another()
        {
            float[] Train(int seed)
            {
                var network = new LinearClassifier(inputs: 2, classes: 3);
                Trainer.Fit(network, Clusters(90, seed: 1), new TrainerOptions { Epochs = 2, BatchSize = 8, Seed = seed }, new Sgd(0.05f));
                return network.ParameterValues.ToArray();
            }

            Assert.Equal(Train(7), Train(7));
            Assert.NotEqual(Train(7), Train(8));
        }

        [Fact]
        public void Fit_trains_in_training_mode_measures_in_inference_mode_and_restores_the_flag()
        {
            var network = new LinearClassifier(inputs: 2, classes: 3) { Training = false };
            var options = new TrainerOptions { Epochs = 1, BatchSize = 30, Validation = Clusters(9, seed: 2) };
            Trainer.Fit(network, Clusters(60, seed: 1), options, new Sgd());
            Assert.Equal(new[] { true, true }, network.TrainingSeenByTrainStep);
            Assert.All(network.TrainingSeenByForward, training => Assert.False(training));
            Assert.False(network.Training);

            network.Training = true;
            Trainer.Fit(network, Clusters(60, seed: 1), options, new Sgd());
            Assert.True(network.Training);
        }

        [Fact]
        public void Fit_without_accuracy_measurement_only_trains()
        {
            var network = new LinearClassifier(inputs: 2, classes: 3);
            var final = Trainer.Fit(network, Clusters(30, seed: 1), new TrainerOptions { Epochs = 1, BatchSize = 10, MeasureTrainingAccuracy = false }, new Sgd());
            Assert.Empty(network.TrainingSeenByForward);
            Assert.True(float.IsNaN(final.Accuracy));
        }

        [Fact]
        public void Fit_applies_the_schedule_at_the_start_of_each_epoch()
        {
            var recorder = new Recorder();
            var optimizer = new Sgd(1f);
            var options = new TrainerOptions { Epochs = 4, BatchSize = 50, Schedule = new StepSchedule(0.2f, stepSize: 2, gamma: 0.1f) };
            Trainer.Fit(new LinearClassifier(2, 3), Clusters(30, seed: 1), options, optimizer, recorder);
            var rates = recorder.Reports.Where(r => r.IsEpochEnd).Select(r => r.LearningRate).ToArray();
            Assert.Equal(new[] { 0.2, 0.2, 0.02, 0.02 }, rates.Select(r => Math.Round(r, 7)));
            Assert.Equal(0.02f, optimizer.LearningRate, 7);
        }

        [Fact]
        public void Fit_throws_when_the_loss_is_not_finite()
        {
            var data = Clusters(12, seed: 1);
            var images = data.Images.ToArray();
            images[0] = float.NaN;
            var poisoned = new Dataset(images, data.Labels.ToArray(), 1, 1, 2);
            var network = new LinearClassifier(2, 3);
            var exception = Assert.Throws<TrainingDivergedException>(
                () => Trainer.Fit(network, poisoned, new TrainerOptions { Epochs = 1, BatchSize = 12 }, new Sgd()));
            Assert.Equal("training diverged at step 0 (loss = NaN); lower the learning rate", exception.Message);
            Assert.False(network.Training);
        }

        [Fact]
        public void Fit_stops_when_cancelled()
        {
            using var cancellation = new CancellationTokenSource();
            cancellation.Cancel();
            var network = new LinearClassifier(2, 3);
            Assert.ThrowsAny<OperationCanceledException>(
                () => Trainer.Fit(network, Clusters(12, seed: 1), new TrainerOptions { Epochs = 1 }, new Sgd(), cancellationToken: cancellation.Token));
            Assert.Empty(network.TrainingSeenByTrainStep);
        }

        [Fact]
        public void Fit_rejects_data_that_does_not_fit_the_network()
        {
            var exception = Assert.Throws<ArgumentException>(
                () => Trainer.Fit(new LinearClassifier(3, 3), Clusters(12, seed: 1), new TrainerOptions(), new Sgd()));
            Assert.Contains("network takes 3", exception.Message);
            Assert.Throws<ArgumentOutOfRangeException>(
                () => Trainer.Fit(new LinearClassifier(2, 3), Clusters(12, seed: 1), new TrainerOptions { BatchSize = 0 }, new Sgd()));
        }

        [Fact]
        public void Evaluate_counts_correct_predictions_and_fills_the_confusion_matrix()
        {
            // Weights that pick the larger of the two inputs: class 0 if x0 > x1, else class 1.
            var network = new LinearClassifier(inputs: 2, classes: 2) { Training = true };
            new float[] { 1, 0, 0, 1, 0, 0 }.CopyTo(network.ParameterValues);
            var images = new float[] { 2, 1, 0, 3, 5, 4, 1, 2, 3, 0 };
            var labels = new[] { 0, 1, 1, 1, 0 }; // the third is wrong (predicted 0)
            var data = new Dataset(images, labels, 1, 1, 2);
            var (accuracy, loss, confusion) = Trainer.Evaluate(network, data, batchSize: 2);
            Assert.Equal(0.8f, accuracy);
            Assert.Equal(new[,] { { 2, 0 }, { 1, 2 } }, confusion);
            Assert.All(network.TrainingSeenByForward, training => Assert.False(training));
            Assert.True(network.Training);

            // The logits are the inputs, so each sample's cross-entropy is log(e^x0 + e^x1) − x[label].
            var expected = Enumerable.Range(0, 5).Average(i => Math.Log(Math.Exp(images[2 * i]) + Math.Exp(images[2 * i + 1])) - images[2 * i + labels[i]]);
            Assert.Equal(expected, loss, 5);
            Assert.Equal(loss, Trainer.Evaluate(new SoftmaxOutput(network), data, batchSize: 3).Loss, 5);
        }

        [Fact]
        public void Evaluate_rejects_labels_beyond_the_outputs()
        {
            var data = new Dataset(new float[4], new[] { 0, 5 }, 1, 1, 2);
            var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Evaluate(new LinearClassifier(2, 3), data, 8));
            Assert.Contains("sample 1", exception.Message);
        }
    }
}
