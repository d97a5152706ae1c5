using System;

namespace ConvGen
{
    /// <summary>
    /// Cosine annealing from <see cref="Initial"/> down to <see cref="Minimum"/> over <see cref="TotalEpochs"/> epochs, the closed form
    /// of PyTorch's <c>CosineAnnealingLR</c> (with <c>T_max = totalEpochs</c>, <c>eta_min = minimum</c>):
    /// <c>lr(e) = minimum + (initial − minimum)·(1 + cos(π·e / totalEpochs)) / 2</c>. Epochs past the end stay at the minimum.
    /// </summary>
    public sealed class CosineSchedule : LearningRateSchedule
    {
        /// <summary>Creates the schedule.</summary>
        public CosineSchedule(float initial, int totalEpochs, float minimum = 0f)
        {
            if (!(initial >= 0f) || !float.IsFinite(initial))
            {
                throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial learning rate must be a finite number ≥ 0.");
            }

            if (totalEpochs <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(totalEpochs), totalEpochs, "The schedule must last at least one epoch.");
            }

            if (!(minimum >= 0f && minimum <= initial))
            {
                throw new ArgumentOutOfRangeException(nameof(minimum), minimum, $"The minimum learning rate must lie in [0, initial = {initial}].");
            }

            Initial = initial;
            TotalEpochs = totalEpochs;
            Minimum = minimum;
        }

        /// <summary>The learning rate of epoch 0.</summary>
        public float Initial { get; }

        /// <summary>The epoch at which the learning rate reaches <see cref="Minimum"/>.</summary>
        public int TotalEpochs { get; }

        /// <summary>The final learning rate.</summary>
        public float Minimum { get; }

        /// <inheritdoc />
        public override float LearningRateAt(int epoch)
        {
            RequireEpoch(epoch);
            if (epoch >= TotalEpochs)
            {
                return Minimum;
            }

            return (float)(Minimum + (Initial - Minimum) * (1.0 + Math.Cos(Math.PI * epoch / TotalEpochs)) / 2.0);
        }
    }
}
