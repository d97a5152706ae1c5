namespace ConvGen
{
    /// <summary>What <see cref="Trainer.Evaluate"/> measured on a labelled data set (NaN accuracy and loss for an empty one).</summary>
    /// <param name="Accuracy">The fraction of samples whose predicted class (arg max of the outputs) is their label.</param>
    /// <param name="Loss">
    /// The mean cross-entropy against the labels, as in training: of the softmax of the outputs, or of the outputs themselves when the
    /// network ends in a softmax (<see cref="INetwork.EndsWithSoftmax"/>).
    /// </param>
    /// <param name="Confusion">Counts indexed [true label, predicted class].</param>
    public sealed record Evaluation(float Accuracy, float Loss, int[,] Confusion);
}
