namespace ConvGen
{
    /// <summary>A snapshot reported by <see cref="Trainer.Fit"/> after every batch and again at the end of every epoch.</summary>
    /// <param name="Epoch">The epoch, counting from 0.</param>
    /// <param name="Batch">The batch within the epoch, counting from 0 (the last batch's index in the end-of-epoch report).</param>
    /// <param name="BatchesPerEpoch">Batches in each epoch.</param>
    /// <param name="Loss">Mean training loss over the epoch's batches so far, weighted by batch size.</param>
    /// <param name="Accuracy">Fraction of the epoch's samples so far classified correctly (NaN when not measured).</param>
    /// <param name="ImagesPerSecond">Training throughput over the epoch so far.</param>
    /// <param name="LearningRate">The optimizer's learning rate during this epoch.</param>
    /// <param name="IsEpochEnd">True for the report made once the epoch is over.</param>
    /// <param name="ValidationAccuracy">Accuracy on the validation set; only in end-of-epoch reports, and only with a validation set.</param>
    /// <param name="ValidationLoss">Mean cross-entropy on the validation set (see <see cref="Evaluation.Loss"/>); present exactly when <paramref name="ValidationAccuracy"/> is.</param>
    public readonly record struct TrainingProgress(
        int Epoch,
        int Batch,
        int BatchesPerEpoch,
        float Loss,
        float Accuracy,
        double ImagesPerSecond,
        float LearningRate,
        bool IsEpochEnd,
        float? ValidationAccuracy,
        float? ValidationLoss);
}
