using System.Globalization;

namespace ConvGen.Samples.Digits
{
    /// <summary>The text describing training progress: the plain per-epoch line and the live display's description.</summary>
    public static class EpochLine
    {
        /// <summary>The widest <see cref="Describe"/> text for up to 99 epochs and 999,999 images/s.</summary>
        public const int DescriptionWidth = 51;

        /// <summary>
        /// "epoch  3/12  loss 0.0412 acc 98.70%  1,234 img/s", with the held-out loss and accuracy ("test loss 0.0612 acc 98.25%")
        /// before the speed once the epoch is over; 78 columns at most for up to 99 epochs and 999,999 images/s.
        /// </summary>
        public static string Format(TrainingProgress progress, int epochs) =>
            Invariant(
                "epoch {0,2}/{1}  loss {2:0.0000} acc {3,6:0.00%}{4}  {5:#,0} img/s",
                progress.Epoch + 1,
                epochs,
                progress.Loss,
                progress.Accuracy,
                progress is { ValidationLoss: { } loss, ValidationAccuracy: { } accuracy }
                    ? Invariant("  test loss {0:0.0000} acc {1,6:0.00%}", loss, accuracy)
                    : "",
                progress.ImagesPerSecond);

        /// <summary>
        /// The live display's description of an epoch, <see cref="DescriptionWidth"/> columns at most: "epoch  3/12  loss 0.0412
        /// acc 98.70%  1,234 img/s" while it runs; once it is over, the held-out accuracy ("test 98.25%") in place of the speed.
        /// </summary>
        public static string Describe(TrainingProgress progress, int epochs) =>
            Invariant(
                "epoch {0,2}/{1}  loss {2:0.0000}  acc {3,6:0.00%}  {4}",
                progress.Epoch + 1,
                epochs,
                progress.Loss,
                progress.Accuracy,
                progress.IsEpochEnd && progress.ValidationAccuracy is { } test
                    ? Invariant("test {0,6:0.00%}", test)
                    : Invariant("{0,7:#,0} img/s", progress.ImagesPerSecond));

        private static string Invariant(string format, params object[] arguments) => string.Format(CultureInfo.InvariantCulture, format, arguments);
    }
}
