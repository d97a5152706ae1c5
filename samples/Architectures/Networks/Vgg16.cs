namespace ConvGen.Samples.Architectures
{
    /// <summary>
    /// VGG-16 (Simonyan and Zisserman, 2014) as torchvision builds it: thirteen 3×3 convolutions in five stages, each closed by a
    /// 2×2 max pool, then three dense layers with dropout (the adaptive 7×7 pool is the identity on 224×224 inputs). Names follow
    /// torchvision's <c>state_dict</c> (<c>features.0</c> … <c>classifier.6</c>); 138,357,544 parameters.
    /// </summary>
    [Input(3, 224, 224, ExpectedParameters = 138357544)]
    [Conv2D(64, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.0")]
    [Conv2D(64, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.2")]
    [MaxPool2D(2, Expect = "64x112x112")]
    [Conv2D(128, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.5")]
    [Conv2D(128, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.7")]
    [MaxPool2D(2, Expect = "128x56x56")]
    [Conv2D(256, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.10")]
    [Conv2D(256, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.12")]
    [Conv2D(256, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.14")]
    [MaxPool2D(2, Expect = "256x28x28")]
    [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.17")]
    [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.19")]
    [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.21")]
    [MaxPool2D(2, Expect = "512x14x14")]
    [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.24")]
    [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.26")]
    [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.28")]
    [MaxPool2D(2, Expect = "512x7x7")]
    [Flatten]
    [Dense(4096, Activation = Activation.ReLU, Name = "classifier.0")]
    [Dropout]
    [Dense(4096, Activation = Activation.ReLU, Name = "classifier.3")]
    [Dropout]
    [Dense(1000, Name = "classifier.6")]
    public partial class Vgg16 { }
}
