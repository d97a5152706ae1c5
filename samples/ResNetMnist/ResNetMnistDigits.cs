using System.Collections.Generic;

namespace ConvGen.Samples.Digits
{
    /// <summary><see cref="ResNetMnist"/> as the network of a <see cref="DigitsSample"/>.</summary>
    public static class ResNetMnistDigits
    {
        /// <summary>The file name of the saved weights inside <see cref="DigitsOptions.OutputFolder"/>.</summary>
        public const string WeightsFileName = "resnet-mnist.safetensors";

        /// <summary><see cref="ResNetMnist"/>, its conv1 kernels, and the feature maps of its stem and of its second residual block.</summary>
        public static DigitsNetwork Network { get; } = new(
            "ResNet",
            nameof(ResNetMnist),
            ResNetMnist.Summary,
            WeightsFileName,
            seed => new ResNetMnist(seed),
            trained => new FilterSet("conv1", trained.Parameters["conv1.weight"].ReadOnlyValues.ToArray(), Count: 16, Size: 3),
            FeatureMaps);

        /// <summary>
        /// The stem's 16 maps of 28×28 and layer2's 32 maps of 14×14 for <paramref name="image"/>, computed in inference mode by the
        /// truncated networks <see cref="ResNetMnistConv1"/> and <see cref="ResNetMnistLayer2"/> with the trained weights and statistics.
        /// </summary>
        private static IReadOnlyList<FeatureMapSet> FeatureMaps(INetwork trained, float[] image)
        {
            var conv1 = new ResNetMnistConv1();
            var layer2 = new ResNetMnistLayer2();
            NetworkWeights.CopyInto(trained, conv1);
            NetworkWeights.CopyInto(trained, layer2);
            var conv1Maps = new float[ResNetMnistConv1.OutputLength];
            var layer2Maps = new float[ResNetMnistLayer2.OutputLength];
            conv1.Forward(image, conv1Maps);
            layer2.Forward(image, layer2Maps);
            return [new FeatureMapSet("conv1", conv1Maps, 16, 28, 28), new FeatureMapSet("layer2", layer2Maps, 32, 14, 14)];
        }
    }
}
