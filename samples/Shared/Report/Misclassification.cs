namespace ConvGen.Samples.Digits
{
    /// <summary>A test digit the network got wrong.</summary>
    /// <param name="Index">Its position in the test set.</param>
    /// <param name="Image">Its 28×28 pixels in [0, 1].</param>
    /// <param name="Label">The true digit.</param>
    /// <param name="Predicted">The network's answer.</param>
    public sealed record Misclassification(int Index, float[] Image, int Label, int Predicted);
}
