using System.Collections.Generic;

namespace ConvGen.Samples.Architectures
{
    /// <summary>The networks of this sample, oldest first.</summary>
    public static class Catalogue
    {
        /// <summary>Every architecture, in the order the lectures introduce them.</summary>
        public static IReadOnlyList<Architecture> All { get; } =
        [
            new(nameof(ClassicLeNet5), "LeNet-5 (LeCun et al., 1998)", ClassicLeNet5.Summary, ClassicLeNet5.ParameterCount, null, () => new ClassicLeNet5()),
            new(nameof(LeNet5), "LeNet-5, modern form (ReLU, max pooling)", LeNet5.Summary, LeNet5.ParameterCount, null, () => new LeNet5()),
            new(nameof(AlexNet), "AlexNet (Krizhevsky et al., 2012)", AlexNet.Summary, AlexNet.ParameterCount, "alexnet", () => new AlexNet()),
            new(nameof(Vgg16), "VGG-16 (Simonyan and Zisserman, 2014)", Vgg16.Summary, Vgg16.ParameterCount, "vgg16", () => new Vgg16()),
            new(nameof(GoogLeNet), "GoogLeNet (Szegedy et al., 2014)", GoogLeNet.Summary, GoogLeNet.ParameterCount, "googlenet", () => new GoogLeNet()),
            new(nameof(ResNet18), "ResNet-18 (He et al., 2015)", ResNet18.Summary, ResNet18.ParameterCount, "resnet18", () => new ResNet18()),
            new(nameof(ResNet34), "ResNet-34 (He et al., 2015)", ResNet34.Summary, ResNet34.ParameterCount, "resnet34", () => new ResNet34()),
            new(nameof(ResNet50), "ResNet-50, bottleneck blocks (He et al., 2015)", ResNet50.Summary, ResNet50.ParameterCount, "resnet50", () => new ResNet50()),
            new(nameof(DenseNet121), "DenseNet-121 (Huang et al., 2017)", DenseNet121.Summary, DenseNet121.ParameterCount, "densenet121", () => new DenseNet121()),
        ];
    }
}
