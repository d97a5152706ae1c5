namespace ConvGen.Samples.Digits
{
    /// <summary>LeNet-5 as the network of a <see cref="DigitsSample"/>.</summary>
    public static class LeNet5Digits
    {
        /// <summary>The file name of the saved weights inside <see cref="DigitsOptions.OutputFolder"/>.</summary>
        public const string WeightsFileName = "lenet5.safetensors";

        /// <summary><see cref="LeNet5"/>, its conv1 kernels and its conv1 and conv2 feature maps.</summary>
        public static DigitsNetwork Network { get; } = new(
            "LeNet-5",
            nameof(LeNet5),
            LeNet5.Summary,
            WeightsFileName,
            seed => new LeNet5(seed),
            trained => new FilterSet("conv1", trained.Parameters["conv1.weight"].ReadOnlyValues.ToArray(), Count: 20, Size: 5),
            (trained, image) => FeatureMaps.Of((LeNet5)trained, image));
    }
}
