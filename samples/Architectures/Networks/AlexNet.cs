namespace ConvGen.Samples.Architectures
{
    /// <summary>
    /// AlexNet (Krizhevsky et al., 2012) as torchvision builds it: five convolutions, three max pools, three dense layers with
    /// dropout. torchvision's adaptive 6×6 average pool is left out: on 224×224 inputs it receives 6×6 maps and changes nothing.
    /// Names follow torchvision's <c>state_dict</c> (<c>features.0</c> … <c>classifier.6</c>); 61,100,840 parameters.
    /// </summary>
    [Input(3, 224, 224, ExpectedParameters = 61100840)]
    [Conv2D(64, 11, Stride = 4, Padding = 2, Activation = Activation.ReLU, Name = "features.0", Expect = "64x55x55")]
    [MaxPool2D(3, Stride = 2)]
    [Conv2D(192, 5, Padding = 2, Activation = Activation.ReLU, Name = "features.3")]
    [MaxPool2D(3, Stride = 2)]
    [Conv2D(384, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.6")]
    [Conv2D(256, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.8")]
    [Conv2D(256, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.10")]
    [MaxPool2D(3, Stride = 2, Expect = "256x6x6")]
    [Flatten]
    [Dropout]
    [Dense(4096, Activation = Activation.ReLU, Name = "classifier.1")]
    [Dropout]
    [Dense(4096, Activation = Activation.ReLU, Name = "classifier.4")]
    [Dense(1000, Name = "classifier.6")]
    public partial class AlexNet { }
}
