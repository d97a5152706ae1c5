// Imported from chain.onnx by `convgen import`: 9 layers, 2,413 parameters.
// The weights are in Chain.safetensors: net.Load("Chain.safetensors").
using ConvGen;

namespace ConvGen.Imported
{
    [Input(3, 16, 16, ExpectedParameters = 2413)]
    [Conv2D(8, 3, Padding = 1, Activation = Activation.ReLU, Name = "features.0")]
    [MaxPool2D(2, Expect = "8x8x8")]
    [Conv2D(12, 3, Stride = 2, Padding = 1, Name = "features.4", Expect = "12x4x4")]
    [LeakyReLU(0.1f)]
    [Conv2D(12, 3, Padding = 2, Dilation = 2, Groups = 3, Activation = Activation.Tanh, Name = "features.6")]
    [AvgPool2D(2, Expect = "12x2x2")]
    [Flatten(Expect = "48")]
    [Dense(16, Activation = Activation.Sigmoid, Name = "classifier.2")]
    [Dense(5, Activation = Activation.Softmax, Name = "classifier.4", Expect = "5")]
    public partial class Chain { }
}
