namespace ConvGen.Samples.Digits
{
    /// <summary>The optimizers the sample can train with.</summary>
    public enum OptimizerKind
    {
        /// <summary>SGD with momentum 0.9 and a cosine learning-rate schedule.</summary>
        Sgd,

        /// <summary>Adam with a cosine learning-rate schedule.</summary>
        Adam,
    }
}
