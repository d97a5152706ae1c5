using System;
using System.Collections.Generic;

namespace ConvGen.Samples.Digits
{
    /// <summary>What a <see cref="DigitsSample"/> trains: a generated network class, and the pictures its report draws from it.</summary>
    /// <param name="Title">The network's name in headings and in the report ("LeNet-5").</param>
    /// <param name="ClassName">The generated class ("LeNet5").</param>
    /// <param name="Summary">The class's compile-time <c>Summary</c>.</param>
    /// <param name="WeightsFileName">The safetensors file written to the output folder.</param>
    /// <param name="Create">A new network, initialised from the given seed.</param>
    /// <param name="Filters">The first convolution's kernels of a trained network.</param>
    /// <param name="FeatureMaps">What a trained network's convolution layers make of one 28×28 digit, first layer first.</param>
    public sealed record DigitsNetwork(
        string Title,
        string ClassName,
        string Summary,
        string WeightsFileName,
        Func<int, INetwork> Create,
        Func<INetwork, FilterSet> Filters,
        Func<INetwork, float[], IReadOnlyList<FeatureMapSet>> FeatureMaps);
}
