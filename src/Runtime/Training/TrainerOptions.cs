using System;
using ConvGen.Data;

namespace ConvGen
{
    /// <summary>How <see cref="Trainer.Fit"/> runs.</summary>
    public sealed class TrainerOptions
    {
        /// <summary>Passes over the training set (default 10).</summary>
        public int Epochs { get; init; } = 10;

        /// <summary>Samples per training step (default 64); the last batch of an epoch may be smaller.</summary>
        public int BatchSize { get; init; } = 64;

        /// <summary>Seeds the per-epoch shuffle, so equal seeds give equal runs.</summary>
        public int Seed { get; init; }

        /// <summary>When set, the optimizer's learning rate is set from this schedule at the start of every epoch.</summary>
        public LearningRateSchedule? Schedule { get; init; }

        /// <summary>When set, accuracy on this set is measured after every epoch.</summary>
        public Dataset? Validation { get; init; }

        /// <summary>
        /// When set, changes every training batch after it is assembled and before the network sees it (for example
        /// <see cref="RandomShift"/>); it is told each image's sample index and the epoch. Validation images are never changed.
        /// </summary>
        public IAugmentation? Augmentation { get; init; }

        /// <summary>
        /// Whether to measure running training accuracy (default true). It costs one extra inference-mode forward pass per batch,
        /// taken just before the training step; when false, <see cref="TrainingProgress.Accuracy"/> is NaN.
        /// </summary>
        public bool MeasureTrainingAccuracy { get; init; } = true;

        internal void Validate()
        {
            if (Epochs < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must not be negative.");
            }

            if (BatchSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be positive.");
            }
        }
    }
}
