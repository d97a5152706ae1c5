namespace ConvGen.Networks
{
    /// <summary>
    /// One layer's gradients in every worker's private sums (<see cref="WorkerScratch.LocalGradients"/>):
    /// <paramref name="Length"/> floats at <paramref name="Offset"/> there, added into the parameter gradients at
    /// <paramref name="Parameter"/> (a conv's weight, then its bias right after it).
    /// </summary>
    public readonly record struct LocalGradientRange(int Offset, int Parameter, int Length);
}
