using System.Collections.Generic;

namespace ConvGen.Samples.Digits
{
    /// <summary>Everything <see cref="HtmlReport"/> shows.</summary>
    /// <param name="Summary">The network's compile-time summary table.</param>
    /// <param name="History">Loss and accuracies per epoch.</param>
    /// <param name="TestAccuracy">Final held-out accuracy.</param>
    /// <param name="Conv1Weights">conv1.weight, [20, 1, 5, 5].</param>
    /// <param name="Digit">The test digit whose feature maps are shown (28×28).</param>
    /// <param name="DigitLabel">Its true label.</param>
    /// <param name="DigitPrediction">What the network predicted for it.</param>
    /// <param name="Confusion">Test digits counted by [true label, predicted class].</param>
    /// <param name="Maps">conv1 and conv2 activations for <paramref name="Digit"/>.</param>
    /// <param name="Misclassified">Wrongly classified test digits to show.</param>
    /// <param name="MisclassifiedTotal">How many test digits were wrong in all.</param>
    public sealed record ReportContent(
        string Summary,
        IReadOnlyList<EpochResult> History,
        float TestAccuracy,
        float[] Conv1Weights,
        float[] Digit,
        int DigitLabel,
        int DigitPrediction,
        int[,] Confusion,
        FeatureMaps Maps,
        IReadOnlyList<Misclassification> Misclassified,
        int MisclassifiedTotal);
}
