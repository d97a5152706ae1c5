using System;

namespace ConvGen.Samples.Digits
{
    /// <summary>
    /// The activations of a trained <see cref="LeNet5"/>'s convolution layers for one image, computed by the truncated networks
    /// <see cref="LeNet5Conv1"/> and <see cref="LeNet5Conv2"/> with the trained weights copied in.
    /// </summary>
    /// <param name="Conv1">conv1's 20 maps of 28×28, after ReLU, one after another.</param>
    /// <param name="Conv2">conv2's 50 maps of 14×14, after ReLU, one after another.</param>
    public sealed record FeatureMaps(float[] Conv1, float[] Conv2)
    {
        /// <summary>Runs <paramref name="image"/> (1×28×28) through the first layers of <paramref name="trained"/>.</summary>
        public static FeatureMaps Of(LeNet5 trained, ReadOnlySpan<float> image)
        {
            var conv1 = new LeNet5Conv1();
            var conv2 = new LeNet5Conv2();
            CopyWeights(trained, conv1);
            CopyWeights(trained, conv2);
            var conv1Maps = new float[LeNet5Conv1.OutputLength];
            var conv2Maps = new float[LeNet5Conv2.OutputLength];
            conv1.Forward(image, conv1Maps);
            conv2.Forward(image, conv2Maps);
            return new FeatureMaps(conv1Maps, conv2Maps);
        }

        /// <summary>Copies every parameter of <paramref name="target"/> from the equally named one of <paramref name="source"/>.</summary>
        private static void CopyWeights(INetwork source, INetwork target)
        {
            foreach (var parameter in target.Parameters)
            {
                source.Parameters[parameter.Name].Values.CopyTo(parameter.Values);
            }
        }
    }
}
