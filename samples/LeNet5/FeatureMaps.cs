using System;
using System.Collections.Generic;

namespace ConvGen.Samples.Digits
{
    /// <summary>
    /// The activations of a trained <see cref="LeNet5"/>'s convolution layers for one image, computed by the truncated networks
    /// <see cref="LeNet5Conv1"/> and <see cref="LeNet5Conv2"/> with the trained weights copied in.
    /// </summary>
    public static class FeatureMaps
    {
        /// <summary>conv1's 20 maps of 28×28 and conv2's 50 maps of 14×14 (after ReLU) for <paramref name="image"/> (1×28×28).</summary>
        public static IReadOnlyList<FeatureMapSet> Of(LeNet5 trained, ReadOnlySpan<float> image)
        {
            var conv1 = new LeNet5Conv1();
            var conv2 = new LeNet5Conv2();
            NetworkWeights.CopyInto(trained, conv1);
            NetworkWeights.CopyInto(trained, conv2);
            var conv1Maps = new float[LeNet5Conv1.OutputLength];
            var conv2Maps = new float[LeNet5Conv2.OutputLength];
            conv1.Forward(image, conv1Maps);
            conv2.Forward(image, conv2Maps);
            return [new FeatureMapSet("conv1", conv1Maps, 20, 28, 28), new FeatureMapSet("conv2", conv2Maps, 50, 14, 14)];
        }
    }
}
