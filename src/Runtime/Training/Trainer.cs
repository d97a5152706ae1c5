using System;
using System.Diagnostics;
using System.Threading;
using ConvGen.Data;

namespace ConvGen
{
    /// <summary>A small training loop: shuffled mini-batches, optional learning-rate schedule, progress reports and evaluation.</summary>
    public static class Trainer
    {
        /// <summary>
        /// Trains <paramref name="network"/> on <paramref name="train"/> for <see cref="TrainerOptions.Epochs"/> epochs.
        /// Each epoch visits the samples in an order shuffled by a generator seeded with <see cref="TrainerOptions.Seed"/>,
        /// each batch is first changed by <see cref="TrainerOptions.Augmentation"/> when one is set,
        /// and then runs <see cref="INetwork.ZeroGradients"/> and <see cref="INetwork.TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int}, int, Optimizer)"/>.
        /// Progress is reported after every batch and at the end of every epoch (with the validation accuracy and loss, when a validation set is given).
        /// The network's <see cref="INetwork.Training"/> flag is restored on return.
        /// </summary>
        /// <returns>The last end-of-epoch report (<c>default</c> when there are no epochs).</returns>
        /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked before every batch).</exception>
        public static TrainingProgress Fit(
            INetwork network,
            Dataset train,
            TrainerOptions options,
            Optimizer optimizer,
            IProgress<TrainingProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(network);
            ArgumentNullException.ThrowIfNull(train);
            ArgumentNullException.ThrowIfNull(options);
            ArgumentNullException.ThrowIfNull(optimizer);
            options.Validate();
            RequireMatchingInput(network, train, nameof(train));
            if (options.Validation is not null)
            {
                RequireMatchingInput(network, options.Validation, nameof(options.Validation));
            }

            if (train.Count == 0)
            {
                throw new ArgumentException("The training set is empty.", nameof(train));
            }

            var sampleLength = train.SampleLength;
            var outputLength = network.OutputLength;
            var batchSize = Math.Min(options.BatchSize, train.Count);
            var batchesPerEpoch = (train.Count + batchSize - 1) / batchSize;
            var inputs = new float[batchSize * sampleLength];
            var labels = new int[batchSize];
            var outputs = options.MeasureTrainingAccuracy ? new float[batchSize * outputLength] : Array.Empty<float>();
            var order = new int[train.Count];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            var random = new Random(options.Seed);
            var wasTraining = network.Training;
            var last = default(TrainingProgress);
            long step = 0;
            try
            {
                for (var epoch = 0; epoch < options.Epochs; epoch++)
                {
                    if (options.Schedule is not null)
                    {
                        optimizer.LearningRate = options.Schedule.LearningRateAt(epoch);
                    }

                    random.Shuffle(order);
                    var lossSum = 0.0;
                    var correct = 0;
                    var seen = 0;
                    var clock = Stopwatch.StartNew();
                    for (var batch = 0; batch < batchesPerEpoch; batch++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var start = batch * batchSize;
                        var count = Math.Min(batchSize, train.Count - start);
                        for (var i = 0; i < count; i++)
                        {
                            var sample = order[start + i];
                            train.Image(sample).CopyTo(inputs.AsSpan(i * sampleLength, sampleLength));
                            labels[i] = train.Label(sample);
                        }

                        var batchInputs = inputs.AsSpan(0, count * sampleLength);
                        options.Augmentation?.Apply(batchInputs, train.Channels, train.Height, train.Width, order.AsSpan(start, count), epoch);
                        var batchLabels = labels.AsSpan(0, count);
                        if (options.MeasureTrainingAccuracy)
                        {
                            network.Training = false;
                            network.Forward(batchInputs, outputs.AsSpan(0, count * outputLength), count);
                            correct += CountCorrect(outputs, batchLabels, outputLength);
                        }

                        network.Training = true;
                        network.ZeroGradients();
                        var loss = network.TrainStep(batchInputs, batchLabels, count, optimizer);
                        TrainingDivergedException.ThrowIfNotFinite(loss, step);
                        step++;
                        lossSum += (double)loss * count;
                        seen += count;
                        last = new TrainingProgress(
                            epoch,
                            batch,
                            batchesPerEpoch,
                            (float)(lossSum / seen),
                            options.MeasureTrainingAccuracy ? (float)correct / seen : float.NaN,
                            seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9),
                            optimizer.LearningRate,
                            IsEpochEnd: false,
                            ValidationAccuracy: null,
                            ValidationLoss: null);
                        progress?.Report(last);
                    }

                    var validation = options.Validation is null ? null : Evaluate(network, options.Validation, batchSize);
                    last = last with { IsEpochEnd = true, ValidationAccuracy = validation?.Accuracy, ValidationLoss = validation?.Loss };
                    progress?.Report(last);
                }
            }
            finally
            {
                network.Training = wasTraining;
            }

            return last;
        }

        /// <summary>
        /// Classifies every sample of <paramref name="data"/> (arg max of the network's output) in inference mode, in batches of
        /// <paramref name="batchSize"/>, and measures the cross-entropy loss; <see cref="INetwork.Training"/> is restored afterwards.
        /// </summary>
        /// <returns>The accuracy, the mean loss and the confusion matrix.</returns>
        public static Evaluation Evaluate(INetwork network, Dataset data, int batchSize)
        {
            ArgumentNullException.ThrowIfNull(network);
            ArgumentNullException.ThrowIfNull(data);
            if (batchSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
            }

            RequireMatchingInput(network, data, nameof(data));
            var classes = network.OutputLength;
            for (var i = 0; i < data.Count; i++)
            {
                if ((uint)data.Label(i) >= (uint)classes)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(data), data.Label(i), $"The label of sample {i} is {data.Label(i)}, but the network has {classes} outputs.");
                }
            }

            var confusion = new int[classes, classes];
            if (data.Count == 0)
            {
                return new Evaluation(float.NaN, float.NaN, confusion);
            }

            batchSize = Math.Min(batchSize, data.Count);
            var outputs = new float[batchSize * classes];
            var lossGradient = new float[outputs.Length];
            var correct = 0;
            var lossSum = 0.0;
            using (new InferenceMode(network))
            {
                for (var start = 0; start < data.Count; start += batchSize)
                {
                    var count = Math.Min(batchSize, data.Count - start);
                    var batchOutputs = outputs.AsSpan(0, count * classes);
                    var batchLabels = data.Labels.Slice(start, count);
                    network.Forward(data.Images.Slice(start * data.SampleLength, count * data.SampleLength), batchOutputs, count);
                    var loss = network.EndsWithSoftmax
                        ? Losses.CrossEntropyFromProbabilities(batchOutputs, batchLabels, count, classes, lossGradient.AsSpan(0, batchOutputs.Length))
                        : Losses.SoftmaxCrossEntropy(batchOutputs, batchLabels, count, classes, lossGradient.AsSpan(0, batchOutputs.Length));
                    lossSum += (double)loss * count;
                    for (var i = 0; i < count; i++)
                    {
                        var predicted = Losses.ArgMax(batchOutputs.Slice(i * classes, classes));
                        confusion[batchLabels[i], predicted]++;
                        if (predicted == batchLabels[i])
                        {
                            correct++;
                        }
                    }
                }
            }

            return new Evaluation((float)correct / data.Count, (float)(lossSum / data.Count), confusion);
        }

        private static int CountCorrect(float[] outputs, ReadOnlySpan<int> labels, int classes)
        {
            var correct = 0;
            for (var i = 0; i < labels.Length; i++)
            {
                if (Losses.ArgMax(outputs.AsSpan(i * classes, classes)) == labels[i])
                {
                    correct++;
                }
            }

            return correct;
        }

        private static void RequireMatchingInput(INetwork network, Dataset data, string name)
        {
            if (data.SampleLength != network.InputLength)
            {
                throw new ArgumentException(
                    $"The {name} samples hold {data.SampleLength} floats ({data.Channels}×{data.Height}×{data.Width}) but the network takes {network.InputLength}.",
                    name);
            }
        }
    }
}
