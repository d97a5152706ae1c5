using System.Globalization;

namespace ConvGen.Samples.Digits
{
    /// <summary>The one-line text describing training progress, shared by the live and the plain display.</summary>
    public static class EpochLine
    {
        /// <summary>"epoch 3/10  loss 0.0412  acc 98.7%  1,234 img/s", with the test accuracy appended once the epoch is over.</summary>
        public static string Format(TrainingProgress progress, int epochs) =>
            string.Format(
                CultureInfo.InvariantCulture,
                "epoch {0,2}/{1}  loss {2:0.0000}  acc {3,6:0.00%}  {4,6:#,0} img/s{5}",
                progress.Epoch + 1,
                epochs,
                progress.Loss,
                progress.Accuracy,
                progress.ImagesPerSecond,
                progress.ValidationAccuracy is { } test ? string.Format(CultureInfo.InvariantCulture, "  test {0:0.00%}", test) : "");
    }
}
