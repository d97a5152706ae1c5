using System;

namespace ConvGen
{
    /// <summary>
    /// Multiplies the learning rate by <see cref="Gamma"/> every <see cref="StepSize"/> epochs, like PyTorch's <c>StepLR</c>:
    /// <c>lr(e) = initial · gamma^⌊e / stepSize⌋</c>.
    /// </summary>
    public sealed class StepSchedule : LearningRateSchedule
    {
        /// <summary>Creates the schedule.</summary>
        public StepSchedule(float initial, int stepSize, float gamma = 0.1f)
        {
            if (!(initial >= 0f) || !float.IsFinite(initial))
            {
                throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial learning rate must be a finite number ≥ 0.");
            }

            if (stepSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "The step size must be at least one epoch.");
            }

            if (!(gamma >= 0f) || !float.IsFinite(gamma))
            {
                throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be a finite number ≥ 0.");
            }

            Initial = initial;
            StepSize = stepSize;
            Gamma = gamma;
        }

        /// <summary>The learning rate of epoch 0.</summary>
        public float Initial { get; }

        /// <summary>Epochs between decays.</summary>
        public int StepSize { get; }

        /// <summary>The factor applied at each decay.</summary>
        public float Gamma { get; }

        /// <inheritdoc />
        public override float LearningRateAt(int epoch)
        {
            RequireEpoch(epoch);
            return (float)(Initial * Math.Pow(Gamma, epoch / StepSize));
        }
    }
}
