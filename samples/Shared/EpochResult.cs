namespace ConvGen.Samples.Digits
{
    /// <summary>What one training epoch achieved.</summary>
    /// <param name="Epoch">The epoch, counting from 1.</param>
    /// <param name="TrainLoss">Mean cross-entropy over the epoch's batches.</param>
    /// <param name="TrainAccuracy">Running accuracy on the training digits during the epoch.</param>
    /// <param name="TestLoss">Mean cross-entropy on the held-out test digits after the epoch.</param>
    /// <param name="TestAccuracy">Accuracy on the held-out test digits after the epoch.</param>
    /// <param name="LearningRate">The learning rate during the epoch.</param>
    /// <param name="ImagesPerSecond">Training throughput.</param>
    public sealed record EpochResult(int Epoch, float TrainLoss, float TrainAccuracy, float TestLoss, float TestAccuracy, float LearningRate, double ImagesPerSecond);
}
