using System;

namespace ConvGen
{
    /// <summary>
    /// A learning rate that changes with the epoch. Schedules are evaluated once per epoch (as PyTorch's schedulers are when
    /// <c>scheduler.step()</c> is called after each epoch): <see cref="Trainer"/> sets the optimizer's learning rate to
    /// <see cref="LearningRateAt(int)"/> before the epoch's first batch.
    /// </summary>
    public abstract class LearningRateSchedule
    {
        /// <summary>The learning rate for the epoch numbered <paramref name="epoch"/>, counting from 0.</summary>
        public abstract float LearningRateAt(int epoch);

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a negative epoch.</summary>
        protected static void RequireEpoch(int epoch)
        {
            if (epoch < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epochs are counted from 0.");
            }
        }
    }
}
