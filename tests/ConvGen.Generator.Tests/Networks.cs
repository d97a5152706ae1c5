namespace ConvGen.Generator.Tests
{
    /// <summary>Network declarations shared by the tests, as C# source.</summary>
    internal static class Networks
    {
        public const string LeNet5 = """
            using ConvGen;

            namespace Samples
            {
                [Input(1, 28, 28, ExpectedParameters = 1256080)]
                [Conv2D(20, 5, Padding = 2, Activation = Activation.ReLU)]
                [MaxPool2D(2)]
                [Conv2D(50, 5, Padding = 2, Activation = Activation.ReLU)]
                [MaxPool2D(2)]
                [Flatten]
                [Dense(500, Activation = Activation.ReLU)]
                [Dense(10)]
                public partial class LeNet5 { }
            }
            """;

        /// <summary>LeCun et al. 1998 as usually reimplemented: 1×32×32, tanh, average pooling, 61,706 parameters.</summary>
        public const string ClassicLeNet5 = """
            using ConvGen;

            [Input(1, 32, 32, ExpectedParameters = 61706)]
            [Conv2D(6, 5, Activation = Activation.Tanh)]
            [AvgPool2D(2)]
            [Conv2D(16, 5, Activation = Activation.Tanh)]
            [AvgPool2D(2)]
            [Conv2D(120, 5, Activation = Activation.Tanh)]
            [Flatten]
            [Dense(84, Activation = Activation.Tanh)]
            [Dense(10)]
            internal partial class ClassicLeNet5 { }
            """;

        /// <summary>Small but exercises most options: Same padding, stride, groups, dilation, BatchNorm, pooling options, dropout.</summary>
        public const string Kitchen = """
            using ConvGen;

            namespace Samples.Small
            {
                [Input(3, 32, 32)]
                [Conv2D(8, 3, PaddingMode = PaddingMode.Same, Name = "stem")]
                [BatchNorm2D]
                [ReLU]
                [Conv2D(16, 5, Stride = 2, PaddingMode = PaddingMode.Same, Groups = 2, Bias = false)]
                [LeakyReLU(0.2f)]
                [Conv2D(16, 3, Dilation = 2, Padding = 2, Activation = Activation.Sigmoid)]
                [MaxPool2D(3, Stride = 2, Padding = 1, CeilMode = true)]
                [AvgPool2D(3, Expect = "16x3x3")]
                [GlobalAvgPool2D]
                [Flatten]
                [Dropout(0.25f)]
                [Dense(4, Activation = Activation.Softmax, Expect = "4")]
                public partial class Kitchen { }
            }
            """;

        /// <summary>VGG-16 as torchvision builds it (the adaptive 7×7 pool is the identity on 224×224): 138,357,544 parameters.</summary>
        public const string Vgg16 = """
            using ConvGen;

            [Input(3, 224, 224, ExpectedParameters = 138357544)]
            [Conv2D(64, 3, Padding = 1, Activation = Activation.ReLU)]
            [Conv2D(64, 3, Padding = 1, Activation = Activation.ReLU)]
            [MaxPool2D(2)]
            [Conv2D(128, 3, Padding = 1, Activation = Activation.ReLU)]
            [Conv2D(128, 3, Padding = 1, Activation = Activation.ReLU)]
            [MaxPool2D(2)]
            [Conv2D(256, 3, Padding = 1, Activation = Activation.ReLU)]
            [Conv2D(256, 3, Padding = 1, Activation = Activation.ReLU)]
            [Conv2D(256, 3, Padding = 1, Activation = Activation.ReLU)]
            [MaxPool2D(2)]
            [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU)]
            [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU)]
            [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU)]
            [MaxPool2D(2)]
            [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU)]
            [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU)]
            [Conv2D(512, 3, Padding = 1, Activation = Activation.ReLU, Expect = "512x14x14")]
            [MaxPool2D(2, Expect = "512x7x7")]
            [Flatten]
            [Dense(4096, Activation = Activation.ReLU)]
            [Dropout]
            [Dense(4096, Activation = Activation.ReLU)]
            [Dropout]
            [Dense(1000)]
            public partial class Vgg16 { }
            """;

        /// <summary>AlexNet as torchvision builds it (adaptive 6×6 pool omitted: the identity on 224×224): 61,100,840 parameters.</summary>
        public const string AlexNet = """
            using ConvGen;

            [Input(3, 224, 224, ExpectedParameters = 61100840)]
            [Conv2D(64, 11, Stride = 4, Padding = 2, Activation = Activation.ReLU, Expect = "64x55x55")]
            [MaxPool2D(3, Stride = 2)]
            [Conv2D(192, 5, Padding = 2, Activation = Activation.ReLU)]
            [MaxPool2D(3, Stride = 2)]
            [Conv2D(384, 3, Padding = 1, Activation = Activation.ReLU)]
            [Conv2D(256, 3, Padding = 1, Activation = Activation.ReLU)]
            [Conv2D(256, 3, Padding = 1, Activation = Activation.ReLU)]
            [MaxPool2D(3, Stride = 2, Expect = "256x6x6")]
            [Flatten]
            [Dropout]
            [Dense(4096, Activation = Activation.ReLU)]
            [Dropout]
            [Dense(4096, Activation = Activation.ReLU)]
            [Dense(1000)]
            public partial class AlexNet { }
            """;
    }
}
