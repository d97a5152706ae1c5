using System;
using System.Globalization;

namespace ConvGen
{
    /// <summary>Thrown when the training loss stops being a finite number, which usually means the learning rate is too high.</summary>
    public sealed class TrainingDivergedException : Exception
    {
        /// <summary>Creates the exception for the step at which the loss became <paramref name="loss"/>.</summary>
        public TrainingDivergedException(long step, float loss)
            : base($"training diverged at step {step} (loss = {loss.ToString(CultureInfo.InvariantCulture)}); lower the learning rate")
        {
            Step = step;
            Loss = loss;
        }

        /// <summary>The step (counting from 0 over the whole run) whose loss was not finite.</summary>
        public long Step { get; }

        /// <summary>The offending loss (NaN or ±infinity).</summary>
        public float Loss { get; }

        /// <summary>Throws <see cref="TrainingDivergedException"/> if <paramref name="loss"/> is NaN or infinite.</summary>
        public static void ThrowIfNotFinite(float loss, long step)
        {
            if (!float.IsFinite(loss))
            {
                throw new TrainingDivergedException(step, loss);
            }
        }
    }
}
