using System.Collections.Generic;

namespace ConvGen.Samples.Digits
{
    /// <summary>The outcome of a <see cref="DigitsSample"/> run.</summary>
    /// <param name="History">One entry per epoch.</param>
    /// <param name="TestAccuracy">Final accuracy on the held-out test digits.</param>
    /// <param name="ReloadedTestAccuracy">The same, measured again on a fresh network loaded from the saved weights.</param>
    /// <param name="ReloadedPredictionsMatch">Whether the reloaded network predicted every test digit exactly as the trained one.</param>
    /// <param name="WeightsPath">The saved safetensors file.</param>
    /// <param name="ReportPath">The HTML report.</param>
    public sealed record DigitsResult(
        IReadOnlyList<EpochResult> History,
        float TestAccuracy,
        float ReloadedTestAccuracy,
        bool ReloadedPredictionsMatch,
        string WeightsPath,
        string ReportPath);
}
