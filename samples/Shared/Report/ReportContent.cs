using System.Collections.Generic;

namespace ConvGen.Samples.Digits
{
    /// <summary>Everything <see cref="HtmlReport"/> shows.</summary>
    /// <param name="Title">The network's name ("LeNet-5").</param>
    /// <param name="Summary">The network's compile-time summary table.</param>
    /// <param name="History">Loss and accuracies per epoch.</param>
    /// <param name="TestAccuracy">Final held-out accuracy.</param>
    /// <param name="Filters">The first convolution's kernels.</param>
    /// <param name="Digit">The test digit whose feature maps are shown (28×28).</param>
    /// <param name="DigitLabel">Its true label.</param>
    /// <param name="DigitPrediction">What the network predicted for it.</param>
    /// <param name="Confusion">Test digits counted by [true label, predicted class].</param>
    /// <param name="Maps">Activations of convolution layers for <paramref name="Digit"/>, first layer first.</param>
    /// <param name="Misclassified">Wrongly classified test digits to show.</param>
    /// <param name="MisclassifiedTotal">How many test digits were wrong in all.</param>
    public sealed record ReportContent(
        string Title,
        string Summary,
        IReadOnlyList<EpochResult> History,
        float TestAccuracy,
        FilterSet Filters,
        float[] Digit,
        int DigitLabel,
        int DigitPrediction,
        int[,] Confusion,
        IReadOnlyList<FeatureMapSet> Maps,
        IReadOnlyList<Misclassification> Misclassified,
        int MisclassifiedTotal);
}
